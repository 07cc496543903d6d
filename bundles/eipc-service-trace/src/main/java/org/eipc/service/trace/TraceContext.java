package org.eipc.service.trace;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where a message belongs in a trace: a trace id (16 bytes, 32 lowercase hex) and the id of the message's own span
 * (8 bytes, 16 hex), carried on the wire as the message's {@code request_id} in W3C {@code traceparent} form:
 * {@code 00-<trace id>-<span id>-01}. Immutable.
 *
 * <p>Why the request id: the EIPC header has fixed, Go-compatible fields and no room for a trace; the request id
 * is free text the reference passes through untouched, every reply already repeats it (so a reply joins its
 * request's trace with no work), audit lines already carry it, and it works for every payload format without
 * touching payload bytes (which a schema could reject). A request id in any other form is left alone: such a
 * message gets a {@link #derived derived} trace id instead.
 */
public final class TraceContext {
    private static final Pattern TRACEPARENT = Pattern.compile("00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})");
    private static final String ZERO_TRACE = "0".repeat(32);
    private static final String ZERO_SPAN = "0".repeat(16);

    private final String traceId;
    private final String spanId;
    private final boolean carried;

    private TraceContext(String traceId, String spanId, boolean carried) {
        this.traceId = traceId;
        this.spanId = spanId;
        this.carried = carried;
    }

    /**
     * A context with these ids.
     *
     * @throws IllegalArgumentException when the ids are not 32 and 16 lowercase hex digits, or all zero
     */
    public static TraceContext of(String traceId, String spanId) {
        Objects.requireNonNull(traceId, "traceId");
        Objects.requireNonNull(spanId, "spanId");
        if (!traceId.matches("[0-9a-f]{32}") || traceId.equals(ZERO_TRACE)) {
            throw new IllegalArgumentException("traceId=" + traceId + ": need 32 lowercase hex digits, not all 0");
        }
        if (!spanId.matches("[0-9a-f]{16}") || spanId.equals(ZERO_SPAN)) {
            throw new IllegalArgumentException("spanId=" + spanId + ": need 16 lowercase hex digits, not all 0");
        }
        return new TraceContext(traceId, spanId, true);
    }

    /** The context a request id carries, if it is in {@code traceparent} form with non-zero ids. */
    public static Optional<TraceContext> parse(String requestId) {
        var m = TRACEPARENT.matcher(requestId);
        if (!m.matches() || m.group(1).equals(ZERO_TRACE) || m.group(2).equals(ZERO_SPAN)) {
            return Optional.empty();
        }
        return Optional.of(new TraceContext(m.group(1), m.group(2), true));
    }

    /**
     * The context of a message whose request id carries none: trace id = the first 16 bytes of SHA-256 over
     * {@code session_id \n request_id}, span id = the next 8. Both ends of a session derive the same ids (the
     * session id is shared), a reply lands in its request's trace, and messages without a request id share one
     * trace per session. {@link #carried()} is false.
     */
    public static TraceContext derived(String sessionId, String requestId) {
        byte[] d;
        try {
            d = MessageDigest.getInstance("SHA-256").digest((sessionId + "\n" + requestId)
                    .getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
        HexFormat hex = HexFormat.of();
        return new TraceContext(hex.formatHex(d, 0, 16), hex.formatHex(d, 16, 24), false);
    }

    /** 32 lowercase hex digits. */
    public String traceId() {
        return traceId;
    }

    /** 16 lowercase hex digits: the span of the message this context was taken from or made for. */
    public String spanId() {
        return spanId;
    }

    /** True when the ids travel in the request id; false when they were {@link #derived derived}. */
    public boolean carried() {
        return carried;
    }

    /** The request id that carries this context: {@code 00-<trace id>-<span id>-01}. */
    public String toRequestId() {
        return "00-" + traceId + "-" + spanId + "-01";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TraceContext t && t.traceId.equals(traceId) && t.spanId.equals(spanId)
                && t.carried == carried;
    }

    @Override
    public int hashCode() {
        return Objects.hash(traceId, spanId, carried);
    }

    @Override
    public String toString() {
        return "TraceContext[" + traceId + "/" + spanId + (carried ? "" : ", derived") + "]";
    }
}
