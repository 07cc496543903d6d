package org.eipc.service.health.impl;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "EIPC health",
        description = "Liveness and readiness of the host, its transports, endpoints, sessions and keyring, with the"
                + " runtime metrics")
@interface HealthConfig {

    @AttributeDefinition(min = "1", max = "3600", description = "Seconds of runtime failure events (handshake"
            + " failures, rejected frames, denied messages, quota and deadline violations) the failures check counts")
    int failureWindowSeconds() default 60;

    @AttributeDefinition(min = "0", description = "More failure events of one kind than this inside the window make"
            + " the host DEGRADED")
    long failureThreshold() default 10;

    @AttributeDefinition(description = "Filter of the keyring services whose presence makes the host ready; the"
            + " runtime's default")
    String keyring_target() default "(eipc.keyring.name=*)";
}
