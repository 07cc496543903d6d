package org.eipc.service.trace;

import java.time.Instant;
import java.util.Objects;

/**
 * One application message seen by the span tap: the hop of a trace. A reply's span has the time since its
 * request was seen in {@link #durationNanos()}. Immutable; never carries payload bytes.
 *
 * @param time when the tap saw it (wall clock)
 * @param traceId 32 hex
 * @param spanId 16 hex
 * @param carried whether the ids travel in the request id (false: derived, see {@link TraceContext#derived})
 * @param outbound true when this process sent it, false when it received it
 * @param endpoint the endpoint's address or name
 * @param sessionId the session id
 * @param peerServiceId the authenticated peer's service id
 * @param server whether this process accepted the session
 * @param type the message type's wire name, or {@code 0xNN}
 * @param requestId the request id ({@code ""} for none)
 * @param payloadLength payload bytes
 * @param durationNanos for a message whose request id was seen before in the other direction of the same
 *        session (a reply): nanoseconds since then; otherwise -1
 */
public record Span(Instant time, String traceId, String spanId, boolean carried, boolean outbound, String endpoint,
        String sessionId, String peerServiceId, boolean server, String type, String requestId, int payloadLength,
        long durationNanos) {

    /** Checks that nothing is null. */
    public Span {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(traceId, "traceId");
        Objects.requireNonNull(spanId, "spanId");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(peerServiceId, "peerServiceId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(requestId, "requestId");
    }
}
