package org.eipc.transport.shm.impl;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import org.eipc.api.IpcException;
import org.eipc.spi.transport.Connection;
import org.eipc.spi.transport.ConnectionHandler;
import org.eipc.spi.transport.OfferResult;

/**
 * The second process of the cross-process tests and the benchmark. Prints {@code READY} once usable and runs
 * until its stdin closes (or it is killed).
 *
 * <pre>
 * ShmPeerMain server ADDRESS RINGDIR   listen; every accepted connection echoes what it gets
 * ShmPeerMain client ADDRESS           connect; echo what arrives
 * ShmPeerMain sink   ADDRESS BYTES     listen; count bytes per connection, answer one byte per BYTES received
 * </pre>
 */
public final class ShmPeerMain {
    private ShmPeerMain() {
    }

    public static void main(final String[] args) throws Exception {
        final String mode = args[0];
        final URI address = URI.create(args[1]);
        final String ringDir = args.length > 2 && !"sink".equals(mode) ? args[2] : "";
        final ShmTransport transport = new ShmTransport(new ShmSettings(ShmSettings.DEFAULT_RING_CAPACITY,
                ShmSettings.DEFAULT_WRITE_QUEUE_LIMIT, ShmSettings.DEFAULT_SPIN_MICROS,
                ShmSettings.DEFAULT_YIELD_MICROS, ringDir, 5000, 16));
        switch (mode) {
            case "server":
                transport.listen(address, c -> new Echo());
                break;
            case "client":
                transport.connect(address, new Echo(), Duration.ofSeconds(10));
                break;
            case "sink":
                final long every = Long.parseLong(args[2]);
                transport.listen(address, c -> new Sink(every));
                break;
            default:
                throw new IllegalArgumentException("mode=" + mode);
        }
        System.out.println("READY");
        System.out.flush();
        // run until the parent closes our stdin
        final BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        while (in.readLine() != null) {
            // ignore
        }
        transport.close();
    }

    /** Echoes everything; waits out back-pressure by suspending reads until onWritable. */
    static final class Echo implements ConnectionHandler {
        private ByteBuffer stash;
        final CountDownLatch closed = new CountDownLatch(1);

        @Override
        public void onData(final Connection c, final ByteBuffer data) {
            if (stash != null) {
                return; // suspended; bytes stay with the transport
            }
            final ByteBuffer copy = ByteBuffer.allocate(data.remaining()).put(data).flip();
            if (c.offer(copy) == OfferResult.BACK_PRESSURE) {
                stash = copy;
                c.suspendReads();
            }
        }

        @Override
        public void onWritable(final Connection c) {
            if (stash != null && c.offer(stash) != OfferResult.BACK_PRESSURE) {
                stash = null;
                c.resumeReads();
            }
        }

        @Override
        public void onClose(final Connection c, final IpcException cause) {
            closed.countDown();
        }
    }

    /** Counts bytes; answers one byte each time another {@code every} bytes arrived. */
    static final class Sink implements ConnectionHandler {
        private final long every;
        private long count;
        private final ByteBuffer ack = ByteBuffer.allocate(1);

        Sink(final long every) {
            this.every = every;
        }

        @Override
        public void onData(final Connection c, final ByteBuffer data) {
            count += data.remaining();
            data.position(data.limit());
            while (count >= every) {
                count -= every;
                c.offer(ack.clear());
            }
        }

        @Override
        public void onClose(final Connection c, final IpcException cause) {
        }
    }
}
