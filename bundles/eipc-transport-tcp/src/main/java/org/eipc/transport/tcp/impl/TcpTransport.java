package org.eipc.transport.tcp.impl;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;
import org.eipc.spi.transport.Connection;
import org.eipc.spi.transport.ConnectionHandler;
import org.eipc.spi.transport.Listener;
import org.eipc.spi.transport.ProvidesTransport;
import org.eipc.spi.transport.Transport;
import org.eipc.transport.nio.NioEngine;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;

/**
 * TCP transport: {@code tcp://host:port} plain, {@code tls://host:port} TLS 1.3. Port 0 in a listen address
 * picks a free port; {@link Listener#address()} tells which.
 */
@Component(service = Transport.class, configurationPid = "org.eipc.transport.tcp",
        property = {Transport.PROP_KIND + "=tcp", Transport.PROP_SCHEMES + "=tcp", Transport.PROP_SCHEMES + "=tls"})
@Designate(ocd = TcpTransportConfig.class)
@ProvidesTransport("tcp")
public final class TcpTransport implements Transport, AutoCloseable {
    private static final Set<String> SCHEMES = Set.of("tcp", "tls");
    private static final int BACKLOG = 1024;

    // the configuration defaults, used by TcpTransportConfig and by the no-argument constructor
    static final long DEFAULT_WRITE_QUEUE_LIMIT = 4L << 20;
    static final int DEFAULT_READ_BUFFER_SIZE = 64 * 1024;
    static final int DEFAULT_IO_THREADS = 1;
    static final String DEFAULT_TLS_CLIENT_AUTH = "none";
    static final boolean DEFAULT_TLS_VERIFY_HOSTNAME = true;
    static final long DEFAULT_TLS_HANDSHAKE_TIMEOUT_MILLIS = 10_000;

    private final NioEngine engine;
    private final TlsSetup tls;

    @Activate
    public TcpTransport(TcpTransportConfig config) {
        this(config.writeQueueLimit(), config.readBufferSize(), config.ioThreads(),
                new TlsSetup(config.tls_keyStore(), config.tls_keyStorePassword().toCharArray(),
                        config.tls_trustStore(), config.tls_trustStorePassword().toCharArray(),
                        config.tls_clientAuth(), config.tls_verifyHostname()),
                Duration.ofMillis(config.tls_handshakeTimeoutMillis()));
    }

    /**
     * A transport with every configuration default (no key store, so {@code tls://} can connect with the JDK's
     * default trust but not listen), for use without OSGi: tests and the eipc command. Close it when done.
     */
    public TcpTransport() {
        this(DEFAULT_WRITE_QUEUE_LIMIT, DEFAULT_READ_BUFFER_SIZE, DEFAULT_IO_THREADS,
                new TlsSetup("", new char[0], "", new char[0], DEFAULT_TLS_CLIENT_AUTH, DEFAULT_TLS_VERIFY_HOSTNAME));
    }

    /** For tests. */
    TcpTransport(long writeQueueLimit, int readBufferSize, int ioThreads, TlsSetup tls) {
        this(writeQueueLimit, readBufferSize, ioThreads, tls, Duration.ofMillis(DEFAULT_TLS_HANDSHAKE_TIMEOUT_MILLIS));
    }

    TcpTransport(long writeQueueLimit, int readBufferSize, int ioThreads, TlsSetup tls, Duration handshakeTimeout) {
        this.tls = tls;
        this.engine = new NioEngine("eipc-tcp", ioThreads, readBufferSize, writeQueueLimit, handshakeTimeout);
    }

    @Override
    public String kind() {
        return "tcp";
    }

    @Override
    public Set<String> schemes() {
        return SCHEMES;
    }

