package org.eipc.transport.unix.impl;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.eipc.api.IpcException;
import org.eipc.spi.transport.Connection;
import org.eipc.spi.transport.ConnectionHandler;
import org.eipc.spi.transport.OfferResult;
import org.eipc.spi.transport.Transport;

/** Client side of the two-process measurement (see {@link BenchServer}). */
final class TwoProcess {
    private TwoProcess() {
    }

    /** Messages per second until the sink process acknowledged every byte. */
    static double oneWay(Transport ct, URI sink, long messages) throws Exception {
        CompletableFuture<Long> ack = new CompletableFuture<>();
        Connection c = ct.connect(sink, new ConnectionHandler() {
            @Override
            public void onData(Connection connection, ByteBuffer data) {
                if (data.remaining() >= 8) {
                    ack.complete(data.getLong());
                }
            }

            @Override
            public void onClose(Connection connection, IpcException cause) {
                ack.complete(-1L);
            }
        }, Duration.ofSeconds(5));
        ByteBuffer m = ByteBuffer.allocateDirect(StreamBench.MSG);
        long start = System.nanoTime();
        for (long i = 0; i < messages; i++) {
            m.clear();
            m.putLong(0, i);
            while (c.offer(m) == OfferResult.BACK_PRESSURE) {
                Thread.onSpinWait();
            }
        }
        c.shutdownOutput();
        long got = ack.get(60, TimeUnit.SECONDS);
        long ns = System.nanoTime() - start;
        c.close();
        if (got != messages * StreamBench.MSG) {
            throw new AssertionError("sink got " + got);
        }
        return messages * 1e9 / ns;
    }

    static double rawOneWay(Supplier<SocketChannel> connect, long messages) throws Exception {
        try (SocketChannel c = connect.get()) {
            ByteBuffer m = ByteBuffer.allocateDirect(StreamBench.MSG);
            long start = System.nanoTime();
            for (long i = 0; i < messages; i++) {
                m.clear();
                m.putLong(0, i);
                while (m.hasRemaining()) {
                    c.write(m);
                }
            }
            c.shutdownOutput();
            ByteBuffer ack = ByteBuffer.allocate(8);
            while (ack.hasRemaining() && c.read(ack) >= 0) {
                // wait for the count
            }
            long ns = System.nanoTime() - start;
            if (ack.getLong(0) != messages * StreamBench.MSG) {
                throw new AssertionError("raw sink got " + ack.getLong(0));
            }
            return messages * 1e9 / ns;
        }
    }

    /** Mean round trip (us); the next ping leaves from onData. */
    static double pingPong(Transport ct, URI echo, int roundTrips) throws Exception {
        CompletableFuture<Long> done = new CompletableFuture<>();
        ConnectionHandler h = new ConnectionHandler() {
            final ByteBuffer ping = ByteBuffer.allocateDirect(StreamBench.MSG);
            int have;
            int count;

            @Override
            public void onData(Connection connection, ByteBuffer data) {
                have += data.remaining();
                data.position(data.limit());
                while (have >= StreamBench.MSG) {
                    have -= StreamBench.MSG;
                    if (++count == roundTrips) {
                        done.complete(System.nanoTime());
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
        Connection c = ct.connect(echo, h, Duration.ofSeconds(5));
        long start = System.nanoTime();
        c.offer(ByteBuffer.allocate(StreamBench.MSG));
        long end = done.get(60, TimeUnit.SECONDS);
        c.close();
        return (end - start) / 1e3 / roundTrips;
    }

    static double rawPingPong(Supplier<SocketChannel> connect, int roundTrips) throws Exception {
        try (SocketChannel c = connect.get()) {
            ByteBuffer b = ByteBuffer.allocateDirect(StreamBench.MSG);
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
            return (System.nanoTime() - start) / 1e3 / roundTrips;
        }
    }
}
