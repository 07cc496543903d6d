package org.eipc.bench.transport;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The baseline: one blocking socket, a plain {@link Socket} for TCP (TCP_NODELAY, like the tcp transport) or a
 * blocking {@link SocketChannel} for a Unix domain socket, with buffered streams on top. One thread only.
 */
public final class RawPipe implements AutoCloseable {
    private static final int BUFFER = 64 * 1024;

    private final java.io.Closeable socket;
    final DataInputStream in;
    /** Unbuffered: one write is one system call (ping-pong). */
    final OutputStream rawOut;
    /** Buffered: small messages are coalesced like the transports' write queues do (streaming). */
    final BufferedOutputStream out;

    private RawPipe(final java.io.Closeable socket, final java.io.InputStream in, final OutputStream out) {
        this.socket = socket;
        this.in = new DataInputStream(new BufferedInputStream(in, BUFFER));
        this.rawOut = out;
        this.out = new BufferedOutputStream(out, BUFFER);
    }

    static RawPipe of(final Socket s) throws IOException {
        s.setTcpNoDelay(true);
        return new RawPipe(s, s.getInputStream(), s.getOutputStream());
    }

    static RawPipe of(final SocketChannel ch) {
        return new RawPipe(ch, Channels.newInputStream(ch), Channels.newOutputStream(ch));
    }

    /** A listening raw socket of {@code kind} in {@code dir}; {@link #address()} says where to connect. */
    static final class Server implements AutoCloseable {
        private final ServerSocket tcp;
        private final ServerSocketChannel unix;
        private final String address;

        Server(final Kind kind, final Path dir) throws IOException {
            if (kind == Kind.RAW_TCP) {
                tcp = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                unix = null;
                address = "127.0.0.1:" + tcp.getLocalPort();
            } else {
                tcp = null;
                final Path path = dir.resolve("raw.sock");
                Files.deleteIfExists(path);
                unix = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
                unix.bind(UnixDomainSocketAddress.of(path));
                address = path.toString();
            }
        }

        String address() {
            return address;
        }

        RawPipe accept() throws IOException {
            return tcp != null ? of(tcp.accept()) : of(unix.accept());
        }

        @Override
        public void close() throws IOException {
            if (tcp != null) {
                tcp.close();
            } else {
                unix.close();
                Files.deleteIfExists(Path.of(address));
            }
        }
    }

    public static RawPipe connect(final Kind kind, final String address) throws IOException {
        if (kind == Kind.RAW_TCP) {
            final int colon = address.lastIndexOf(':');
            return of(new Socket(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1))));
        }
        return of(SocketChannel.open(UnixDomainSocketAddress.of(address)));
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
