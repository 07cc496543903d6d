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
            new PeerCredentials(OptionalInt.empty(), OptionalInt.empty(), OptionalLong.empty(), "", "", "");

    private final OptionalInt uid;
    private final OptionalInt gid;
    private final OptionalLong pid;
    private final String user;
    private final String group;
    private final String principal;

    /**
     * @param user the peer's user name ({@code ""} when unknown)
     * @param group the peer's group name ({@code ""} when unknown)
     * @param principal the verified TLS client certificate subject ({@code ""} when none)
     */
    public PeerCredentials(OptionalInt uid, OptionalInt gid, OptionalLong pid, String user, String group,
            String principal) {
        this.uid = uid;
        this.gid = gid;
        this.pid = pid;
        this.user = user == null ? "" : user;
        this.group = group == null ? "" : group;
        this.principal = principal == null ? "" : principal;
    }

    /** The peer's numeric user id (SO_PEERCRED on Unix domain sockets). */
    public OptionalInt uid() {
        return uid;
    }

    /** The peer's numeric group id. */
    public OptionalInt gid() {
        return gid;
    }

    /** The peer's process id, when known. */
    public OptionalLong pid() {
        return pid;
    }

    /** The peer's user name, or {@code ""}. */
    public String user() {
        return user;
    }

    /** The peer's group name, or {@code ""}. */
    public String group() {
        return group;
    }

    /**
     * The subject of the peer's verified TLS certificate, or {@code ""}: on an accepted connection the client's
     * certificate, on a connecting side the server's.
     */
    public String principal() {
        return principal;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("PeerCredentials[");
        uid.ifPresent(v -> b.append("uid=").append(v).append(' '));
        gid.ifPresent(v -> b.append("gid=").append(v).append(' '));
        pid.ifPresent(v -> b.append("pid=").append(v).append(' '));
        if (!user.isEmpty()) {
            b.append("user=").append(user).append(' ');
        }
        if (!group.isEmpty()) {
            b.append("group=").append(group).append(' ');
        }
        if (!principal.isEmpty()) {
            b.append("principal=").append(principal);
        }
        return b.toString().trim() + "]";
    }
}
