package org.eipc.transport.shm.impl;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.UserPrincipal;

import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

/**
 * The only class that touches {@code jdk.net}: loaded lazily by {@link PeerIdentity}, so a framework that
 * does not export the package costs the credentials, not the bundle.
 */
final class JdkPeerCredentials {
    private JdkPeerCredentials() {
    }

    /** SO_PEERCRED of a connected Unix domain socket: {@code [user, group]}. */
    static Object[] read(final SocketChannel channel) throws IOException {
        final UnixDomainPrincipal p = channel.getOption(ExtendedSocketOptions.SO_PEERCRED);
        return new Object[] {p.user(), p.group()};
    }

    static UserPrincipal user(final Object[] creds) {
        return (UserPrincipal) creds[0];
    }

    static GroupPrincipal group(final Object[] creds) {
        return (GroupPrincipal) creds[1];
    }
}
