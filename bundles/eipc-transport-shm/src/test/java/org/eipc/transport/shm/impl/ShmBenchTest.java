package org.eipc.transport.shm.impl;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.eipc.api.IpcException;
import org.eipc.spi.transport.Connection;
import org.eipc.spi.transport.ConnectionHandler;
import org.eipc.spi.transport.OfferResult;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Cross-process numbers, not part of the normal run (tag {@code bench}):
 * {@code mvn -f bundles/eipc-transport-shm/pom.xml test -Dtest=ShmBenchTest -Dshm.excludedGroups=none}.
 * Prints to the test's output file; asserts nothing.
 */
@Tag("bench")
class ShmBenchTest {

    /** Counts received bytes for the sending thread to watch. */
    static final class Counter implements ConnectionHandler {
        volatile long bytes;

        @Override
        public void onData(final Connection c, final ByteBuffer data) {
            bytes += data.remaining();
            data.position(data.limit());
        }

        @Override
        public void onClose(final Connection c, final IpcException cause) {
        }
    }

    @Test
    void measure() throws Exception {
        final Path dir = TestDirs.newDir();
        final ShmTransport transport = new ShmTransport(ShmSettings.defaults());
        try {
            rtt(transport, dir);
            oneWay(transport, dir, 64, 2_000_000);
            oneWay(transport, dir, 64 * 1024, 16 * 1024);
        } finally {
            transport.close();
            TestDirs.deleteTree(dir);
        }
    }

    /**
     * Ping-pong driven from the I/O thread's handler, so only two threads (one per process) are busy: the
     * calling thread only waits.
     */
    static final class PingPong implements ConnectionHandler {
        final long[] rtts;
        final int warmup;
        final CountDownLatch done = new CountDownLatch(1);
        private final ByteBuffer msg = ByteBuffer.allocate(64);
        private final long stopAt;
        private long got;
        private long t0;
        int count;
        private int i;

        PingPong(final int warmup, final int n, final long stopAt) {
            this.rtts = new long[n];
            this.warmup = warmup;
            this.stopAt = stopAt;
        }

        void ping(final Connection c) {
            t0 = System.nanoTime();
            if (c.offer(msg.clear()) != OfferResult.ACCEPTED) {
                throw new AssertionError("offer refused");
            }
        }

        @Override
        public void onData(final Connection c, final ByteBuffer data) {
            got += data.remaining();
            data.position(data.limit());
            if (got < 64) {
                return;
            }
            got -= 64;
            final long now = System.nanoTime();
            if (i++ >= warmup) {
                rtts[count++] = now - t0;
            }
            if (count == rtts.length || now > stopAt) {
                done.countDown();
                return;
            }
            ping(c);
        }

        volatile IpcException closeCause;

        @Override
        public void onClose(final Connection c, final IpcException cause) {
            closeCause = cause;
            done.countDown();
        }
    }

    private static void rtt(final ShmTransport transport, final Path dir) throws Exception {
        final URI address = TestDirs.address(dir, "rtt");
        try (ChildProcess child = ChildProcess.start(dir.resolve("rtt.log"), "server", address.toString(), "")) {
            // bounded in time too: on a loaded machine a round trip can cost a context switch
            final PingPong pp = new PingPong(20_000, 200_000, System.nanoTime() + 20_000_000_000L);
            final Connection c = transport.connect(address, pp, Duration.ofSeconds(10));
            pp.ping(c);
            if (!pp.done.await(60, TimeUnit.SECONDS)) {
                throw new AssertionError("ping-pong did not finish");
            }
            final long[] rtts = pp.rtts;
            final int n = pp.count;
            if (n < 100) {
                throw new AssertionError("only " + n + " round trips measured", pp.closeCause);
            }
            Arrays.sort(rtts, 0, n);
            System.out.printf("shm RTT 64 B: p50 %.2f us, p90 %.2f us, p99 %.2f us, p99.9 %.2f us (%d round trips)%n",
                    rtts[n / 2] / 1e3, rtts[n * 9 / 10] / 1e3, rtts[n * 99 / 100] / 1e3, rtts[n * 999 / 1000] / 1e3, n);
            c.close();
        }
    }

    private static void oneWay(final ShmTransport transport, final Path dir, final int size, final int count)
            throws Exception {
        final URI address = TestDirs.address(dir, "sink" + size);
        final long total = (long) size * count;
        // the sink answers one byte per warm-up batch and one at the end
        final int warm = count / 4;
        try (ChildProcess child = ChildProcess.start(dir.resolve("sink.log"), "sink", address.toString(),
                Long.toString((long) size * warm))) {
            final Counter counter = new Counter();
            final Connection c = transport.connect(address, counter, Duration.ofSeconds(10));
            final ByteBuffer msg = ByteBuffer.allocate(size);
            send(c, msg, warm);
            awaitAck(counter, 1);
            final long t0 = System.nanoTime();
            send(c, msg, warm * 4);
            awaitAck(counter, 5);
            final long ns = System.nanoTime() - t0;
            final double msgs = warm * 4 / (ns / 1e9);
            System.out.printf("shm one-way %d B (writeQueueLimit %d): %.0f msgs/s, %.3f GB/s (%d messages, %.1f ms)%n", size, c.writeQueueLimit(), msgs,
                    msgs * size / 1e9, warm * 4, ns / 1e6);
            c.close();
        }
        if (total < 0) {
            throw new AssertionError();
        }
    }

    private static void send(final Connection c, final ByteBuffer msg, final int n) {
        for (int i = 0; i < n; i++) {
            msg.clear();
            while (c.offer(msg) != OfferResult.ACCEPTED) {
                Thread.onSpinWait();
            }
        }
    }

    private static void awaitAck(final Counter counter, final long acks) {
        final long deadline = System.nanoTime() + 60_000_000_000L;
        while (counter.bytes < acks) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no ack");
            }
            Thread.onSpinWait();
        }
    }
}
