package org.eipc.runtime.impl;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "EIPC runtime",
        description = "The component that tracks transports, integrity, replay and keyring providers for all endpoints")
@interface RuntimeConfig {
    @AttributeDefinition(min = "1", max = "16",
            description = "Threads that run blocking connects (a connect blocks up to its timeout; nothing else does)")
    int connectThreads() default 2;

    @AttributeDefinition(min = "1", max = "64",
            description = "Threads that run message handlers (one session's messages are handled in order, one at a"
                    + " time; a slow handler never holds a transport's I/O thread)")
    int deliveryThreads() default 2;

    @AttributeDefinition(min = "0", max = "604800", description = "Seconds the keys of a keyring service that went"
            + " away stay accepted (and its current key stays the sending key while no keyring is bound), so that"
            + " swapping keyring bundles is a rotation with an overlap")
    long keyringOverlapSeconds() default 300;

    @AttributeDefinition(description = "LDAP filter selecting the keyring providers; the most recently bound one that"
            + " matches sends (an empty filter would match nothing)")
    String keyring_target() default "(eipc.keyring.name=*)";
}
