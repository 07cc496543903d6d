package org.eipc.api;

import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Who is at the other end of a session, as established by the handshake and the transport: the
 * authenticated service id, the capabilities granted to it and, where the transport knows them, the operating
 * system user and group of the peer process (Unix domain sockets) or its TLS principal.
 */
public final class PeerIdentity {
    private final String serviceId;
    private final Set<String> capabilities;
    private final OptionalInt uid;
    private final OptionalInt gid;
    private final String principal;

    public PeerIdentity(String serviceId, Set<String> capabilities, OptionalInt uid, OptionalInt gid,
            String principal) {
        this.serviceId = Objects.requireNonNull(serviceId, "serviceId");
        this.capabilities = Set.copyOf(capabilities);
        this.uid = Objects.requireNonNull(uid, "uid");
        this.gid = Objects.requireNonNull(gid, "gid");
        this.principal = principal == null ? "" : principal;
    }

    public String serviceId() {
        return serviceId;
    }

    public Set<String> capabilities() {
        return capabilities;
    }

    /** The peer process's user id, when the transport can tell (Unix domain sockets, shared memory). */
    public OptionalInt uid() {
        return uid;
    }

    /** The peer process's group id, when the transport can tell. */
    public OptionalInt gid() {
        return gid;
    }

    /** The TLS client principal name, or {@code ""}. */
    public String principal() {
        return principal;
    }

    @Override
    public String toString() {
        return "PeerIdentity[" + serviceId + ", capabilities=" + capabilities
                + (uid.isPresent() ? ", uid=" + uid.getAsInt() : "")
                + (gid.isPresent() ? ", gid=" + gid.getAsInt() : "")
                + (principal.isEmpty() ? "" : ", principal=" + principal) + "]";
    }
}
