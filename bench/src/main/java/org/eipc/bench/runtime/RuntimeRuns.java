package org.eipc.bench.runtime;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.eipc.api.Header;
import org.eipc.api.Message;
import org.eipc.api.MessageType;
import org.eipc.api.Session;
import org.eipc.bench.transport.Result;
import org.eipc.bench.transport.TransportRuns;

/** The client's side of a runtime round trip: {@code session.request} of a 64-byte payload, answered by a reply. */
final class RuntimeRuns {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private RuntimeRuns() {
    }

    static Message request() {
        return Message.of(MessageType.INTENT, Header.builder().build(), new byte[RuntimePeer.PAYLOAD]);
    }

    /**
     * Blocking caller: an application thread calls {@code request(..).toCompletableFuture().get()} in a loop. The
     * reply is completed on the runtime's delivery thread, which then wakes this thread.
     */
    static void blocking(final Session s, final int warm, final int samples, final Result r) throws Exception {
        final Message req = request();
        loop(warm, samples, r, () -> s.request(req, TIMEOUT).toCompletableFuture().get(10, TimeUnit.SECONDS));
    }

    /**
     * Synchronous call: an application thread calls {@code session.call(..)} in a loop; the reply wakes it straight
     * from the transport's I/O thread (no delivery-pool hop).
     */
    static void call(final Session s, final int warm, final int samples, final Result r) throws Exception {
        final Message req = request();
        loop(warm, samples, r, () -> s.call(req, TIMEOUT));
    }

    /** {@code warm} + {@code samples} round trips of {@code roundTrip}, the last {@code samples} timed. */
    private static void loop(final int warm, final int samples, final Result r,
            final java.util.concurrent.Callable<Message> roundTrip) throws Exception {
        final long[] rtts = new long[samples];
        for (int i = 0; i < warm + samples; i++) {
            final long t0 = System.nanoTime();
            final Message reply = roundTrip.call();
            final long rtt = System.nanoTime() - t0;
            if (reply.payloadLength() != RuntimePeer.PAYLOAD) {
                throw new IllegalStateException("reply of " + reply.payloadLength() + " bytes");
            }
            if (i >= warm) {
                rtts[i - warm] = rtt;
            }
        }
        TransportRuns.percentiles(rtts, samples, r);
    }

    /**
     * Chained: the next request is sent from the completion of the previous one (on the runtime's delivery thread),
     * as the bare-transport ping-pong sends the next ping from its I/O thread; the calling thread only waits.
     */
    static void chained(final Session s, final int warm, final int samples, final Result r) throws Exception {
        final Chain c = new Chain(s, warm, samples);
        c.next();
        if (!c.done.await(120, TimeUnit.SECONDS) || c.failure != null || c.count < samples) {
            throw new IllegalStateException("chained round trips: " + c.count + " of " + samples, c.failure);
        }
        TransportRuns.percentiles(c.rtts, samples, r);
    }

    private static final class Chain {
        final long[] rtts;
        final CountDownLatch done = new CountDownLatch(1);
        volatile Throwable failure;
        volatile int count;
        private final Session session;
        private final Message req = request();
        private final int warm;
        private int i;
        private long t0;

        Chain(final Session session, final int warm, final int samples) {
            this.session = session;
            this.warm = warm;
            this.rtts = new long[samples];
        }

        void next() {
            t0 = System.nanoTime();
            session.request(req, TIMEOUT).whenComplete(this::onReply);
        }

        private void onReply(final Message reply, final Throwable e) {
            final long now = System.nanoTime();
            if (e != null || reply.payloadLength() != RuntimePeer.PAYLOAD) {
                failure = e != null ? e : new IllegalStateException("reply of " + reply.payloadLength() + " bytes");
                done.countDown();
                return;
            }
            if (i++ >= warm) {
                rtts[count] = now - t0;
                count++;
                if (count == rtts.length) {
                    done.countDown();
                    return;
                }
            }
            next();
        }
    }
}
