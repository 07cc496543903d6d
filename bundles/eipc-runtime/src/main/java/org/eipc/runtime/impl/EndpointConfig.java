package org.eipc.runtime.impl;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

@ObjectClassDefinition(name = "EIPC endpoint",
        description = "A server listening on, or a client connecting to, one or more transport addresses")
@interface EndpointConfig {
    @AttributeDefinition(description = "Name of the endpoint; MessageHandler services with eipc.endpoint=<name> get its"
            + " messages")
    String name();

    @AttributeDefinition(options = {@Option(value = "server"), @Option(value = "client")},
            description = "server listens on every uri; client connects to the first that answers and resumes over any")
    String role() default "server";

    @AttributeDefinition(description = "Addresses, e.g. tcp://127.0.0.1:9090 or unix:///run/eipc/host.sock")
    String[] uri();

    @AttributeDefinition(options = {@Option(value = "strict"), @Option(value = "compat")},
            description = "strict: hardened handshake eipc-h1, session keys, acknowledgements and resume (between EIPC"
                    + " for OSGi peers). compat: the Go reference's handshake and frames (no resume)")
    String mode() default "strict";

    @AttributeDefinition(description = "Client: the service id it claims. Server: its own id in frame headers")
    String serviceId() default "eipc-server";

    @AttributeDefinition(description = "Server: admitted services as id=cap1,cap2 (empty admits any service without"
            + " capabilities)")
    String[] services() default {};

    @AttributeDefinition(min = "1", description = "Handshake deadline in milliseconds (the reference uses 10 s)")
    long handshakeTimeoutMillis() default 10_000;

    @AttributeDefinition(min = "1", description = "Server: connections allowed in handshake at once; more are closed"
            + " on accept")
    int maxPendingHandshakes() default 64;

    @AttributeDefinition(min = "1", description = "Connect timeout in milliseconds (client)")
    long connectTimeoutMillis() default 2_000;

    @AttributeDefinition(min = "1", max = "1048576",
            description = "Messages a session may hold sent but unacknowledged before send() returns BACK_PRESSURE")
    int maxUnacked() default 4096;

    @AttributeDefinition(min = "1", description = "Bytes a session may hold sent but unacknowledged")
    long maxUnackedBytes() default 32L << 20;

    @AttributeDefinition(min = "1", max = "1048576",
            description = "Messages send() accepts that wait in the P0-P3 lanes for room before BACK_PRESSURE")
    int maxQueued() default 4096;

    @AttributeDefinition(min = "1", description = "Bytes that may wait in the lanes")
    long maxQueuedBytes() default 32L << 20;

    @AttributeDefinition(min = "1", description = "Anti-starvation: after this many consecutive picks from a higher"
            + " lane while a lower one waits, the lower lane that waited longest goes first")
    int starvationLimit() default 8;

    @AttributeDefinition(min = "1", description = "Strict mode: credit granted to the peer, in messages beyond the last"
            + " acknowledged one")
    int receiveWindow() default 4096;

    @AttributeDefinition(min = "1", description = "A receiver acknowledges after this many messages...")
    int ackEvery() default 256;

    @AttributeDefinition(min = "1", description = "...or after this many milliseconds, whichever comes first")
    long ackDelayMillis() default 20;

    @AttributeDefinition(min = "0", description = "Strict mode: close a connection that brought nothing for this many"
            + " milliseconds (keepalives go out every third of the smaller of both sides' values, which travel in the"
            + " handshake; the client then resumes); 0 turns it off")
    long idleTimeoutMillis() default 30_000;

    @AttributeDefinition(min = "0", description = "Strict mode: how long closing a session waits for its unacknowledged"
            + " and queued messages (also across a resume); what is left is logged as not delivered")
    long closeDrainTimeoutMillis() default 5_000;

    @AttributeDefinition(min = "0", description = "Strict mode, server side: when a transport leaves, how long its"
            + " connections are kept while their sessions move to another transport the client also has (make before"
            + " break); what has not moved then is closed and resumes the usual way; 0 closes at once")
    long transportDrainTimeoutMillis() default 1_000;

    @AttributeDefinition(min = "1", description = "How long a session waits for a new connection before it closes")
    long resumeTimeoutMillis() default 30_000;

    @AttributeDefinition(description = "Run handlers on the transport's I/O thread (no hand-off per message; a"
            + " handler that blocks stalls that thread's connections). For short, non-blocking handlers")
    boolean deliverOnIoThread() default false;

    @AttributeDefinition(description = "Strict mode: X25519 ephemeral keys in full handshakes for forward secrecy:"
            + " prefer (when the peer does too), require (refuse peers without), off")
    String forwardSecrecy() default "prefer";

    @AttributeDefinition(required = false, description = "Per-peer quotas on what peers send here, first match wins:"
            + " servicePattern=messagesPerSecond,bytesPerSecond,queueDepth (0 = unlimited; * is a wildcard), e.g."
            + " plugin.*=1000,1048576,256. A message over quota is not delivered; its sender gets QUOTA_EXCEEDED")
    String[] quotas() default {};

    @AttributeDefinition(required = false, description = "Per-channel latency budgets, first match wins:"
            + " channelPattern=milliseconds; the channel is the route, or the type's wire name when the route is"
            + " empty. A message over budget is reported to its sender (DEADLINE_EXCEEDED) and counted, not delivered")
    String[] latencyBudgets() default {};

    @AttributeDefinition(description = "LDAP filter selecting the MessageHandler services of this endpoint")
    String handler_target() default "(eipc.endpoint=*)";
}
