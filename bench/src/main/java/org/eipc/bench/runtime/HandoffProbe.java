package org.eipc.bench.runtime;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.LockSupport;

import org.eipc.bench.transport.Kind;
import org.eipc.bench.transport.Result;
import org.eipc.bench.transport.TransportRuns;

/**
 * What one hand-off to an idle runtime delivery thread costs on this machine now: a thread calls
 * {@code execute} on a fixed pool of two (as {@code RuntimeContext.delivery} is built) and the time until the task
 * starts running is recorded; the task then unparks the caller, which waits parked, as an I/O thread would wait in
 * its selector. In process, no sockets.
 */
final class HandoffProbe {
    private HandoffProbe() {
    }

    static Result measure(final int warm, final int samples) throws InterruptedException {
        final ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            final long[] rtts = new long[samples];
            final Thread caller = Thread.currentThread();
            final long[] startedAt = new long[1];
            for (int i = 0; i < warm + samples; i++) {
                final long t0 = System.nanoTime();
                final boolean[] done = new boolean[1];
                pool.execute(() -> {
                    synchronized (done) {
                        startedAt[0] = System.nanoTime();
                        done[0] = true;
                    }
                    LockSupport.unpark(caller);
                });
                while (true) {
                    synchronized (done) {
                        if (done[0]) {
                            break;
                        }
                    }
                    LockSupport.park();
                }
                if (i >= warm) {
                    rtts[i - warm] = startedAt[0] - t0;
                }
            }
            final Result r = new Result(Kind.UNIX);
            TransportRuns.percentiles(rtts, samples, r);
            return r;
        } finally {
            pool.shutdownNow();
        }
    }
}
