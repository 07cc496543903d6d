package org.eipc.spi.transport;

import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * What the operating system or the TLS layer says about the process at the other end of a connection. Every
 * part is optional: a TCP connection without client certificates knows none of them.
 */
public final class PeerCredentials {
    /** Credentials of a transport that knows nothing about its peer. */
    public static final PeerCredentials UNKNOWN =
            new PeerCredentials(OptionalInt.empty(), OptionalInt.empty(), OptionalLong.empty(), "");

    private final OptionalInt uid;
    private final OptionalInt gid;
    private final OptionalLong pid;
    private final String principal;

    public PeerCredentials(OptionalInt uid, OptionalInt gid, OptionalLong pid, String principal) {
        this.uid = uid;
        this.gid = gid;
        this.pid = pid;
        this.principal = principal == null ? "" : principal;
    }

    /** The peer's user id (SO_PEERCRED on Unix domain sockets). */
    public OptionalInt uid() {
        return uid;
    }

    /** The peer's group id. */
    public OptionalInt gid() {
        return gid;
    }

    /** The peer's process id, when known. */
    public OptionalLong pid() {
        return pid;
    }

    /** The verified TLS client certificate's subject, or {@code ""}. */
    public String principal() {
        return principal;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("PeerCredentials[");
        uid.ifPresent(v -> b.append("uid=").append(v).append(' '));
        gid.ifPresent(v -> b.append("gid=").append(v).append(' '));
        pid.ifPresent(v -> b.append("pid=").append(v).append(' '));
        if (!principal.isEmpty()) {
            b.append("principal=").append(principal);
        }
        return b.toString().trim() + "]";
    }
}
