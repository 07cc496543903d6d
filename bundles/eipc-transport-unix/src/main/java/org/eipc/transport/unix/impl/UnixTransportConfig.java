package org.eipc.transport.unix.impl;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "EIPC Unix domain socket transport",
        description = "Carries EIPC streams over Unix domain sockets (unix:///absolute/path.sock)")
@interface UnixTransportConfig {

    @AttributeDefinition(description = "Bytes a connection may queue for writing; offers beyond it get BACK_PRESSURE")
    long writeQueueLimit() default UnixTransport.DEFAULT_WRITE_QUEUE_LIMIT;

    @AttributeDefinition(description = "Bytes per connection read buffer (4096 to 16777216)")
    int readBufferSize() default UnixTransport.DEFAULT_READ_BUFFER_SIZE;

    @AttributeDefinition(description = "Number of selector (I/O) threads shared by all connections (1 to 64)")
    int ioThreads() default UnixTransport.DEFAULT_IO_THREADS;

    @AttributeDefinition(description = "Higher wins when several transports serve the same scheme")
    int service_ranking() default 0;
}
