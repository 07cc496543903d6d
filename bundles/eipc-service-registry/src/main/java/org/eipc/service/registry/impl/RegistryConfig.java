package org.eipc.service.registry.impl;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "EIPC service registry (remote access)",
        description = "How EIPC peers use the registry through requests on the routes registry.register,"
                + " registry.unregister, registry.lookup and registry.find")
@interface RegistryConfig {

    @AttributeDefinition(description = "The capability a peer must have been granted in the handshake to register"
            + " entries; empty lets every authenticated peer register")
    String registerCapability() default "registry:register";

    @AttributeDefinition(min = "1", description = "Entries one session may hold at a time")
    int maxEntriesPerSession() default 64;

    @AttributeDefinition(min = "1", description = "Entries all sessions together may hold; registrations beyond"
            + " are refused with QUOTA_EXCEEDED")
    int maxEntries() default 10_000;

    @AttributeDefinition(name = "eipc.endpoint", description = "Service property the endpoints' handler.target"
            + " selects on (default filter (eipc.endpoint=*)); * serves every endpoint")
    String eipc_endpoint() default "*";

    @AttributeDefinition(min = "1", max = "3600", description = "Seconds between sweeps that drop the entries of"
            + " sessions that closed (entries are also dropped at once on the runtime's session-closed event and"
            + " before every query)")
    int sweepSeconds() default 5;
}
