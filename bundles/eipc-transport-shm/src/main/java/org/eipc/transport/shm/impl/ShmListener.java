package org.eipc.transport.shm.impl;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
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
import java.util.Objects;
import java.util.function.Function;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;
import org.eipc.spi.transport.Connection;
import org.eipc.spi.transport.ConnectionHandler;
import org.eipc.spi.transport.Listener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The side-channel server socket of one {@code shm:} address and its accepting thread.
 *
 * <p>Binding is race-free and owner-only: the socket is bound inside a fresh 0700 temporary directory next to
 * the address (nobody else can reach it there), made 0600, and then hard-linked to the address. {@code link(2)}
 * fails when the name exists, so two listeners can never both own an address, and nobody ever sees the name
 * with looser permissions. A leftover socket file from a crash is recognised by a refused connect and
 * removed; a live server at the address is an error.
 */
final class ShmListener implements Listener {
    private static final Logger LOG = LoggerFactory.getLogger(ShmListener.class);

    private final ShmTransport transport;
    private final URI address;
    private final Path socket;
    private final Function<Connection, ConnectionHandler> handlers;
    private final ServerSocketChannel server;
    private final Object fileKey;
    private final Thread acceptor;
    private volatile boolean open = true;

    private ShmListener(final ShmTransport transport, final URI address, final Path socket,
            final Function<Connection, ConnectionHandler> handlers, final ServerSocketChannel server,
            final Object fileKey) {
        this.transport = transport;
        this.address = address;
        this.socket = socket;
        this.handlers = handlers;
        this.server = server;
        this.fileKey = fileKey;
        this.acceptor = new Thread(this::acceptLoop, "eipc-shm-accept " + socket);
        acceptor.setDaemon(true);
    }

    static ShmListener bind(final ShmTransport transport, final URI address, final Path socket,
            final Function<Connection, ConnectionHandler> handlers) {
        final Path parent = socket.getParent();
        Path tmpDir = null;
        ServerSocketChannel server = null;
        try {
            if (!Files.isDirectory(parent)) {
                Files.createDirectories(parent, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
            }
            removeIfStale(address, socket);
            // mkdtemp-style: created with 0700, so the socket inside is unreachable for others until linked
            tmpDir = Files.createTempDirectory(parent, ".eipc");
            final Path tmpSocket = tmpDir.resolve("s");
            if (tmpSocket.toString().getBytes(StandardCharsets.UTF_8).length > ShmAddress.MAX_SOCKET_PATH_BYTES) {
                throw ShmAddress.invalid(address, "the directory path is too long for a Unix domain socket");
            }
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(tmpSocket));
            Files.setPosixFilePermissions(tmpSocket, PosixFilePermissions.fromString("rw-------"));
            try {
                Files.createLink(socket, tmpSocket);
            } catch (FileAlreadyExistsException e) {
                throw new IpcException(ErrorCode.TRANSPORT_IO, "shm address " + address
                        + " was taken by another listener", e);
            }
            final Object key = Files.readAttributes(socket, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                    .fileKey();
            return new ShmListener(transport, address, socket, handlers, server, key);
        } catch (IOException | RuntimeException e) {
            closeQuietly(server);
            if (e instanceof IpcException) {
                throw (IpcException) e;
            }
            throw new IpcException(ErrorCode.TRANSPORT_IO, "cannot listen on " + address + ": " + e, e);
        } finally {
            if (tmpDir != null) {
                deleteQuietly(tmpDir.resolve("s"));
                deleteQuietly(tmpDir);
            }
        }
    }

    /** Removes a socket file nobody listens on; refuses to touch anything else. */
    private static void removeIfStale(final URI address, final Path socket) throws IOException {
        final BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(socket, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return;
        }
        if (!attrs.isOther()) {
            throw new IpcException(ErrorCode.TRANSPORT_IO, "cannot listen on " + address
                    + ": the path exists and is not a socket");
        }
        try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            throw new IpcException(ErrorCode.TRANSPORT_IO, "cannot listen on " + address
                    + ": another server is listening there");
        } catch (IOException refused) {
            LOG.info("removing stale shm socket {} ({})", socket, refused.getMessage());
            Files.deleteIfExists(socket);
        }
    }

    void start() {
        acceptor.start();
    }

    private void acceptLoop() {
        while (open) {
            final SocketChannel ch;
            try {
                ch = server.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (open) {
                    LOG.warn("accept on {} failed; the listener stops", address, e);
                }
                return;
            }
            transport.accepted(ch, this);
        }
    }

    URI uri() {
        return address;
    }

    Function<Connection, ConnectionHandler> handlers() {
        return handlers;
    }

    Path socket() {
        return socket;
    }

    @Override
    public URI address() {
        return address;
    }

    @Override
    public void close() {
        if (!open) {
            return;
        }
        open = false;
        closeQuietly(server);
        try {
            // remove the name only if it is still ours (another listener may have replaced a stale link)
            final Object key = Files.readAttributes(socket, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                    .fileKey();
            if (Objects.equals(key, fileKey)) {
                Files.deleteIfExists(socket);
            }
        } catch (IOException e) {
            // already gone
        }
        transport.listenerClosed(this);
        if (Thread.currentThread() != acceptor) {
            try {
                acceptor.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void closeQuietly(final ServerSocketChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }

    private static void deleteQuietly(final Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // best effort
        }
    }
}
