package org.eipc.service.health.impl;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

import org.eipc.spi.runtime.RuntimeEvent;

/**
 * Counts the runtime's failure events of the last {@code seconds} seconds, per kind, in one bucket per second
 * (fixed memory, no allocation per event). Recording takes a short lock and never waits for anything else, so it is
 * safe on runtime threads.
 */
final class FailureWindow {
    /** The event kinds that count as failures, in report order. */
    static final List<RuntimeEvent.Kind> KINDS = List.of(RuntimeEvent.Kind.HANDSHAKE_FAILED,
            RuntimeEvent.Kind.FRAME_REJECTED, RuntimeEvent.Kind.MESSAGE_DENIED, RuntimeEvent.Kind.QUOTA_EXCEEDED,
            RuntimeEvent.Kind.DEADLINE_EXCEEDED);

    private final int seconds;
    private final LongSupplier clockMillis;
    private final long[][] counts;
    private final long[] slotSecond;

    /**
     * @param seconds the window, at least 1
     * @param clockMillis milliseconds of some monotonic or wall clock
     */
    FailureWindow(final int seconds, final LongSupplier clockMillis) {
        if (seconds < 1) {
            throw new IllegalArgumentException("seconds=" + seconds + " below 1");
        }
        this.seconds = seconds;
        this.clockMillis = clockMillis;
        this.counts = new long[KINDS.size()][seconds];
        this.slotSecond = new long[seconds];
        Arrays.fill(slotSecond, Long.MIN_VALUE);
    }

    int seconds() {
        return seconds;
    }

    /** Counts the event if it is a failure; other kinds are ignored. */
    void record(final RuntimeEvent.Kind kind) {
        final int k = KINDS.indexOf(kind);
        if (k < 0) {
            return;
        }
        final long second = Math.floorDiv(clockMillis.getAsLong(), 1000L);
        final int slot = (int) Math.floorMod(second, (long) seconds);
        synchronized (this) {
            if (slotSecond[slot] != second) {
                for (long[] c : counts) {
                    c[slot] = 0;
                }
                slotSecond[slot] = second;
            }
            counts[k][slot]++;
        }
    }

    /** Failures per kind (lower-case kind names, {@link #KINDS} order) inside the window ending now. */
    Map<String, Long> counts() {
        final long now = Math.floorDiv(clockMillis.getAsLong(), 1000L);
        final Map<String, Long> out = new LinkedHashMap<>();
        synchronized (this) {
            for (int k = 0; k < KINDS.size(); k++) {
                long sum = 0;
                for (int slot = 0; slot < seconds; slot++) {
                    final long age = now - slotSecond[slot];
                    if (slotSecond[slot] != Long.MIN_VALUE && age >= 0 && age < seconds) {
                        sum += counts[k][slot];
                    }
                }
                out.put(KINDS.get(k).name().toLowerCase(Locale.ROOT), sum);
            }
        }
        return out;
    }
}
