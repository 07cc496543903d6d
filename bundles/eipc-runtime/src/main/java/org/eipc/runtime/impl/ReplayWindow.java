package org.eipc.runtime.impl;

import org.eipc.spi.security.ReplayGuard;
import org.eipc.spi.security.ReplayVerdict;

/**
 * The built-in replay window, used when no {@link org.eipc.spi.security.ReplayGuardProvider} is bound: the
 * reference's rule (protocol §2.6: reject 0, reject duplicates, reject anything more than {@code window} below
 * the highest, inclusive bound) over a bitmap, with unsigned comparisons. Not thread-safe.
 */
final class ReplayWindow implements ReplayGuard {
    private final int window;
    private final long[] bits;
    private long highest;

    ReplayWindow(int window) {
        this.window = window;
        this.bits = new long[(window + 1 + 63) / 64 + 1];
    }

    @Override
    public ReplayVerdict check(long seq) {
        if (seq == 0) {
            return ReplayVerdict.ZERO;
        }
        if (Long.compareUnsigned(seq, highest) > 0) {
            long shift = seq - highest;
            if (Long.compareUnsigned(shift, (long) bits.length * 64) >= 0) {
                java.util.Arrays.fill(bits, 0L);
            } else {
                for (long s = highest + 1; s != seq; s++) {
                    clear(s);
                }
            }
            highest = seq;
            set(seq);
            return ReplayVerdict.ACCEPT;
        }
        long behind = highest - seq;
        if (Long.compareUnsigned(behind, window) > 0) {
            return ReplayVerdict.OUTSIDE_WINDOW;
        }
        if (isSet(seq)) {
            return ReplayVerdict.DUPLICATE;
        }
        set(seq);
        return ReplayVerdict.ACCEPT;
    }

    @Override
    public long highest() {
        return highest;
    }

    private int slot(long s) {
        return (int) Long.remainderUnsigned(s, (long) bits.length * 64);
    }

    private void set(long s) {
        int k = slot(s);
        bits[k >>> 6] |= 1L << (k & 63);
    }

    private void clear(long s) {
        int k = slot(s);
        bits[k >>> 6] &= ~(1L << (k & 63));
    }

    private boolean isSet(long s) {
        int k = slot(s);
        return (bits[k >>> 6] & (1L << (k & 63))) != 0;
    }
}
