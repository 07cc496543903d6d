package org.eipc.service.trace.impl;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "EIPC span tap",
        description = "Keeps the newest spans (one per application message, with its trace id) in memory")
@interface SpanTapConfig {

    @AttributeDefinition(min = "16", max = "1048576", description = "Spans kept in the ring; older ones are"
            + " overwritten")
    int capacity() default 1024;

    @AttributeDefinition(min = "0", max = "1048576", description = "Requests remembered per process to time their"
            + " replies; beyond, new requests are not timed")
    int pendingRequests() default 4096;

    @AttributeDefinition(description = "Also log every span at INFO (trace id, span id, session, peer, type,"
            + " request id, length; never the payload)")
    boolean log() default false;
}
