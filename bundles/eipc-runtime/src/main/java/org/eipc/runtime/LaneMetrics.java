package org.eipc.runtime;

import org.eipc.api.Priority;

/** A snapshot of one priority lane of one session's send side. Immutable. */
public final class LaneMetrics {
    private final Priority priority;
    private final int queued;
    private final long sentMessages;
    private final long sentBytes;
    private final long budgetMisses;
    private final LatencySnapshot queueLatency;

    public LaneMetrics(Priority priority, int queued, long sentMessages, long sentBytes, long budgetMisses,
            LatencySnapshot queueLatency) {
        this.priority = priority;
        this.queued = queued;
        this.sentMessages = sentMessages;
        this.sentBytes = sentBytes;
        this.budgetMisses = budgetMisses;
        this.queueLatency = queueLatency;
    }

    public Priority priority() {
        return priority;
    }

    /** Messages accepted by send() and not yet on the wire. */
    public int queued() {
        return queued;
    }

    /** Messages put on the wire (first transmission only). */
    public long sentMessages() {
        return sentMessages;
    }

    /** Frame bytes put on the wire (first transmission only). */
    public long sentBytes() {
        return sentBytes;
    }

    /** Messages that missed their channel's latency budget while queued here. */
    public long budgetMisses() {
        return budgetMisses;
    }

    /** Time from send() to the wire. */
    public LatencySnapshot queueLatency() {
        return queueLatency;
    }

    @Override
    public String toString() {
        return "Lane[" + priority + " queued=" + queued + " sent=" + sentMessages + " misses=" + budgetMisses + "]";
    }
}
