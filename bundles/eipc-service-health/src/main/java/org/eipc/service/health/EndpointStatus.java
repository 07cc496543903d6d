package org.eipc.service.health;

import java.util.List;
import java.util.Objects;

/** One endpoint of the runtime: its role, addresses, whether it is ready, and its sessions. Immutable. */
public final class EndpointStatus {
    private final String role;
    private final List<String> addresses;
    private final boolean ready;
    private final List<SessionStatus> sessions;

    /**
     * @param role {@code server} or {@code client}
     * @param addresses the URIs it listens on or connects to
     * @param ready server: listening on at least one address; client: has a session
     * @param sessions its sessions (copied)
     */
    public EndpointStatus(final String role, final List<String> addresses, final boolean ready,
            final List<SessionStatus> sessions) {
        this.role = Objects.requireNonNull(role, "role");
        this.addresses = List.copyOf(addresses);
        this.ready = ready;
        this.sessions = List.copyOf(sessions);
    }

    public String role() {
        return role;
    }

    public List<String> addresses() {
        return addresses;
    }

    public boolean ready() {
        return ready;
    }

    public List<SessionStatus> sessions() {
        return sessions;
    }

    @Override
    public String toString() {
        return "EndpointStatus[" + role + " " + addresses + (ready ? " ready" : " not ready") + ", " + sessions.size()
                + " sessions]";
    }
}
