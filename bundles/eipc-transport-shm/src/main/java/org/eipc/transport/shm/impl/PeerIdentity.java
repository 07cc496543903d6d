package org.eipc.transport.shm.impl;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.UserPrincipal;
import java.util.OptionalInt;
import java.util.OptionalLong;

import org.eipc.spi.transport.PeerCredentials;

/**
 * The peer's user and group as the kernel reports them for the side channel (SO_PEERCRED).
 *
 * <p>The JDK gives names, not numbers. Numeric ids are filled in only when they can be known for sure: when
 * the peer's principal equals the owner (or group) of a ring file, whose numeric owner the file system
 * reports. That is the usual case of both processes running as one user.
 */
final class PeerIdentity {
    final UserPrincipal user;
    final GroupPrincipal group;

    private PeerIdentity(final UserPrincipal user, final GroupPrincipal group) {
        this.user = user;
        this.group = group;
    }

    /** Reads SO_PEERCRED; null fields when the platform or framework cannot tell. */
    static PeerIdentity of(final SocketChannel channel) {
        try {
            final Object[] c = JdkPeerCredentials.read(channel);
            return new PeerIdentity(JdkPeerCredentials.user(c), JdkPeerCredentials.group(c));
        } catch (IOException | UnsupportedOperationException | LinkageError e) {
            // jdk.net not wired (optional import) or not a Unix platform
            return new PeerIdentity(null, null);
        }
    }

    /** The credentials, with numeric ids resolved through {@code ringFile}'s owner where they match. */
    PeerCredentials toCredentials(final Path ringFile) {
        if (user == null) {
            return PeerCredentials.UNKNOWN;
        }
        OptionalInt uid = OptionalInt.empty();
        OptionalInt gid = OptionalInt.empty();
        try {
            final PosixFileAttributes a =
                    Files.readAttributes(ringFile, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (user.equals(a.owner())) {
                uid = numeric(ringFile, "unix:uid");
            }
            if (group != null && group.equals(a.group())) {
                gid = numeric(ringFile, "unix:gid");
            }
        } catch (IOException | UnsupportedOperationException e) {
            // names only
        }
        return new PeerCredentials(uid, gid, OptionalLong.empty(), user.getName(),
                group == null ? "" : group.getName(), "");
    }

    private static OptionalInt numeric(final Path file, final String attribute) throws IOException {
        final Object v = Files.getAttribute(file, attribute, LinkOption.NOFOLLOW_LINKS);
        return v instanceof Integer ? OptionalInt.of((Integer) v) : OptionalInt.empty();
    }
}
