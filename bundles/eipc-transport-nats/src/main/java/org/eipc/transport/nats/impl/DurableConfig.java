package org.eipc.transport.nats.impl;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "EIPC durable channels over NATS JetStream",
        description = "Channels whose messages JetStream stores until every durable consumer acknowledged them, "
                + "so they survive the restart of the receiving host")
@interface DurableConfig {

    @AttributeDefinition(description = "NATS servers with JetStream, host:port[,host:port...] (any nodes of one "
            + "cluster; a leading nats:// is allowed). Credentials never go here")
    String servers();

    @AttributeDefinition(description = "Durable channel patterns: channel names (subject tokens [A-Za-z0-9_-] "
            + "joined by dots) where * stands for one token and a final > for the rest, e.g. orders, audit.>")
    String[] channels();

    @AttributeDefinition(description = "JetStream stream name ([A-Za-z0-9_-], at most 64 characters); created or "
            + "updated at activation")
    String stream() default DurableSettings.DEFAULT_STREAM;

    @AttributeDefinition(description = "Subject prefix: channel C is stored under subject <prefix>.C; the stream "
            + "holds <prefix>.>")
    String subjectPrefix() default DurableSettings.DEFAULT_PREFIX;

    @AttributeDefinition(description = "Where JetStream keeps the stream: file (survives a server restart) or "
            + "memory")
    String storage() default "file";

    @AttributeDefinition(description = "Copies of the stream in a JetStream cluster (1 to 5)")
    int replicas() default 1;

    @AttributeDefinition(description = "Milliseconds a message is kept at most, acknowledged or not (0: no limit)")
    long maxAgeMillis() default DurableSettings.DEFAULT_MAX_AGE_MILLIS;

    @AttributeDefinition(description = "Bytes the stream keeps at most; beyond it publishing fails with "
            + "QUOTA_EXCEEDED (-1: no limit)")
    long maxBytes() default DurableSettings.DEFAULT_MAX_BYTES;

    @AttributeDefinition(description = "Milliseconds JetStream remembers message ids to store a retried publish "
            + "once; also how much older than its storage time a message may be signed before it counts as replayed")
    long duplicateWindowMillis() default DurableSettings.DEFAULT_DUPLICATE_WINDOW_MILLIS;

    @AttributeDefinition(description = "Milliseconds a publish keeps retrying until JetStream confirms it (less "
            + "than duplicateWindowMillis)")
    long publishTimeoutMillis() default DurableSettings.DEFAULT_PUBLISH_TIMEOUT_MILLIS;

    @AttributeDefinition(description = "Milliseconds JetStream waits for an acknowledgement before it delivers a "
            + "message again: a handler must return within it")
    long ackWaitMillis() default DurableSettings.DEFAULT_ACK_WAIT_MILLIS;

    @AttributeDefinition(description = "Deliveries after the first when a handler throws; then the message is "
            + "terminated and counted (0 to 1000)")
    int maxRedeliveries() default DurableSettings.DEFAULT_MAX_REDELIVERIES;

    @AttributeDefinition(description = "Milliseconds before a message whose handler threw is delivered again")
    long redeliveryDelayMillis() default DurableSettings.DEFAULT_REDELIVERY_DELAY_MILLIS;

    @AttributeDefinition(description = "Messages a consumer may have unacknowledged: 1 keeps strict stream order "
            + "even across redeliveries; more is faster, but a redelivered message then arrives after later ones")
    int maxAckPending() default 1;

    @AttributeDefinition(description = "This host's id: the publisher id in message ids and the default durable "
            + "consumer name ([A-Za-z0-9_-], at most 64 characters); empty: <host name>-<random>, made once and kept "
            + "in the bundle's data area, so it survives restarts of the host (not a wipe of its storage)")
    String hostId() default "";

    @AttributeDefinition(description = "Filter selecting the keyring whose keys MAC the messages, e.g. "
            + "(eipc.keyring.name=file); the highest ranked matching keyring is used")
    String keyring_target() default "(objectClass=org.eipc.spi.keyring.KeyringProvider)";

    @AttributeDefinition(description = "Milliseconds between reconnect attempts of the NATS client")
    long reconnectWaitMillis() default NatsTransport.DEFAULT_RECONNECT_WAIT_MILLIS;

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

    @AttributeDefinition(description = "NATS credentials file (.creds), must not be readable by group or others")
    String credentialsFile() default "";

    @AttributeDefinition(description = "Connect to the NATS servers with TLS")
    boolean tls_enabled() default false;

    @AttributeDefinition(description = "PKCS#12 key store with this side's certificate and key")
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
}
