package org.eipc.runtime;

/**
 * A latency histogram at one moment: power-of-two buckets of nanoseconds, so a percentile is exact to within a
 * factor of two (and never below the true value). Immutable.
 */
public final class LatencySnapshot {
    /** Bucket {@code i} counts values in [2^(i-1), 2^i) ns; bucket 0 counts 0. */
    public static final int BUCKETS = 64;
    private static final LatencySnapshot EMPTY = new LatencySnapshot(new long[BUCKETS], 0);

    private final long[] buckets;
    private final long count;
    private final long max;

    /**
     * @param buckets {@link #BUCKETS} counts (copied)
     * @param max the largest value recorded, in ns
     */
    public LatencySnapshot(long[] buckets, long max) {
        if (buckets.length != BUCKETS) {
            throw new IllegalArgumentException("expected " + BUCKETS + " buckets, got " + buckets.length);
        }
        this.buckets = buckets.clone();
        long c = 0;
        for (long b : buckets) {
            c += b;
        }
        this.count = c;
        this.max = max;
    }

    public static LatencySnapshot empty() {
        return EMPTY;
    }

    /** The bucket a value falls into. */
    public static int bucketOf(long nanos) {
        return nanos <= 0 ? 0 : Math.min(BUCKETS - 1, 64 - Long.numberOfLeadingZeros(nanos));
    }

    public long count() {
        return count;
    }

    /** The largest value recorded, in ns (0 when empty). */
    public long maxNanos() {
        return max;
    }

    /**
     * The upper bound of the bucket holding the given fraction of values, capped at {@link #maxNanos()}.
     *
     * @param fraction in (0, 1], e.g. 0.5 or 0.99
     * @return ns; 0 when empty
     */
    public long percentileNanos(double fraction) {
        if (count == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(Math.min(1.0, Math.max(fraction, 1e-9)) * count);
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += buckets[i];
            if (seen >= rank) {
                long upper = i == 0 ? 0 : i >= 63 ? Long.MAX_VALUE : (1L << i) - 1;
                return Math.min(upper, max);
            }
        }
        return max;
    }

    /** A copy of the bucket counts. */
    public long[] buckets() {
        return buckets.clone();
    }

    @Override
    public String toString() {
        return "Latency[n=" + count + ", p50=" + percentileNanos(0.5) + "ns, p99=" + percentileNanos(0.99) + "ns, max="
                + max + "ns]";
    }
}
