package org.eipc.bench.runtime;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.eipc.bench.transport.Kind;
import org.eipc.bench.transport.Result;
import org.eipc.bench.transport.TransportRuns;
import org.eipc.spi.transport.Connection;
import org.eipc.spi.transport.Transport;

/**
 * The client end of the ablation ping-pong against an {@link AblationPeer}: signed 64-byte frames both ways,
 * decoded and verified on arrival, the next one sent on the I/O thread or after a hand-off to a pool of two.
 */
final class AblationRuns {
    private AblationRuns() {
    }

    static void rtt(final Transport t, final URI uri, final boolean handoff, final int warm, final int samples,
            final Result r) throws Exception {
        final ExecutorService pool = handoff ? Executors.newFixedThreadPool(2) : null;
        final Client client = new Client(pool, warm, samples);
        final Connection c = t.connect(uri, client, Duration.ofSeconds(10));
        try {
            client.start(c);
            client.ping();
            if (!client.done.await(20, TimeUnit.SECONDS) || client.count < samples) {
                throw new IllegalStateException("ablation: " + client.count + " of " + samples + " after "
                        + client.i + " replies; client pending bytes " + c.pendingBytes() + ", frames decoded " + client.frames,
                        client.closeCause);
            }
            TransportRuns.percentiles(client.rtts, samples, r);
        } finally {
            c.close();
            if (pool != null) {
                pool.shutdownNow();
            }
        }
    }

    static Kind kind(final String scheme) {
        return Kind.of(scheme);
    }

    private static final class Client extends FrameEcho {
        final long[] rtts;
        final CountDownLatch done = new CountDownLatch(1);
        volatile int count;
        private final int warm;
        private volatile int i;
        private long t0;

        Client(final ExecutorService pool, final int warm, final int samples) {
            super(pool);
            this.warm = warm;
            this.rtts = new long[samples];
        }

        void ping() {
            t0 = System.nanoTime();
            send();
        }

        @Override
        void onReply() {
            final long now = System.nanoTime();
            if (i++ >= warm) {
                rtts[count] = now - t0;
                count++;
                if (count == rtts.length) {
                    done.countDown();
                    return;
                }
            }
            ping();
        }
    }
}
