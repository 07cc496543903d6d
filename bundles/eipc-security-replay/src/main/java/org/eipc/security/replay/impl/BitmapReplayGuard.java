package org.eipc.security.replay.impl;

import java.util.Arrays;

import org.eipc.spi.security.ReplayGuard;
import org.eipc.spi.security.ReplayVerdict;

/**
 * The reference's replay check (protocol §2.6) on a fixed bitmap instead of a growing set:
 *
 * <pre>
 * seq == 0                    -&gt; ZERO
 * seq &gt; max                   -&gt; accept, max = seq (the window slides)
 * max - seq &gt; window          -&gt; OUTSIDE_WINDOW  (max - window itself is still accepted)
 * seq seen                    -&gt; DUPLICATE
 * otherwise                   -&gt; accept (out of order inside the window)
 * </pre>
 *
 * <p>Sequences are unsigned 64-bit: every comparison is {@link Long#compareUnsigned}, and {@code max - seq}
 * is computed only when {@code seq <= max}, so it cannot wrap. 2^64-1 is an ordinary sequence (and, as in the
 * reference, nothing is newer than it).
 *
 * <p>The bitmap has a power-of-two number of slots, at least {@code window + 1}, and sequence {@code s} lives
 * in slot {@code s mod slots}. The {@code window + 1} sequences {@code max - window .. max} that can still be
 * accepted therefore always have distinct slots. When max advances, the slots of the sequences passed over
 * are cleared (all slots when it jumps by {@code slots} or more); slots of sequences older than the window may
 * keep stale bits, but those sequences are rejected by the window check before the bitmap is read. Nothing is
 * allocated after construction. Not thread-safe: one guard per session direction.
 */
final class BitmapReplayGuard implements ReplayGuard {
    private final long window;
    private final long[] words;
    private final long slotMask;
    private long max;

    BitmapReplayGuard(int window) {
        this.window = window;
        int slots = Integer.highestOneBit(window) << 1; // a power of two > window, so >= window + 1
        this.words = new long[Math.max(1, slots >>> 6)];
        this.slotMask = (long) words.length * 64 - 1;
    }

    @Override
    public ReplayVerdict check(long sequence) {
        if (sequence == 0) {
            return ReplayVerdict.ZERO;
        }
        if (Long.compareUnsigned(sequence, max) > 0) {
            advanceTo(sequence);
            set(sequence);
            return ReplayVerdict.ACCEPT;
        }
        final long behind = max - sequence; // sequence <= max (unsigned): no wrap
        if (Long.compareUnsigned(behind, window) > 0) {
            return ReplayVerdict.OUTSIDE_WINDOW;
        }
        if (isSet(sequence)) {
            return ReplayVerdict.DUPLICATE;
        }
        set(sequence);
        return ReplayVerdict.ACCEPT;
    }

    @Override
    public long highest() {
        return max;
    }

    /** Clears the slots of max+1 .. newMax, which may hold bits of sequences now outside the window. */
    private void advanceTo(long newMax) {
        final long advance = newMax - max; // newMax > max (unsigned): positive distance, no wrap
        final long slots = slotMask + 1;
        if (Long.compareUnsigned(advance, slots) >= 0) {
            Arrays.fill(words, 0L);
        } else {
            clearSlots(max + 1, (int) advance);
        }
        max = newMax;
    }

    private void clearSlots(long fromSequence, int count) {
        long slot = fromSequence & slotMask;
        int left = count;
        while (left > 0) {
            final int bit = (int) (slot & 63);
            final int n = Math.min(left, 64 - bit);
            final long bits = n == 64 ? -1L : ((1L << n) - 1) << bit;
            words[(int) (slot >>> 6)] &= ~bits;
            left -= n;
            slot = (slot + n) & slotMask;
        }
    }

    private boolean isSet(long sequence) {
        final long slot = sequence & slotMask;
        return (words[(int) (slot >>> 6)] & (1L << slot)) != 0;
    }

    private void set(long sequence) {
        final long slot = sequence & slotMask;
        words[(int) (slot >>> 6)] |= 1L << slot;
    }

    @Override
    public String toString() {
        return "BitmapReplayGuard[window=" + window + ", highest=" + Long.toUnsignedString(max) + "]";
    }
}
