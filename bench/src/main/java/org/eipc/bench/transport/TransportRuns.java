package org.eipc.bench.transport;

import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.eipc.api.IpcException;
import org.eipc.protocol.FrameEncoder;
import org.eipc.spi.security.FrameMac;
import org.eipc.spi.transport.Connection;
import org.eipc.spi.transport.ConnectionHandler;
import org.eipc.spi.transport.OfferResult;
import org.eipc.spi.transport.Transport;

/** The parent's side of a measurement over an EIPC transport (the client end; the child listens). */
public final class TransportRuns {
    private TransportRuns() {
    }

    /**
     * Ping-pong of 64-byte length-prefixed messages, driven from the transport's I/O thread so one thread per
     * process is busy; the calling thread only waits. Fills {@code r}'s percentiles.
     */
    public static void rtt(final Transport t, final URI address, final int warm, final int samples, final Result r)
            throws Exception {
        final PingPong pp = new PingPong(warm, samples, System.nanoTime() + 60_000_000_000L);
        final Connection c = t.connect(address, pp, Duration.ofSeconds(10));
        try {
            pp.ping(c);
            if (!pp.done.await(90, TimeUnit.SECONDS) || pp.count < samples / 10) {
                throw new IllegalStateException(r.kind.label + ": only " + pp.count + " round trips",
                        pp.closeCause);
            }
            percentiles(pp.rtts, pp.count, r);
        } finally {
            c.close();
        }
    }

    public static void percentiles(final long[] rtts, final int n, final Result r) {
        Arrays.sort(rtts, 0, n);
        r.samples = n;
        long sum = 0;
        for (int i = 0; i < n; i++) {
            sum += rtts[i];
        }
        r.mean = sum / (double) n / 1e3;
        r.p50 = rtts[n / 2] / 1e3;
        r.p90 = rtts[(int) (n * 0.90)] / 1e3;
        r.p99 = rtts[(int) (n * 0.99)] / 1e3;
    }

    /**
     * Sends {@code warm} then {@code count} signed frames of {@code size} payload bytes, each encoded (with its
     * HMAC) just before it is offered; returns messages per second over the {@code count} part, from the first
     * offer to the sink's acknowledgement that it decoded and verified the last frame. With {@code encode} false
     * (bytes only) one frame encoded beforehand is offered again and again, as the raw sockets do. {@code cpu}
     * measures both processes over the timed part.
     */
    static double oneWay(final Transport t, final URI address, final int size, final long warm, final long count,
            final boolean encode, final CpuMeter cpu) throws Exception {
        final Acks acks = new Acks(Thread.currentThread());
        final Connection c = t.connect(address, acks, Duration.ofSeconds(10));
        try {
            final FrameEncoder encoder = new FrameEncoder();
            final FrameMac mac = Wire.newMac();
            final ByteBuffer payload = ByteBuffer.allocate(size);
            final ByteBuffer out = ByteBuffer.allocate(Wire.wireLength(size));
            final Encoder e = encode ? () -> Wire.encode(encoder, mac, payload, out)
                    : fixed(Wire.encode(encoder, mac, payload, out));
            send(c, e, warm, acks);
            acks.await(1);
            cpu.awaitJitQuiet();
            cpu.start();
            final long t0 = System.nanoTime();
            send(c, e, count, acks);
            acks.await(2);
            final long t1 = System.nanoTime();
            cpu.stop(count);
            return count / ((t1 - t0) / 1e9);
        } finally {
            c.close();
        }
    }

    /** The next message to offer. */
    @FunctionalInterface
    interface Encoder {
        ByteBuffer next();
    }

    private static Encoder fixed(final ByteBuffer frame) {
        return () -> frame.rewind();
    }

    private static void send(final Connection c, final Encoder encoder, final long n, final Acks acks) {
        for (long i = 0; i < n; i++) {
            final ByteBuffer out = encoder.next();
            int tries = 0;
            OfferResult res;
            while ((res = c.offer(out)) != OfferResult.ACCEPTED) {
                if (res == OfferResult.CLOSED) {
                    throw new IllegalStateException("connection closed", acks.closeCause);
                }
                // back-pressure: spin a little, then sleep until onWritable (or 50 us)
                if (++tries < 64) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.parkNanos(50_000);
                }
            }
        }
    }

    /** Counts acknowledgement bytes; wakes the sender on onWritable (and, if asked, on every acknowledgement). */
    public static final class Acks implements ConnectionHandler {
        private final Thread sender;
        private final long timeoutNanos;
        private final boolean wakeOnData;
        private volatile long acks;
        public volatile IpcException closeCause;

        Acks(final Thread sender) {
            this(sender, 120_000_000_000L, false);
        }

        /**
         * @param timeoutNanos how long {@link #await} waits
         * @param wakeOnData unpark the sender on every acknowledgement too (a sender parked on a window)
         */
        public Acks(final Thread sender, final long timeoutNanos, final boolean wakeOnData) {
            this.sender = sender;
            this.timeoutNanos = timeoutNanos;
            this.wakeOnData = wakeOnData;
        }

        @Override
        public void onData(final Connection c, final ByteBuffer data) {
            acks += data.remaining();
            data.position(data.limit());
            if (wakeOnData) {
                LockSupport.unpark(sender);
            }
        }

        @Override
        public void onWritable(final Connection c) {
            LockSupport.unpark(sender);
        }

        @Override
        public void onClose(final Connection c, final IpcException cause) {
            closeCause = cause;
        }

        public void await(final long n) {
            final long deadline = System.nanoTime() + timeoutNanos;
            while (acks < n) {
                if (System.nanoTime() > deadline || closeCause != null) {
                    throw new IllegalStateException("no acknowledgement from the sink", closeCause);
                }
                LockSupport.parkNanos(20_000);
            }
        }
    }

    /** The client end of the ping-pong; every reply triggers the next ping on the thread that delivers it. */
    public static final class PingPong implements ConnectionHandler {
        public final long[] rtts;
        public final CountDownLatch done = new CountDownLatch(1);
        public volatile IpcException closeCause;
        public volatile int count;
        private final int warm;
        private final long stopAt;
        private final int length;
        private final ByteBuffer msg;
        private long got;
        private long t0;
        private int i;

        PingPong(final int warm, final int samples, final long stopAt) {
            this(warm, samples, stopAt, Wire.PING_LENGTH);
        }

        /** @param length bytes of one ping, its 4-byte length prefix included */
        public PingPong(final int warm, final int samples, final long stopAt, final int length) {
            this.rtts = new long[samples];
            this.warm = warm;
            this.stopAt = stopAt;
            this.length = length;
            this.msg = ByteBuffer.allocate(length).putInt(0, length - 4);
        }

        public void ping(final Connection c) {
            t0 = System.nanoTime();
            if (c.offer(msg.clear()) != OfferResult.ACCEPTED) {
                throw new IllegalStateException("ping refused");
            }
        }

        @Override
        public void onData(final Connection c, final ByteBuffer data) {
            got += data.remaining();
            data.position(data.limit());
            if (got < length) {
                return;
            }
            got -= length;
            final long now = System.nanoTime();
            if (i++ >= warm) {
                rtts[count] = now - t0;
                count++;
            }
            if (count == rtts.length || now > stopAt) {
                done.countDown();
                return;
            }
            ping(c);
        }

        @Override
        public void onClose(final Connection c, final IpcException cause) {
            closeCause = cause;
            done.countDown();
        }
    }
}
