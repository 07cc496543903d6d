package org.eipc.runtime;

import java.net.URI;
import java.util.List;
import java.util.Objects;

/** A snapshot of one endpoint. Immutable. */
public final class EndpointMetrics {
    private final String role;
    private final List<URI> addresses;
    private final boolean listening;
    private final List<SessionMetrics> sessions;

    public EndpointMetrics(String role, List<URI> addresses, boolean listening, List<SessionMetrics> sessions) {
        this.role = Objects.requireNonNull(role, "role");
        this.addresses = List.copyOf(addresses);
        this.listening = listening;
        this.sessions = List.copyOf(sessions);
    }

    /** {@code server} or {@code client}. */
    public String role() {
        return role;
    }

    /** The addresses it listens on or connects to. */
    public List<URI> addresses() {
        return addresses;
    }

    /** Server: listening on at least one address now. Client: has a session now. */
    public boolean ready() {
        return listening;
    }

    public List<SessionMetrics> sessions() {
        return sessions;
    }

    @Override
    public String toString() {
        return "EndpointMetrics[" + role + " " + addresses + ", ready=" + listening + ", sessions=" + sessions.size() + "]";
    }
}
