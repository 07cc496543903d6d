package org.eipc.transport.nats.impl;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;

/**
 * {@code nats://host:port[,host:port...]/<prefix>}: the NATS servers to dial (any node of one cluster) and the
 * subject prefix that names the listener, like a socket path names a Unix listener. The prefix is one or more
 * subject tokens ({@code [A-Za-z0-9_-]}) joined by dots. Credentials never go into the URI (it is logged);
 * they come from the configuration.
 */
final class NatsAddress {
    static final int MAX_PREFIX_LENGTH = 128;
    static final int MAX_SERVERS = 32;
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._-]+|\\[[0-9A-Fa-f:.]+\\]");

    private final URI uri;
    private final List<String> servers;
    private final String prefix;

    private NatsAddress(URI uri, List<String> servers, String prefix) {
        this.uri = uri;
        this.servers = servers;
        this.prefix = prefix;
    }

    static NatsAddress parse(URI address) {
        if (address == null || !"nats".equalsIgnoreCase(address.getScheme())) {
            throw new IpcException(ErrorCode.ADDRESS_INVALID, "not a nats: address: " + address);
        }
        String authority = address.getRawAuthority();
        if (authority == null || authority.isEmpty()) {
            throw new IpcException(ErrorCode.ADDRESS_INVALID, "nats address needs host:port: " + address);
        }
        if (authority.indexOf('@') >= 0) {
            // do not echo the address: it may hold a password
            throw new IpcException(ErrorCode.ADDRESS_INVALID,
                    "credentials do not belong in a nats address; configure them (PID org.eipc.transport.nats)");
        }
        if (address.getRawQuery() != null || address.getRawFragment() != null) {
            throw new IpcException(ErrorCode.ADDRESS_INVALID, "nats address takes no query or fragment: " + address);
        }
        String[] parts = authority.split(",", -1);
        if (parts.length > MAX_SERVERS) {
            throw new IpcException(ErrorCode.ADDRESS_INVALID, "more than " + MAX_SERVERS + " servers: " + address);
        }
        List<String> servers = new ArrayList<>(parts.length);
        for (String p : parts) {
            int colon = p.lastIndexOf(':');
            if (colon <= 0 || colon == p.length() - 1 || !HOST.matcher(p.substring(0, colon)).matches()) {
                throw new IpcException(ErrorCode.ADDRESS_INVALID, "bad host:port '" + p + "' in " + address);
            }
            int port;
            try {
                port = Integer.parseInt(p.substring(colon + 1));
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (port < 1 || port > 65535) {
                throw new IpcException(ErrorCode.ADDRESS_INVALID, "bad port in '" + p + "' in " + address);
            }
            servers.add(p.substring(0, colon) + ":" + port);
        }
        String path = address.getPath();
        String prefix = path == null || path.length() < 2 ? "" : path.substring(1);
        if (prefix.length() > MAX_PREFIX_LENGTH || !PREFIX.matcher(prefix).matches()) {
            throw new IpcException(ErrorCode.ADDRESS_INVALID, "nats address needs a subject prefix of tokens "
                    + "[A-Za-z0-9_-] joined by dots, at most " + MAX_PREFIX_LENGTH + " characters: " + address);
        }
        return new NatsAddress(address, List.copyOf(servers), prefix);
    }

    /**
     * A configured server list ({@code host:port[,host:port...]}, a leading {@code nats://} allowed) with a subject
     * prefix, as the registry federation and the durable channels configure them.
     *
     * @throws IpcException {@link ErrorCode#ADDRESS_INVALID} (never echoing credentials)
     * @throws IllegalArgumentException for text that is no URI at all
     */
    static NatsAddress ofServers(String servers, String prefix) {
        String list = servers == null ? "" : servers.trim();
        list = list.regionMatches(true, 0, "nats://", 0, 7) ? list.substring(7) : list;
        return parse(URI.create("nats://" + list + "/" + prefix));
    }

    URI uri() {
        return uri;
    }

    /** host:port entries, in the order given. */
    List<String> servers() {
        return servers;
    }

    /** The servers as one key: connections to the same servers share one NATS connection. */
    String serverKey() {
        return String.join(",", servers);
    }

    String prefix() {
        return prefix;
    }

    /** Connect requests of the listener on this prefix. */
    String acceptSubject() {
        return prefix + ".accept";
    }

    @Override
    public String toString() {
        return uri.toString();
    }
}
