package org.eipc.api;

import java.util.Objects;

/**
 * The JSON header of an EIPC frame, field for field as the Go reference defines it. Immutable.
 *
 * <ul>
 * <li>{@code sequence} is an unsigned 64-bit number held in a {@code long}; use
 * {@link Long#compareUnsigned(long, long)} and {@link #sequenceText()}.</li>
 * <li>{@code timestamp} is kept as the exact text received (RFC 3339 with nanoseconds in the reference's
 * spelling), so re-encoding reproduces the same bytes.</li>
 * <li>{@code priority} and {@code payloadFormat} are 0..255 on the wire.</li>
 * <li>{@code capability} and {@code route} are {@code ""} when absent (the reference omits them when empty).</li>
 * </ul>
 */
public final class Header {
    /** {@code payload_format} value for JSON payloads. */
    public static final int FORMAT_JSON = 0;
    /** {@code payload_format} value for MessagePack payloads. */
    public static final int FORMAT_MSGPACK = 1;
    /** {@code payload_format} value for CBOR payloads (an EIPC for OSGi extension). */
    public static final int FORMAT_CBOR = 2;

    /** Timestamp text the reference writes for a zero time. */
    public static final String ZERO_TIMESTAMP = "0001-01-01T00:00:00Z";

    private final String serviceId;
    private final String sessionId;
    private final String requestId;
    private final long sequence;
    private final String timestamp;
    private final int priority;
    private final String capability;
    private final String route;
    private final int payloadFormat;

    private Header(Builder b) {
        this.serviceId = b.serviceId;
        this.sessionId = b.sessionId;
        this.requestId = b.requestId;
        this.sequence = b.sequence;
        this.timestamp = b.timestamp;
        this.priority = b.priority;
        this.capability = b.capability;
        this.route = b.route;
        this.payloadFormat = b.payloadFormat;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder that starts from this header's values. */
    public Builder toBuilder() {
        return new Builder()
                .serviceId(serviceId).sessionId(sessionId).requestId(requestId).sequence(sequence)
                .timestamp(timestamp).priority(priority).capability(capability).route(route)
                .payloadFormat(payloadFormat);
    }

    /** {@code service_id}: the sender's service. */
    public String serviceId() {
        return serviceId;
    }

    /** {@code session_id}. */
    public String sessionId() {
        return sessionId;
    }

    /** {@code request_id}: correlates a reply with its request. */
    public String requestId() {
        return requestId;
    }

    /** {@code sequence}, unsigned. */
    public long sequence() {
        return sequence;
    }

    /** {@code sequence} as unsigned decimal text. */
    public String sequenceText() {
        return Long.toUnsignedString(sequence);
    }

    /** {@code timestamp}, exactly as sent or received. */
    public String timestamp() {
        return timestamp;
    }

    /** {@code priority}, 0..255; see {@link Priority#fromLevel(int)}. */
    public int priority() {
        return priority;
    }

    /** {@code capability}, or {@code ""}. */
    public String capability() {
        return capability;
    }

    /** {@code route}, or {@code ""}. */
    public String route() {
        return route;
    }

    /** {@code payload_format}: {@link #FORMAT_JSON}, {@link #FORMAT_MSGPACK}, {@link #FORMAT_CBOR}, ... */
    public int payloadFormat() {
        return payloadFormat;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Header)) {
            return false;
        }
        Header h = (Header) o;
        return sequence == h.sequence && priority == h.priority && payloadFormat == h.payloadFormat
                && serviceId.equals(h.serviceId) && sessionId.equals(h.sessionId)
                && requestId.equals(h.requestId) && timestamp.equals(h.timestamp)
                && capability.equals(h.capability) && route.equals(h.route);
    }

    @Override
    public int hashCode() {
        return Objects.hash(serviceId, sessionId, requestId, sequence, timestamp, priority, capability, route,
                payloadFormat);
    }

    @Override
    public String toString() {
        return "Header[service_id=" + serviceId + ", session_id=" + sessionId + ", request_id=" + requestId
                + ", sequence=" + sequenceText() + ", timestamp=" + timestamp + ", priority=" + priority
                + ", capability=" + capability + ", route=" + route + ", payload_format=" + payloadFormat + "]";
    }

    /** Builds a {@link Header}. Unset strings are {@code ""}, unset numbers 0. */
    public static final class Builder {
        private String serviceId = "";
        private String sessionId = "";
        private String requestId = "";
        private long sequence;
        private String timestamp = ZERO_TIMESTAMP;
        private int priority;
        private String capability = "";
        private String route = "";
        private int payloadFormat;

        private Builder() {
        }

        public Builder serviceId(String v) {
            this.serviceId = Objects.requireNonNull(v, "serviceId");
            return this;
        }

        public Builder sessionId(String v) {
            this.sessionId = Objects.requireNonNull(v, "sessionId");
            return this;
        }

        public Builder requestId(String v) {
            this.requestId = Objects.requireNonNull(v, "requestId");
            return this;
        }

        /** Sets the sequence; the value is unsigned (pass -1L for 2^64-1). */
        public Builder sequence(long v) {
            this.sequence = v;
            return this;
        }

        public Builder timestamp(String v) {
            this.timestamp = Objects.requireNonNull(v, "timestamp");
            return this;
        }

        public Builder priority(int v) {
            if (v < 0 || v > 255) {
                throw new IpcException(ErrorCode.HEADER_FIELD_TYPE, "priority " + v + " outside 0..255");
            }
            this.priority = v;
            return this;
        }

        public Builder priority(Priority p) {
            return priority(p.level());
        }

        public Builder capability(String v) {
            this.capability = Objects.requireNonNull(v, "capability");
            return this;
        }

        public Builder route(String v) {
            this.route = Objects.requireNonNull(v, "route");
            return this;
        }

        public Builder payloadFormat(int v) {
            if (v < 0 || v > 255) {
                throw new IpcException(ErrorCode.HEADER_FIELD_TYPE, "payload_format " + v + " outside 0..255");
            }
            this.payloadFormat = v;
            return this;
        }

        public Header build() {
            return new Header(this);
        }
    }
}
