package org.eipc.spi.runtime;

import java.util.Objects;

import org.eipc.api.PeerIdentity;

/**
 * Where a message belongs: the endpoint, the session and the authenticated peer. Immutable; one per session, so
 * hooks may use it as a key while the session lives.
 */
public final class MessageContext {
    private final String endpoint;
    private final String sessionId;
    private final PeerIdentity peer;
    private final boolean server;

    /**
     * @param endpoint the endpoint's name or address, e.g. {@code unix:///run/eipc/host.sock}
     * @param sessionId the session id
     * @param peer the authenticated peer
     * @param server true on the accepting side of the session
     */
    public MessageContext(String endpoint, String sessionId, PeerIdentity peer, boolean server) {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.sessionId = Objects.requireNonNull(sessionId, "sessionId");
        this.peer = Objects.requireNonNull(peer, "peer");
        this.server = server;
    }

    public String endpoint() {
        return endpoint;
    }

    public String sessionId() {
        return sessionId;
    }

    public PeerIdentity peer() {
        return peer;
    }

    /** True when this side accepted the session (a host), false when it connected (a client). */
    public boolean server() {
        return server;
    }

    @Override
    public String toString() {
        return "MessageContext[" + endpoint + ", " + sessionId + ", " + peer.serviceId() + (server ? ", server" : ", client")
                + "]";
    }
}