    @Override
    public Listener listen(URI address, Function<Connection, ConnectionHandler> handlers) {
        Target t = parse(address, true);
        ServerSocketChannel server = null;
        try {
            server = ServerSocketChannel.open();
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            server.bind(new InetSocketAddress(t.host, t.port), BACKLOG);
            int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
            URI bound = new URI(t.scheme, null, t.host, port, null, null, null);
            TcpAdapter adapter = new TcpAdapter(t.scheme, t.tls ? tls::serverEngine : null);
            if (t.tls) {
                tls.serverEngine(); // fail now, not per connection, when no key store is configured
            }
            return engine.listen(server, bound, adapter, handlers, null);
        } catch (IOException | URISyntaxException e) {
            if (server != null) {
                closeQuietly(server);
            }
            throw new IpcException(ErrorCode.TRANSPORT_IO, "cannot listen on " + address + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            if (server != null) {
                closeQuietly(server);
            }
            throw e;
        }
    }

    @Override
    public Connection connect(URI address, ConnectionHandler handler, Duration timeout) {
        Target t = parse(address, false);
        long start = System.nanoTime();
        SocketChannel ch = null;
        try {
            ch = SocketChannel.open();
            // blocking connect with a timeout through the socket adaptor; the engine makes it non-blocking
            ch.socket().connect(new InetSocketAddress(t.host, t.port), (int) Math.max(1, timeout.toMillis()));
        } catch (SocketTimeoutException e) {
            closeQuietly(ch);
            throw new IpcException(ErrorCode.CONNECT_FAILED, "connect to " + address + " timed out after " + timeout,
                    e);
        } catch (ConnectException | UnknownHostException e) {
            closeQuietly(ch);
            throw new IpcException(ErrorCode.CONNECT_FAILED, "cannot connect to " + address + ": " + e.getMessage(),
                    e);
        } catch (IOException | RuntimeException e) {
            closeQuietly(ch);
            throw new IpcException(ErrorCode.CONNECT_FAILED, "cannot connect to " + address + ": " + e, e);
        }
        TcpAdapter adapter = new TcpAdapter(t.scheme, t.tls ? () -> tls.clientEngine(t.host, t.port) : null);
        Duration left = timeout.minusNanos(System.nanoTime() - start);
        return engine.open(ch, adapter, handler, left.isNegative() ? Duration.ZERO : left);
    }

    private static void closeQuietly(java.io.Closeable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (IOException ignored) {
            // nothing to add
        }
    }

    /** A parsed tcp:// or tls:// address. */
    private static final class Target {
        final String scheme;
        final String host;
        final int port;
        final boolean tls;

        Target(String scheme, String host, int port) {
            this.scheme = scheme;
            this.host = host;
            this.port = port;
            this.tls = "tls".equals(scheme);
        }
    }

    private static Target parse(URI address, boolean listen) {
        if (address == null || address.getScheme() == null) {
            throw new IpcException(ErrorCode.ADDRESS_INVALID, "no scheme in address " + address);
        }
        String scheme = address.getScheme().toLowerCase(Locale.ROOT);
        if (!SCHEMES.contains(scheme)) {
            throw new IpcException(ErrorCode.ADDRESS_INVALID, "scheme " + scheme + " is not tcp or tls: " + address);
        }
        String host = address.getHost();
        if (host == null || host.isEmpty()) {
            throw new IpcException(ErrorCode.ADDRESS_INVALID, "no host in " + address + " (expected "
                    + scheme + "://host:port)");
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = address.getPort();
        if (port < 0 && listen) {
            port = 0;
        }
        if (port < 0 || port > 65535 || (port == 0 && !listen)) {
            throw new IpcException(ErrorCode.ADDRESS_INVALID, "bad or missing port in " + address);
        }
        String path = address.getRawPath();
        if (address.getRawUserInfo() != null || address.getRawQuery() != null
                || (path != null && !path.isEmpty() && !"/".equals(path))) {
            throw new IpcException(ErrorCode.ADDRESS_INVALID, "unexpected user info, path or query in " + address);
        }
        return new Target(scheme, host, port);
    }

    /** Closes every listener and connection and stops the I/O threads. */
    @Deactivate
    @Override
    public void close() {
        engine.close();
    }

    /** For leak tests: true while an I/O thread of this transport runs. */
    boolean isRunning() {
        return engine.isAlive();
    }
}
