package org.eipc.transport.nats.impl;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "EIPC registry federation over NATS",
        description = "Shares this host's service registry entries with the registries of other hosts over NATS "
                + "subjects <subjectPrefix>.announce, .withdraw and .query")
@interface FederationConfig {

    @AttributeDefinition(description = "NATS servers, host:port[,host:port...] (any nodes of one cluster; "
            + "a leading nats:// is allowed). Credentials never go here")
    String servers();

    @AttributeDefinition(description = "Subject prefix shared by every host of one federation (subject tokens "
            + "[A-Za-z0-9_-] joined by dots)")
    String subjectPrefix() default NatsRegistryFederation.DEFAULT_PREFIX;

    @AttributeDefinition(description = "This host's id, the eipc.origin of its entries on other hosts "
            + "([A-Za-z0-9_.-], at most 64 characters); empty: <host name>-<process id>")
    String hostId() default "";

    @AttributeDefinition(description = "Milliseconds between re-announcements of this host's entries "
            + "(100 to 600000)")
    long announceIntervalMillis() default NatsRegistryFederation.DEFAULT_INTERVAL_MILLIS;

    @AttributeDefinition(description = "Milliseconds other hosts keep an entry of this host after its last "
            + "announcement (at least twice announceIntervalMillis, at most 3600000): how long the entries of a "
            + "crashed host outlive it")
    long ttlMillis() default NatsRegistryFederation.DEFAULT_TTL_MILLIS;

    @AttributeDefinition(description = "Remote entries this host keeps at most; announcements beyond are dropped "
            + "and counted")
    int maxRemoteEntries() default NatsRegistryFederation.DEFAULT_MAX_REMOTE;

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
