package org.eipc.keyring.file.impl;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "EIPC directory keyring",
        description = "Keys from a directory that only its owner can read: one file per key, file name = key id")
@interface FileKeyringConfig {

    @AttributeDefinition(description = "Absolute path of the key directory. It and every key file must not be"
            + " readable or writable by group or others (e.g. 0700 and 0600).")
    String directory();

    @AttributeDefinition(required = false, description = "Key id (file name) to send with while that file exists."
            + " Empty: the file with the newest modification time.")
    String currentKeyId() default "";

    @AttributeDefinition(min = "0", max = "604800", description = "Seconds a replaced or removed key stays"
            + " accepted, so peers that have not switched yet keep working")
    long overlapSeconds() default 300;

    @AttributeDefinition(min = "1", max = "3600", description = "Seconds between full rescans of the directory,"
            + " a fallback for file systems where change notification misses events")
    long rescanSeconds() default 10;
}
