package org.eipc.service.health.impl;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "EIPC health over EIPC",
        description = "Answers requests with the configured route on the host's configured endpoints with the"
                + " health report as JSON (what 'eipc health' asks for)")
@interface HealthEndpointConfig {

    @AttributeDefinition(description = "The header route of health requests")
    String route() default "health";

    @AttributeDefinition(description = "Capability a peer must present (header capability, verified by the runtime)"
            + " to read the report; empty: any authenticated peer of the endpoint")
    String capability() default "";

    @AttributeDefinition(name = "eipc.endpoint", description = "Service property the endpoints' handler.target"
            + " selects; the default matches every endpoint's default filter (eipc.endpoint=*)")
    String eipc_endpoint() default "*";
}
