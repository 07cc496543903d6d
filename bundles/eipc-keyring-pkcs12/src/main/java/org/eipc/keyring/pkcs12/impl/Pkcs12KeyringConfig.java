package org.eipc.keyring.pkcs12.impl;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "EIPC PKCS#12 keyring",
        description = "Secret keys from a PKCS#12 key store that only its owner can read; alias = key id")
@interface Pkcs12KeyringConfig {

    @AttributeDefinition(description = "Absolute path of the PKCS#12 file. It must not be readable or writable by"
            + " group or others (e.g. 0600).")
    String path();

    /**
     * Configuration key {@code .password}: the leading dot makes it a private property that Declarative Services
     * does not copy into the service properties, where every bundle could read it.
     */
    @AttributeDefinition(type = AttributeType.PASSWORD, required = false, name = "Password",
            description = "Password of the key store and its entries (configuration key '.password', private)."
                    + " Leave empty to use passwordEnv.")
    String _password() default "";

    @AttributeDefinition(required = false,
            description = "Name of an environment variable holding the password, used when password is empty")
    String passwordEnv() default "";

    @AttributeDefinition(required = false, description = "Alias to send with while the store holds it."
            + " Empty: the secret-key entry with the newest creation date.")
    String currentKeyId() default "";

    @AttributeDefinition(min = "0", max = "604800", description = "Seconds a replaced or removed key stays"
            + " accepted, so peers that have not switched yet keep working")
    long overlapSeconds() default 300;

    @AttributeDefinition(min = "1", max = "3600", description = "Seconds between checks of the file for changes,"
            + " a fallback for file systems where change notification misses events")
    long rescanSeconds() default 10;
}
