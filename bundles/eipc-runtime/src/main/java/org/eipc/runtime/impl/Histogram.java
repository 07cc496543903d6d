package org.eipc.runtime.impl;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

import org.eipc.runtime.LatencySnapshot;

/** A lock-free power-of-two latency histogram; {@link #snapshot()} is what the metrics show. */
final class Histogram {
    private final AtomicLongArray buckets = new AtomicLongArray(LatencySnapshot.BUCKETS);
    private final AtomicLong max = new AtomicLong();

    void record(long nanos) {
        buckets.incrementAndGet(LatencySnapshot.bucketOf(nanos));
        long m = max.get();
        while (nanos > m && !max.compareAndSet(m, nanos)) {
            m = max.get();
        }
    }

    LatencySnapshot snapshot() {
        long[] b = new long[LatencySnapshot.BUCKETS];
        for (int i = 0; i < b.length; i++) {
            b[i] = buckets.get(i);
        }
        return new LatencySnapshot(b, max.get());
    }
}
