package org.eipc.transport.unix.impl;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "EIPC Unix domain socket transport",
        description = "Carries EIPC streams over Unix domain sockets (unix:///absolute/path.sock)")
@interface UnixTransportConfig {

    @AttributeDefinition(description = "Bytes a connection may queue for writing; offers beyond it get BACK_PRESSURE")
    long writeQueueLimit() default 4L << 20;

    @AttributeDefinition(description = "Bytes per connection read buffer (4096 to 16777216)")
    int readBufferSize() default 64 * 1024;

    @AttributeDefinition(description = "Number of selector (I/O) threads shared by all connections (1 to 64)")
    int ioThreads() default 1;

    @AttributeDefinition(description = "Higher wins when several transports serve the same scheme")
    int service_ranking() default 0;
}
