package org.eipc.transport.nats.impl;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import org.eipc.api.Message;

/** Counts numbered messages "m<N>" as a host receives them: duplicates, gaps and reordering are all recorded. */
final class NumberedSink {
    private final int[] seen;
    private int received;
    private int next;
    private int outOfOrder;
    private int duplicates;

    NumberedSink(int count) {
        this.seen = new int[count];
    }

    static byte[] payload(int n) {
        return ("m" + n).getBytes(StandardCharsets.US_ASCII);
    }

    synchronized void add(Message m) {
        String s = new String(m.payloadBytes(), StandardCharsets.US_ASCII);
        int n = Integer.parseInt(s.substring(1));
        if (seen[n]++ > 0) {
            duplicates++;
        }
        if (n != next) {
            outOfOrder++;
        }
        next = n + 1;
        received++;
        notifyAll();
    }

    /** Waits (on the sink's monitor, bounded) until {@code n} messages arrived. */
    synchronized void await(int n, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (received < n) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("only " + received + " of " + n + " messages arrived within "
                        + timeoutMillis + " ms; " + summary());
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    synchronized int received() {
        return received;
    }

    /** Throws unless every message arrived exactly once and in order. */
    synchronized void assertExactlyOnceInOrder() {
        int missing = 0;
        for (int c : seen) {
            if (c == 0) {
                missing++;
            }
        }
        if (missing != 0 || duplicates != 0 || outOfOrder != 0 || received != seen.length) {
            throw new AssertionError(summary() + ", missing=" + missing);
        }
    }

    synchronized String summary() {
        return "received=" + received + " of " + seen.length + ", duplicates=" + duplicates + ", outOfOrder="
                + outOfOrder;
    }
}
