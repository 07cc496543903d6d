package org.eipc.transport.unix.impl;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
import java.util.OptionalLong;

import org.eipc.spi.transport.PeerCredentials;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

/**
 * SO_PEERCRED through {@code jdk.net}. Kept in its own class: {@code jdk.net} is an optional import, and
 * without it only this class fails to link ({@link #read} then reports the peer as unknown).
 */
final class PeerCred {
    private static final Logger LOG = LoggerFactory.getLogger(PeerCred.class);
    private static volatile boolean unavailable;

    private PeerCred() {
    }

    static PeerCredentials read(SocketChannel ch) {
        if (unavailable) {
            return PeerCredentials.UNKNOWN;
        }
        try {
            UnixDomainPrincipal p = ch.getOption(ExtendedSocketOptions.SO_PEERCRED);
            String user = p.user().getName();
            String group = p.group().getName();
            return new PeerCredentials(id(user, Path.of("/etc/passwd")), id(group, Path.of("/etc/group")),
                    OptionalLong.empty(), user, group, "");
        } catch (NoClassDefFoundError | UnsupportedOperationException e) {
            unavailable = true;
            LOG.warn("SO_PEERCRED not available ({}); Unix peers are reported as unknown. Export jdk.net from "
                    + "the system bundle (org.osgi.framework.system.packages.extra=jdk.net) to enable it.",
                    e.toString());
            return PeerCredentials.UNKNOWN;
        } catch (IOException e) {
            LOG.debug("SO_PEERCRED failed: {}", e.toString());
            return PeerCredentials.UNKNOWN;
        }
    }

    /**
     * The numeric id of a user or group. The JDK gives names only (it resolved the uid with getpwuid, and
     * gives the number as the name when there is no entry), so map the name back through the local database.
     */
    static OptionalInt id(String name, Path db) {
        if (!name.isEmpty() && name.chars().allMatch(Character::isDigit) && name.length() < 10) {
            return OptionalInt.of(Integer.parseInt(name));
        }
        try {
            for (String line : Files.readAllLines(db, StandardCharsets.UTF_8)) {
                // name:password:id:...
                int a = line.indexOf(':');
                if (a <= 0 || !line.regionMatches(0, name, 0, a) || a != name.length()) {
                    continue;
                }
                int b = line.indexOf(':', a + 1);
                int c = b < 0 ? -1 : line.indexOf(':', b + 1);
                if (c > b + 1) {
                    return OptionalInt.of(Integer.parseInt(line.substring(b + 1, c)));
                }
            }
        } catch (IOException | NumberFormatException e) {
            LOG.debug("cannot map {} through {}: {}", name, db, e.toString());
        }
        return OptionalInt.empty(); // NSS users (LDAP, ...) are not in the files: name only
    }
}
