package org.eipc.launcher.net;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;
import org.eipc.spi.transport.Transport;
import org.eipc.transport.shm.impl.ShmTransport;
import org.eipc.transport.tcp.impl.TcpTransport;
import org.eipc.transport.unix.impl.UnixTransport;

/**
 * The transports of one command run, created on first use with their defaults (no OSGi) and closed with it.
 * Not thread-safe: a command asks for its transports from its own thread.
 */
public final class Transports implements AutoCloseable {
    private final Map<String, Transport> open = new LinkedHashMap<>();

    /** The transport serving {@code address}'s scheme. */
    public Transport forAddress(URI address) {
        String scheme = address.getScheme().toLowerCase(Locale.ROOT);
        String kind = scheme.equals("tls") ? "tcp" : scheme;
        return open.computeIfAbsent(kind, Transports::create);
    }

    private static Transport create(String kind) {
        return switch (kind) {
            case "tcp" -> new TcpTransport();
            case "unix" -> new UnixTransport();
            case "shm" -> new ShmTransport();
            default -> throw new IpcException(ErrorCode.ADDRESS_INVALID, "no transport for " + kind);
        };
    }

    @Override
    public void close() {
        for (Transport t : open.values()) {
            if (t instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // closing is best effort when the command ends
                }
            }
        }
        open.clear();
    }
}
