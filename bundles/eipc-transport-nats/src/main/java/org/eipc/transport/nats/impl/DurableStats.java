package org.eipc.transport.nats.impl;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

import org.eipc.transport.nats.durable.DurableCounters;

/** The live counters of a durable channels component; {@link #snapshot()} gives the immutable view. */
final class DurableStats {
    final AtomicLong published = new AtomicLong();
    final AtomicLong delivered = new AtomicLong();
    final AtomicLong handlerFailures = new AtomicLong();
    final AtomicLong exhausted = new AtomicLong();
    final AtomicLong duplicates = new AtomicLong();
    private final AtomicLongArray rejected = new AtomicLongArray(DurableCounters.Rejection.values().length);

    /** Counts a rejection and returns how many of this reason there were: for de-duplicated logging. */
    long reject(DurableCounters.Rejection reason) {
        return rejected.incrementAndGet(reason.ordinal());
    }

    DurableCounters snapshot() {
        long[] r = new long[rejected.length()];
        for (int i = 0; i < r.length; i++) {
            r[i] = rejected.get(i);
        }
        return new Snapshot(published.get(), delivered.get(), handlerFailures.get(), exhausted.get(),
                duplicates.get(), r);
    }

    private record Snapshot(long published, long delivered, long handlerFailures, long exhausted,
            long duplicatesSkipped, long[] rejectedByReason) implements DurableCounters {

        @Override
        public long rejected(Rejection reason) {
            return rejectedByReason[reason.ordinal()];
        }

        @Override
        public long rejected() {
            long n = 0;
            for (long v : rejectedByReason) {
                n += v;
            }
            return n;
        }

        @Override
        public String toString() {
            StringBuilder s = new StringBuilder("DurableCounters[published=").append(published).append(" delivered=")
                    .append(delivered).append(" handlerFailures=").append(handlerFailures).append(" exhausted=")
                    .append(exhausted).append(" duplicatesSkipped=").append(duplicatesSkipped);
            for (Rejection r : Rejection.values()) {
                s.append(" rejected.").append(r).append('=').append(rejectedByReason[r.ordinal()]);
            }
            return s.append(']').toString();
        }
    }
}
