package org.eipc.bench.nats;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.eipc.api.IpcException;
import org.eipc.spi.transport.Connection;
import org.eipc.spi.transport.ConnectionHandler;
import org.eipc.spi.transport.Listener;
import org.eipc.spi.transport.OfferResult;
import org.eipc.transport.nats.impl.NatsTransport;

import io.nats.client.Dispatcher;
import io.nats.client.Nats;
import io.nats.client.Options;

/**
 * The child process of {@link NatsBench}: serves one measurement, prints {@code READY <address>} on stdout and
 * runs until its stdin closes.
 *
 * <pre>
 * NatsBenchPeer echo ADDRESS                        NATS transport: echo every byte back
 * NatsBenchPeer sink ADDRESS SIZE WARM COUNT        NATS transport: count 4-byte-prefixed messages of SIZE bytes;
 *                                                   one ack byte after WARM and one after WARM + COUNT
 * NatsBenchPeer raw-echo URL SUBJECT                jnats: reply to every request with its payload
 * NatsBenchPeer raw-sink URL SUBJECT WARM COUNT     jnats: count messages; publish an ack to SUBJECT.ack after
 *                                                   WARM and after WARM + COUNT
 * </pre>
 */
public final class NatsBenchPeer {
    private NatsBenchPeer() {
    }

    public static void main(final String[] args) throws Exception {
        switch (args[0]) {
            case "echo":
            case "sink":
                transport(args);
                break;
            case "raw-echo":
            case "raw-sink":
                raw(args);
                break;
            default:
                throw new IllegalArgumentException(args[0]);
        }
    }

    private static void transport(final String[] args) throws Exception {
        final boolean echo = "echo".equals(args[0]);
        try (NatsTransport t = new NatsTransport()) {
            final Listener l = t.listen(URI.create(args[1]), c -> echo ? new Echo()
                    : new Sink(Integer.parseInt(args[2]), Long.parseLong(args[3]), Long.parseLong(args[4])));
            ready(l.address().toString());
            waitForStdinEnd();
        }
    }

    private static void raw(final String[] args) throws Exception {
        final io.nats.client.Connection nc = Nats.connect(new Options.Builder().server(args[1])
                .maxMessagesInOutgoingQueue(1 << 22).build());
        try {
            final String subject = args[2];
            final Dispatcher d;
            if ("raw-echo".equals(args[0])) {
                d = nc.createDispatcher(m -> nc.publish(m.getReplyTo(), m.getData()));
            } else {
                final long warm = Long.parseLong(args[3]);
                final long total = warm + Long.parseLong(args[4]);
                final long[] n = new long[1];
                d = nc.createDispatcher(m -> {
                    if (++n[0] == warm || n[0] == total) {
                        nc.publish(subject + ".ack", new byte[] {1});
                    }
                });
            }
            d.setPendingLimits(-1, -1); // count everything: the baseline must not drop
            d.subscribe(subject);
            nc.flush(Duration.ofSeconds(10));
            ready(subject);
            waitForStdinEnd();
        } finally {
            nc.close();
        }
    }

    private static void ready(final String address) {
        System.out.println("READY " + address);
        System.out.flush();
    }

    private static void waitForStdinEnd() throws Exception {
        final BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        while (in.readLine() != null) {
            // until the parent closes our stdin
        }
    }

    /** Echoes every byte (a ping-pong has one message in flight, so an offer is never refused). */
    static final class Echo implements ConnectionHandler {
        @Override
        public void onData(final Connection c, final ByteBuffer data) {
            if (c.offer(data) != OfferResult.ACCEPTED) {
                c.close();
            }
        }

        @Override
        public void onClose(final Connection c, final IpcException cause) {
        }
    }

    /** Counts 4-byte-prefixed messages without copying them; acknowledges after warm-up and at the end. */
    static final class Sink implements ConnectionHandler {
        private final int size;
        private final long warm;
        private final long total;
        private long messages;
        private int prefixLeft = 4;
        private int length;
        private int bodyLeft;

        Sink(final int size, final long warm, final long count) {
            this.size = size;
            this.warm = warm;
            this.total = warm + count;
        }

        @Override
        public void onData(final Connection c, final ByteBuffer data) {
            while (data.hasRemaining()) {
                if (prefixLeft > 0) {
                    length = (length << 8) | (data.get() & 0xFF);
                    if (--prefixLeft == 0) {
                        if (length != size) {
                            throw new IpcException(org.eipc.api.ErrorCode.PROTOCOL_VIOLATION, "length " + length);
                        }
                        bodyLeft = length;
                    }
                    continue;
                }
                final int n = Math.min(bodyLeft, data.remaining());
                data.position(data.position() + n);
                bodyLeft -= n;
                if (bodyLeft == 0) {
                    prefixLeft = 4;
                    length = 0;
                    if (++messages == warm || messages == total) {
                        c.offer(ByteBuffer.wrap(new byte[] {1}));
                    }
                }
            }
        }

        @Override
        public void onClose(final Connection c, final IpcException cause) {
            if (cause != null) {
                System.err.println("sink closed: " + cause);
            }
        }
    }
}
