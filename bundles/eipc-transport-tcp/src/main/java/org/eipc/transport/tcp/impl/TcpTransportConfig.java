package org.eipc.transport.tcp.impl;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "EIPC TCP/TLS transport",
        description = "Carries EIPC streams over TCP (tcp://host:port) and TLS 1.3 (tls://host:port)")
@interface TcpTransportConfig {

    @AttributeDefinition(description = "Bytes a connection may queue for writing; offers beyond it get BACK_PRESSURE")
    long writeQueueLimit() default TcpTransport.DEFAULT_WRITE_QUEUE_LIMIT;

    @AttributeDefinition(description = "Bytes per connection read buffer (4096 to 16777216)")
    int readBufferSize() default TcpTransport.DEFAULT_READ_BUFFER_SIZE;

    @AttributeDefinition(description = "Number of selector (I/O) threads shared by all connections (1 to 64)")
    int ioThreads() default TcpTransport.DEFAULT_IO_THREADS;

    @AttributeDefinition(description = "PKCS#12 key store with this side's certificate and private key; "
            + "required to listen on tls:// and to answer a server that requires client certificates")
    String tls_keyStore() default "";

    @AttributeDefinition(type = AttributeType.PASSWORD, description = "Password of the key store and its key")
    String tls_keyStorePassword() default "";

    @AttributeDefinition(description = "PKCS#12 trust store with the certificates (or CAs) to trust; "
            + "empty means the JDK's default trust")
    String tls_trustStore() default "";

    @AttributeDefinition(type = AttributeType.PASSWORD, description = "Password of the trust store")
    String tls_trustStorePassword() default "";

    @AttributeDefinition(description = "Client certificates on tls:// listeners: none, want or need (mutual TLS)")
    String tls_clientAuth() default TcpTransport.DEFAULT_TLS_CLIENT_AUTH;

    @AttributeDefinition(description = "Clients check that the server certificate names the host or IP they dialled")
    boolean tls_verifyHostname() default TcpTransport.DEFAULT_TLS_VERIFY_HOSTNAME;

    @AttributeDefinition(description = "Milliseconds an accepted tls:// connection may take to finish its "
            + "handshake before it is dropped (100 to 600000)")
    long tls_handshakeTimeoutMillis() default TcpTransport.DEFAULT_TLS_HANDSHAKE_TIMEOUT_MILLIS;

    @AttributeDefinition(description = "Higher wins when several transports serve the same scheme")
    int service_ranking() default 0;
}
