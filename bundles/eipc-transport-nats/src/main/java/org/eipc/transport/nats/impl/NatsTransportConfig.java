package org.eipc.transport.nats.impl;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "EIPC NATS transport",
        description = "Carries EIPC streams over NATS subjects (nats://host:port[,host:port...]/prefix)")
@interface NatsTransportConfig {

    @AttributeDefinition(description = "Bytes a connection may have published and not yet consumed by the peer; "
            + "offers beyond it get BACK_PRESSURE (4096 to 1073741824)")
    long writeQueueLimit() default NatsTransport.DEFAULT_WRITE_QUEUE_LIMIT;

    @AttributeDefinition(description = "Largest slice of a stream per NATS message; the server's max_payload "
            + "also bounds it (1024 to 8388608)")
    int maxChunkBytes() default NatsTransport.DEFAULT_MAX_CHUNK;

    @AttributeDefinition(description = "Milliseconds a receiver may delay an acknowledgement that no data "
            + "carries back (1 to 1000)")
    long ackDelayMillis() default NatsTransport.DEFAULT_ACK_DELAY_MILLIS;

    @AttributeDefinition(description = "An idle connection sends a heartbeat this often (milliseconds)")
    long heartbeatMillis() default NatsTransport.DEFAULT_HEARTBEAT_MILLIS;

    @AttributeDefinition(description = "A connection that heard nothing from its peer this long is closed "
            + "(milliseconds, at least twice heartbeatMillis)")
    long peerTimeoutMillis() default NatsTransport.DEFAULT_PEER_TIMEOUT_MILLIS;

    @AttributeDefinition(description = "Milliseconds between reconnect attempts of the NATS client")
    long reconnectWaitMillis() default NatsTransport.DEFAULT_RECONNECT_WAIT_MILLIS;

    @AttributeDefinition(description = "Milliseconds between the NATS client's pings to its server "
            + "(two unanswered pings drop the server connection)")
    long pingIntervalMillis() default NatsTransport.DEFAULT_PING_INTERVAL_MILLIS;

    @AttributeDefinition(description = "Messages the NATS client buffers for this process before it drops them "
            + "as a slow consumer (the affected connections then close and resume)")
    long pendingMessagesLimit() default NatsTransport.DEFAULT_PENDING_MESSAGES;

    @AttributeDefinition(description = "Bytes the NATS client buffers for this process before it drops messages "
            + "as a slow consumer")
    long pendingBytesLimit() default NatsTransport.DEFAULT_PENDING_BYTES;

    @AttributeDefinition(description = "NATS user name (with configuration key .password)")
    String user() default "";

    /** Configuration key {@code .password}: private, never a service property. */
    @AttributeDefinition(type = AttributeType.PASSWORD, description = "NATS password (configuration key "
            + "'.password', private)")
    String _password() default "";

    /** Configuration key {@code .token}: private, never a service property. */
    @AttributeDefinition(type = AttributeType.PASSWORD, description = "NATS authentication token (configuration "
            + "key '.token', private)")
    String _token() default "";

    @AttributeDefinition(description = "NATS credentials file (.creds: user JWT and NKey seed), for "
            + "decentralized (operator/account) authentication; must not be readable by group or others")
    String credentialsFile() default "";

    @AttributeDefinition(description = "Connect to the NATS servers with TLS (tls:// URLs to the NATS client)")
    boolean tls_enabled() default false;

    @AttributeDefinition(description = "PKCS#12 key store with this side's certificate and key, when the NATS "
            + "servers require client certificates")
    String tls_keyStore() default "";

    @AttributeDefinition(type = AttributeType.PASSWORD, description = "Password of the key store (configuration "
            + "key '.tls.keyStorePassword', private)")
    String _tls_keyStorePassword() default "";

    @AttributeDefinition(description = "PKCS#12 trust store with the CA of the NATS servers; empty means the "
            + "JDK's default trust")
    String tls_trustStore() default "";

    @AttributeDefinition(type = AttributeType.PASSWORD, description = "Password of the trust store "
            + "(configuration key '.tls.trustStorePassword', private)")
    String _tls_trustStorePassword() default "";

    @AttributeDefinition(description = "Higher wins when several transports serve the same scheme")
    int service_ranking() default 0;
}
