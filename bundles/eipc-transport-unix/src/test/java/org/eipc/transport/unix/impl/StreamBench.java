package org.eipc.transport.unix.impl;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.eipc.api.IpcException;
import org.eipc.spi.transport.Connection;
import org.eipc.spi.transport.ConnectionHandler;
import org.eipc.spi.transport.Listener;
import org.eipc.spi.transport.OfferResult;
import org.eipc.spi.transport.Transport;

/**
 * Throwaway measurement (not a JMH benchmark, not part of the normal build): one-way 64 B throughput and 64 B
 * ping-pong round trips through a transport, against raw blocking channels in the same JVM.
 */
final class StreamBench {
    static final int MSG = 64;

    private StreamBench() {
    }

    /** Messages per second, one way, through the transport. */
    static double oneWay(Transport t, Transport ct, URI address, long messages) throws Exception {
        long total = messages * MSG;
        CountDownLatch done = new CountDownLatch(1);
        long[] got = new long[1];
        try (Listener l = t.listen(address, c -> new ConnectionHandler() {
            @Override
            public void onData(Connection connection, ByteBuffer data) {
                got[0] += data.remaining();
                data.position(data.limit());
                if (got[0] >= total) {
                    done.countDown();
                }
            }

            @Override
            public void onClose(Connection connection, IpcException cause) {
            }
        })) {
            Connection c = ct.connect(l.address(), new ConnectionHandler() {
                @Override
                public void onData(Connection connection, ByteBuffer data) {
                    data.position(data.limit());
                }

                @Override
                public void onClose(Connection connection, IpcException cause) {
                }
            }, Duration.ofSeconds(5));
            ByteBuffer m = ByteBuffer.allocateDirect(MSG);
            long start = System.nanoTime();
            for (long i = 0; i < messages; i++) {
                m.clear();
                m.putLong(0, i);
                while (c.offer(m) == OfferResult.BACK_PRESSURE) {
                    Thread.onSpinWait();
                }
            }
            if (!done.await(60, TimeUnit.SECONDS)) {
                throw new AssertionError("only " + got[0] + " of " + total + " bytes");
            }
            long ns = System.nanoTime() - start;
            c.close();
            return messages * 1e9 / ns;
        }
    }

    /** Mean round trip in microseconds: the client handler sends the next ping from onData (no thread hop). */
    static double pingPong(Transport t, Transport ct, URI address, int roundTrips) throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        long[] end = new long[1];
        try (Listener l = t.listen(address, c -> new Echo())) {
            ConnectionHandler client = new ConnectionHandler() {
                final ByteBuffer ping = ByteBuffer.allocateDirect(MSG);
                int have;
                int count;

                @Override
                public void onData(Connection connection, ByteBuffer data) {
                    have += data.remaining();
                    data.position(data.limit());
                    while (have >= MSG) {
                        have -= MSG;
                        if (++count == roundTrips) {
                            end[0] = System.nanoTime();
                            done.countDown();
                            return;
                        }
                        ping.clear();
                        connection.offer(ping);
                    }
                }

                @Override
                public void onClose(Connection connection, IpcException cause) {
                }
            };
            Connection c = ct.connect(l.address(), client, Duration.ofSeconds(5));
            long start = System.nanoTime();
            c.offer(ByteBuffer.allocate(MSG));
            if (!done.await(60, TimeUnit.SECONDS)) {
                throw new AssertionError("ping-pong stalled");
            }
            c.close();
            return (end[0] - start) / 1e3 / roundTrips;
        }
    }

    /** Echoes whole 64-byte messages back. */
    static final class Echo implements ConnectionHandler {
        @Override
        public void onData(Connection connection, ByteBuffer data) {
            while (data.remaining() >= MSG) {
                int lim = data.limit();
                data.limit(data.position() + MSG);
                connection.offer(data);
                data.limit(lim);
            }
        }

        @Override
        public void onClose(Connection connection, IpcException cause) {
        }
    }

    /** Raw blocking channels: one-way messages per second. */
    static double rawOneWay(Supplier<ServerSocketChannel> open, SocketAddress[] bound,
            Supplier<SocketChannel> connect, long messages) throws Exception {
        try (ServerSocketChannel server = open.get()) {
            Thread reader;
            long total = messages * MSG;
            try (SocketChannel c = connect.get(); SocketChannel s = server.accept()) {
                reader = new Thread(() -> {
                    ByteBuffer b = ByteBuffer.allocateDirect(64 * 1024);
                    long got = 0;
                    try {
                        while (got < total) {
                            b.clear();
                            int n = s.read(b);
                            if (n < 0) {
                                break;
                            }
                            got += n;
                        }
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                });
                reader.start();
                ByteBuffer m = ByteBuffer.allocateDirect(MSG);
                long start = System.nanoTime();
                for (long i = 0; i < messages; i++) {
                    m.clear();
                    m.putLong(0, i);
                    while (m.hasRemaining()) {
                        c.write(m);
                    }
                }
                reader.join(60_000);
                return messages * 1e9 / (System.nanoTime() - start);
            }
        }
    }

    /** Raw blocking channels: mean 64-byte round trip in microseconds. */
    static double rawPingPong(Supplier<ServerSocketChannel> open, Supplier<SocketChannel> connect, int roundTrips)
            throws Exception {
        try (ServerSocketChannel server = open.get(); SocketChannel c = connect.get(); SocketChannel s = server.accept()) {
            Thread echo = new Thread(() -> {
                ByteBuffer b = ByteBuffer.allocateDirect(MSG);
                try {
                    for (int i = 0; i < roundTrips; i++) {
                        b.clear();
                        while (b.hasRemaining()) {
                            if (s.read(b) < 0) {
                                return;
                            }
                        }
                        b.flip();
                        while (b.hasRemaining()) {
                            s.write(b);
                        }
                    }
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            echo.start();
            ByteBuffer b = ByteBuffer.allocateDirect(MSG);
            long start = System.nanoTime();
            for (int i = 0; i < roundTrips; i++) {
                b.clear();
                while (b.hasRemaining()) {
                    c.write(b);
                }
                b.clear();
                while (b.hasRemaining()) {
                    c.read(b);
                }
            }
            double us = (System.nanoTime() - start) / 1e3 / roundTrips;
            echo.join(10_000);
            return us;
        }
    }
}
