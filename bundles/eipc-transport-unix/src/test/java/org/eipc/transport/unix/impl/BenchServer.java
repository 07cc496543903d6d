package org.eipc.transport.unix.impl;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

import org.eipc.api.IpcException;
import org.eipc.spi.transport.Connection;
import org.eipc.spi.transport.ConnectionHandler;

/**
 * The server process of the two-process measurement: in {@code dir}, {@code sink.sock} and {@code echo.sock}
 * through the transport, {@code rawsink.sock} and {@code rawecho.sock} with raw blocking channels. A sink
 * answers end of stream with the 8-byte count of bytes it got. Runs until stdin closes.
 */
public final class BenchServer {
    private BenchServer() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        UnixTransport t = new UnixTransport(4L << 20, 64 * 1024, 1);
        t.listen(URI.create("unix://" + dir.resolve("sink.sock")), c -> new Sink());
        t.listen(URI.create("unix://" + dir.resolve("echo.sock")), c -> new StreamBench.Echo());
        raw(dir.resolve("rawsink.sock"), BenchServer::rawSink);
        raw(dir.resolve("rawecho.sock"), BenchServer::rawEcho);
        System.out.println("READY");
        System.out.flush();
        while (System.in.read() >= 0) {
            // wait for the parent to go away
        }
        t.close();
        System.exit(0);
    }

    interface Serve {
        void serve(SocketChannel c) throws IOException;
    }

    private static void raw(Path p, Serve s) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(p));
        Thread a = new Thread(() -> {
            try {
                while (true) {
                    SocketChannel c = server.accept();
                    Thread w = new Thread(() -> {
                        try (c) {
                            s.serve(c);
                        } catch (IOException ignored) {
                            // client went away
                        }
                    });
                    w.setDaemon(true);
                    w.start();
                }
            } catch (IOException ignored) {
                // closed
            }
        });
        a.setDaemon(true);
        a.start();
    }

    private static void rawSink(SocketChannel c) throws IOException {
        ByteBuffer b = ByteBuffer.allocateDirect(64 * 1024);
        long got = 0;
        int n;
        while ((n = c.read(b.clear())) >= 0) {
            got += n;
        }
        ByteBuffer ack = ByteBuffer.allocate(8).putLong(0, got);
        while (ack.hasRemaining()) {
            c.write(ack);
        }
    }

    private static void rawEcho(SocketChannel c) throws IOException {
        ByteBuffer b = ByteBuffer.allocateDirect(StreamBench.MSG);
        while (true) {
            b.clear();
            while (b.hasRemaining()) {
                if (c.read(b) < 0) {
                    return;
                }
            }
            b.flip();
            while (b.hasRemaining()) {
                c.write(b);
            }
        }
    }

    /** Counts bytes; at end of stream answers with the count and closes. */
    static final class Sink implements ConnectionHandler {
        private long got;

        @Override
        public void onData(Connection connection, ByteBuffer data) {
            got += data.remaining();
            data.position(data.limit());
        }

        @Override
        public void onInputShutdown(Connection connection) {
            connection.offer(ByteBuffer.allocate(8).putLong(0, got));
            connection.shutdownOutput();
        }

        @Override
        public void onClose(Connection connection, IpcException cause) {
        }
    }
}
