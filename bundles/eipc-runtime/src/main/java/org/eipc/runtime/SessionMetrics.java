package org.eipc.runtime;

import java.util.List;
import java.util.Objects;

/** A snapshot of one session. Immutable. */
public final class SessionMetrics {
    private final String id;
    private final String peer;
    private final String transport;
    private final boolean attached;
    private final List<LaneMetrics> lanes;
    private final int unacked;
    private final int inbox;
    private final long receivedMessages;
    private final long receivedBytes;
    private final long rejectedFrames;
    private final long deniedMessages;
    private final long quotaRejections;
    private final long lateReplies;
    private final long resumes;
    private final LatencySnapshot deliveryLatency;

    public SessionMetrics(String id, String peer, String transport, boolean attached, List<LaneMetrics> lanes,
            int unacked, int inbox, long receivedMessages, long receivedBytes, long rejectedFrames,
            long deniedMessages, long quotaRejections, long lateReplies, long resumes,
            LatencySnapshot deliveryLatency) {
        this.id = Objects.requireNonNull(id, "id");
        this.peer = Objects.requireNonNull(peer, "peer");
        this.transport = transport == null ? "" : transport;
        this.attached = attached;
        this.lanes = List.copyOf(lanes);
        this.unacked = unacked;
        this.inbox = inbox;
        this.receivedMessages = receivedMessages;
        this.receivedBytes = receivedBytes;
        this.rejectedFrames = rejectedFrames;
        this.deniedMessages = deniedMessages;
        this.quotaRejections = quotaRejections;
        this.lateReplies = lateReplies;
        this.resumes = resumes;
        this.deliveryLatency = deliveryLatency;
    }

    public String id() {
        return id;
    }

    /** The peer's authenticated service id. */
    public String peer() {
        return peer;
    }

    /** The scheme of the connection carrying the session now ({@code ""} while detached). */
    public String transport() {
        return transport;
    }

    /** False while the session waits for a new connection (resume). */
    public boolean attached() {
        return attached;
    }

    /** P0 to P3, in that order. */
    public List<LaneMetrics> lanes() {
        return lanes;
    }

    /** Sent and not yet acknowledged. */
    public int unacked() {
        return unacked;
    }

    /** Received and waiting for the handler. */
    public int inbox() {
        return inbox;
    }

    public long receivedMessages() {
        return receivedMessages;
    }

    public long receivedBytes() {
        return receivedBytes;
    }

    /** Frames rejected (replay, order) on this session. */
    public long rejectedFrames() {
        return rejectedFrames;
    }

    /** Inbound messages a capability check or gate denied. */
    public long deniedMessages() {
        return deniedMessages;
    }

    /** Sends refused because a quota of this peer was exceeded. */
    public long quotaRejections() {
        return quotaRejections;
    }

    /** Replies that arrived after their request's deadline. */
    public long lateReplies() {
        return lateReplies;
    }

    /** Times the session moved to a new connection. */
    public long resumes() {
        return resumes;
    }

    /** Time from arrival to the handler. */
    public LatencySnapshot deliveryLatency() {
        return deliveryLatency;
    }

    @Override
    public String toString() {
        return "SessionMetrics[" + id + " " + peer + " " + transport + (attached ? "" : " detached") + " unacked="
                + unacked + " inbox=" + inbox + " received=" + receivedMessages + "]";
    }
}
