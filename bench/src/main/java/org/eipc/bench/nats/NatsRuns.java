package org.eipc.bench.nats;

import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.eipc.spi.transport.Connection;
import org.eipc.spi.transport.OfferResult;
import org.eipc.bench.transport.TransportRuns;
import org.eipc.transport.nats.impl.NatsTransport;

import io.nats.client.Dispatcher;
import io.nats.client.Message;

/** The parent's side of each measurement: through the NATS transport, and through jnats directly. */
final class NatsRuns {
    static final int PING = 64;

    private NatsRuns() {
    }

    /** Ping-pong of 64-byte messages through the transport, driven from its delivery thread; returns ns RTTs. */
    static long[] transportRtt(final NatsTransport t, final URI address, final int warm, final int samples)
            throws Exception {
        final TransportRuns.PingPong pp = new TransportRuns.PingPong(warm, samples, Long.MAX_VALUE, PING);
        final Connection c = t.connect(address, pp, Duration.ofSeconds(10));
        try {
            pp.ping(c);
            if (!pp.done.await(120, TimeUnit.SECONDS) || pp.count < samples) {
                throw new IllegalStateException("only " + pp.count + " round trips", pp.closeCause);
            }
            return pp.rtts;
        } finally {
            c.close();
        }
    }

    /** Blocking jnats request/reply of 64-byte payloads; returns ns RTTs. */
    static long[] rawRtt(final io.nats.client.Connection nc, final String subject, final int warm,
            final int samples) throws Exception {
        final byte[] payload = new byte[PING];
        final long[] rtts = new long[samples];
        for (int i = 0; i < warm + samples; i++) {
            final long t0 = System.nanoTime();
            final Message m = nc.request(subject, payload, Duration.ofSeconds(10));
            final long t1 = System.nanoTime();
            if (m == null || m.getData().length != PING) {
                throw new IllegalStateException("no reply to request " + i);
            }
            if (i >= warm) {
                rtts[i - warm] = t1 - t0;
            }
        }
        return rtts;
    }

    /**
     * Offers {@code warm} then {@code count} 4-byte-prefixed messages of {@code size} bytes; returns messages per
     * second over the {@code count} part, up to the sink's acknowledgement of the last one.
     */
    static double transportOneWay(final NatsTransport t, final URI address, final int size, final long warm,
            final long count) throws Exception {
        final TransportRuns.Acks acks = new TransportRuns.Acks(Thread.currentThread(), 180_000_000_000L, true);
        final Connection c = t.connect(address, acks, Duration.ofSeconds(10));
        try {
            final ByteBuffer msg = ByteBuffer.allocate(4 + size).putInt(0, size);
            send(c, msg, warm, acks);
            acks.await(1);
            final long t0 = System.nanoTime();
            send(c, msg, count, acks);
            acks.await(2);
            return count / ((System.nanoTime() - t0) / 1e9);
        } finally {
            c.close();
        }
    }

    private static void send(final Connection c, final ByteBuffer msg, final long n, final TransportRuns.Acks acks) {
        for (long i = 0; i < n; i++) {
            msg.clear();
            int tries = 0;
            OfferResult res;
            while ((res = c.offer(msg)) != OfferResult.ACCEPTED) {
                if (res == OfferResult.CLOSED) {
                    throw new IllegalStateException("connection closed", acks.closeCause);
                }
                // back-pressure: spin a little, then park until onWritable (or 50 us)
                if (++tries < 64) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.parkNanos(50_000);
                }
            }
        }
    }

    /** Publishes {@code warm} then {@code count} messages of {@code size} bytes with jnats; messages per second. */
    static double rawOneWay(final io.nats.client.Connection nc, final String subject, final int size,
            final long warm, final long count) throws Exception {
        final AtomicLong acks = new AtomicLong();
        final Thread me = Thread.currentThread();
        final Dispatcher d = nc.createDispatcher(m -> {
            acks.incrementAndGet();
            LockSupport.unpark(me);
        });
        d.subscribe(subject + ".ack");
        nc.flush(Duration.ofSeconds(10));
        try {
            final byte[] payload = new byte[size];
            for (long i = 0; i < warm; i++) {
                nc.publish(subject, payload);
            }
            awaitAcks(acks, 1);
            final long t0 = System.nanoTime();
            for (long i = 0; i < count; i++) {
                nc.publish(subject, payload);
            }
            awaitAcks(acks, 2);
            return count / ((System.nanoTime() - t0) / 1e9);
        } finally {
            nc.closeDispatcher(d);
        }
    }

    private static void awaitAcks(final AtomicLong acks, final long n) {
        final long deadline = System.nanoTime() + 180_000_000_000L;
        while (acks.get() < n) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no acknowledgement from the raw sink (messages dropped?)");
            }
            LockSupport.parkNanos(20_000);
        }
    }
}
