package org.eipc.transport.unix.impl;

import java.io.IOException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Objects;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Unix domain socket transport, {@code unix:///absolute/path.sock}.
 *
 * <p><b>The socket file is owner-only before anyone can connect.</b> {@code bind(2)} creates the file with the
 * umask's permissions, and a chmod afterwards leaves a window in which another user can connect. So we bind
 * inside a fresh private directory (mode 0700, created with that mode, next to the target so that it is on the
 * same file system), chmod the socket to 0600 there, where nobody else can reach it, and only then give it its
 * public name with {@code link(2)}. {@code link} is atomic and, unlike {@code rename}, fails if the name exists,
 * so a server that appeared meanwhile is never replaced. The private name and directory are then removed.
 *
 * <p><b>Stale files.</b> If the name exists and is a socket, we connect to it: refused means a crashed
 * server left it, so it is removed; an answer means a live server owns it, and listen fails.
 */
@Component(service = Transport.class, configurationPid = "org.eipc.transport.unix",
        property = Transport.PROP_KIND + "=unix")
@TransportSchemes("unix")
@Designate(ocd = UnixTransportConfig.class)
@ProvidesTransport("unix")
public final class UnixTransport implements Transport, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(UnixTransport.class);
    private static final Set<String> SCHEMES = Set.of("unix");
    /** sun_path is 108 bytes including the terminating NUL on Linux. */
    static final int MAX_PATH_BYTES = 107;
    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;

    // the configuration defaults, used by UnixTransportConfig and by the no-argument constructor
    static final long DEFAULT_WRITE_QUEUE_LIMIT = 4L << 20;
    static final int DEFAULT_READ_BUFFER_SIZE = 64 * 1024;
    static final int DEFAULT_IO_THREADS = 1;

    private final NioEngine engine;

    @Activate
    public UnixTransport(UnixTransportConfig config) {
        this(config.writeQueueLimit(), config.readBufferSize(), config.ioThreads());
    }

    /**
     * A transport with every configuration default, for use without OSGi: tests and the eipc command. Close it
     * when done.
     */
    public UnixTransport() {
        this(DEFAULT_WRITE_QUEUE_LIMIT, DEFAULT_READ_BUFFER_SIZE, DEFAULT_IO_THREADS);
    }

    UnixTransport(long writeQueueLimit, int readBufferSize, int ioThreads) {
        this.engine = new NioEngine("eipc-unix", ioThreads, readBufferSize, writeQueueLimit);
    }

    @Override
    public String kind() {
        return "unix";
    }

    @Override
    public Set<String> schemes() {
        return SCHEMES;
    }

    @Override
    public Listener listen(URI address, Function<Connection, ConnectionHandler> handlers) {
        Path path = parse(address);
        Path dir = path.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new IpcException(ErrorCode.TRANSPORT_IO, "directory of " + path + " does not exist");
        }
        removeIfStale(path);
        Path privateDir = null;
        ServerSocketChannel server = null;
        try {
            privateDir = Files.createTempDirectory(dir, ".eipc-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Path hidden = privateDir.resolve("s");
            if (hidden.toString().getBytes(StandardCharsets.UTF_8).length > MAX_PATH_BYTES) {
                throw new IpcException(ErrorCode.ADDRESS_INVALID, "socket directory path too long to bind privately: "
                        + dir);
            }
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(hidden), 1024);
            Files.setPosixFilePermissions(hidden, PosixFilePermissions.fromString("rw-------"));
            try {
                Files.createLink(path, hidden);
            } catch (FileAlreadyExistsException e) {
                throw new IpcException(ErrorCode.TRANSPORT_IO, path + " was created by someone else while binding");
            }
            Object inode = fileKey(path);
            Files.delete(hidden);
            Files.delete(privateDir);
            privateDir = null;
            return engine.listen(server, address, new UnixAdapter(address), handlers, () -> removeOwn(path, inode));
        } catch (IOException | UnsupportedOperationException e) {
            closeQuietly(server);
            throw new IpcException(ErrorCode.TRANSPORT_IO, "cannot listen on " + path + ": " + e, e);
        } catch (RuntimeException e) {
            closeQuietly(server);
            throw e;
        } finally {
            if (privateDir != null) {
                deleteQuietly(privateDir.resolve("s"));
                deleteQuietly(privateDir);
            }
        }
    }

    /** Removes a socket file left by a crashed server; fails if a live server answers or it is no socket. */
    private static void removeIfStale(Path path) {
        int mode;
        try {
            mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            throw new IpcException(ErrorCode.TRANSPORT_IO, "cannot inspect " + path + ": " + e, e);
        }
        if ((mode & S_IFMT) != S_IFSOCK) {
            throw new IpcException(ErrorCode.TRANSPORT_IO, path + " exists and is not a socket");
        }
        try {
            SocketChannel.open(UnixDomainSocketAddress.of(path)).close();
        } catch (ConnectException refused) {
            LOG.info("removing stale socket {}", path);
            deleteQuietly(path);
            return;
        } catch (IOException e) {
            throw new IpcException(ErrorCode.TRANSPORT_IO, "cannot probe " + path + ": " + e, e);
        }
        throw new IpcException(ErrorCode.TRANSPORT_IO, path + " is in use by a live server");
    }

    /** On listener close: remove the socket file, unless someone else's socket has taken the name since. */
    private static void removeOwn(Path path, Object inode) {
        try {
            if (inode == null || Objects.equals(inode, fileKey(path))) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            LOG.debug("socket file {} not removed: {}", path, e.toString());
        }
    }

    private static Object fileKey(Path p) throws IOException {
        return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
    }

    @Override
    public Connection connect(URI address, ConnectionHandler handler, Duration timeout) {
        Path path = parse(address);
        SocketChannel ch = null;
        try {
            // a local connect completes or fails at once; no timeout needed for it
            ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            ch.connect(UnixDomainSocketAddress.of(path));
        } catch (IOException e) {
            closeQuietly(ch);
            throw new IpcException(ErrorCode.CONNECT_FAILED, "cannot connect to " + path + ": " + e.getMessage(), e);
        }
        return engine.open(ch, new UnixAdapter(address), handler, timeout);
    }

    static Path parse(URI address) {
        if (address == null || !"unix".equalsIgnoreCase(address.getScheme())) {
            throw new IpcException(ErrorCode.ADDRESS_INVALID, "not a unix: address: " + address);
        }
        if (address.getRawAuthority() != null && !address.getRawAuthority().isEmpty()) {
            throw new IpcException(ErrorCode.ADDRESS_INVALID, "unix address must be unix:///absolute/path, not "
                    + address);
        }
        String p = address.getPath();
        if (p == null || !p.startsWith("/") || p.endsWith("/") || address.getRawQuery() != null) {
            throw new IpcException(ErrorCode.ADDRESS_INVALID, "unix address needs an absolute file path: " + address);
        }
        if (p.getBytes(StandardCharsets.UTF_8).length > MAX_PATH_BYTES) {
            throw new IpcException(ErrorCode.ADDRESS_INVALID, "socket path longer than " + MAX_PATH_BYTES
                    + " bytes: " + p);
        }
        return Path.of(p);
    }

    private static void closeQuietly(java.io.Closeable c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException ignored) {
                // nothing to add
            }
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // best effort
        }
    }

    /** Closes every listener (removing socket files) and connection and stops the I/O threads. */
    @Deactivate
    @Override
    public void close() {
        engine.close();
    }

    boolean isRunning() {
        return engine.isAlive();
    }
}
