package org.eipc.api;

/**
 * Every way an EIPC operation can fail. Codes are specific: a decoder reports which check failed, not just
 * "bad frame". The {@link Category} groups codes for exit codes, metrics and audit.
 *
 * <p>Numeric {@link #id() ids} are stable and never reused; new codes are appended.
 */
public enum ErrorCode {
    // ---- framing and data (the bytes are wrong) ------------------------------------------------------------
    /** Fewer than 16 bytes where a frame preamble was expected (reference: {@code read preamble: ...}). */
    TRUNCATED_PREAMBLE(100, Category.DATA),
    /** The first four bytes are not {@code "EIPC"}. */
    BAD_MAGIC(101, Category.DATA),
    /** The version field is not 1. */
    UNSUPPORTED_VERSION(102, Category.DATA),
    /** header_len + payload_len exceeds the frame limit. */
    FRAME_TOO_LARGE(103, Category.DATA),
    /** The frame ends inside the header. */
    TRUNCATED_HEADER(104, Category.DATA),
    /** The frame ends inside the payload. */
    TRUNCATED_PAYLOAD(105, Category.DATA),
    /** The HMAC flag is set but the frame ends before the 32-byte MAC. */
    TRUNCATED_MAC(106, Category.DATA),
    /** Bytes follow the frame inside its length prefix (the reference ignores them; strict mode does not). */
    TRAILING_BYTES(107, Category.DATA),
    /** A stream length prefix announces more than the stream limit. Nothing was allocated for it. */
    STREAM_PREFIX_TOO_LARGE(108, Category.DATA),
    /** A stream length prefix of zero. */
    STREAM_PREFIX_ZERO(109, Category.DATA),
    /** The stream ended inside a length prefix. */
    TRUNCATED_PREFIX(110, Category.DATA),
    /** The stream ended inside a frame announced by its length prefix. */
    TRUNCATED_FRAME(111, Category.DATA),
    /** The header is zero bytes long. */
    HEADER_EMPTY(112, Category.DATA),
    /** The header is not well-formed JSON (or not valid UTF-8). */
    HEADER_SYNTAX(113, Category.DATA),
    /** The header is JSON but not an object. */
    HEADER_NOT_OBJECT(114, Category.DATA),
    /** A known header field has the wrong type or is out of range (string sequence, -1, 3.0, priority 256). */
    HEADER_FIELD_TYPE(115, Category.DATA),
    /** A flag bit that this mode does not accept (strict mode: COMPRESS and undefined bits). */
    UNSUPPORTED_FLAGS(116, Category.DATA),
    /** A payload could not be encoded or decoded by a codec. */
    CODEC_ERROR(117, Category.DATA),
    /** A payload failed schema validation. */
    SCHEMA_INVALID(118, Category.DATA),
    /** An encrypted payload failed to open (bad tag, too short, wrong key). */
    DECRYPT_FAILED(119, Category.DATA),
    /** A frame a protocol does not allow in this state (for example a data frame before the handshake). */
    PROTOCOL_VIOLATION(120, Category.DATA),

    // ---- security (the bytes are well-formed but not trusted) ---------------------------------------------
    /** Strict mode: the frame carries no MAC. */
    MAC_MISSING(200, Category.SECURITY),
    /** The MAC does not verify under any accepted key. */
    MAC_INVALID(201, Category.SECURITY),
    /** The sequence number was already seen inside the replay window. */
    REPLAY_DUPLICATE(202, Category.SECURITY),
    /** The sequence number is older than the replay window. */
    REPLAY_OUTSIDE_WINDOW(203, Category.SECURITY),
    /** Sequence number zero, which no sender ever uses. */
    SEQUENCE_INVALID(204, Category.SECURITY),
    /** The peer failed authentication (wrong key, wrong response, unknown identity). */
    AUTH_FAILED(205, Category.SECURITY),
    /** A handshake message arrived out of order, was reflected, or did not match what was agreed. */
    HANDSHAKE_FAILED(206, Category.SECURITY),
    /** The peer lacks the capability the message needs, or presented a forged or foreign one. */
    CAPABILITY_DENIED(207, Category.SECURITY),
    /** A policy rule denied the message. */
    POLICY_DENIED(208, Category.SECURITY),
    /** No key with the requested id is known. */
    KEY_UNKNOWN(209, Category.SECURITY),
    /** The key was valid once but its overlap window is over. */
    KEY_RETIRED(210, Category.SECURITY),
    /** The session's time to live is over. */
    SESSION_EXPIRED(211, Category.SECURITY),
    /** The session id or resume token is not known. */
    SESSION_UNKNOWN(212, Category.SECURITY),

    // ---- time ---------------------------------------------------------------------------------------------
    /** The handshake did not finish before its deadline. */
    HANDSHAKE_TIMEOUT(300, Category.TIMEOUT),
    /** A request got no reply before its deadline. */
    REQUEST_TIMEOUT(301, Category.TIMEOUT),
    /** A message could not be delivered within its channel's latency budget. */
    DEADLINE_EXCEEDED(302, Category.TIMEOUT),

    // ---- transport ----------------------------------------------------------------------------------------
    /** The peer could not be reached. */
    CONNECT_FAILED(400, Category.TRANSPORT),
    /** The connection is closed. */
    CONNECTION_CLOSED(401, Category.TRANSPORT),
    /** An I/O error on an open connection. */
    TRANSPORT_IO(402, Category.TRANSPORT),
    /** No transport is registered for the address scheme. */
    TRANSPORT_UNAVAILABLE(403, Category.TRANSPORT),
    /** A TLS handshake or record failed. */
    TLS_FAILED(404, Category.TRANSPORT),

    // ---- flow control -------------------------------------------------------------------------------------
    /** A per-peer quota (bytes/s, messages/s, queue depth) was exceeded. */
    QUOTA_EXCEEDED(500, Category.FLOW),
    /**
     * This side's send queue is full: nothing was sent. Retry after {@link Session#whenWritable()} completes (what
     * {@link Session#request} reports where {@link Session#send} returns {@link SendResult#BACK_PRESSURE}).
     */
    BACK_PRESSURE(501, Category.FLOW),

    // ---- usage and configuration --------------------------------------------------------------------------
    /** An address (URI) is malformed or names an unknown scheme. */
    ADDRESS_INVALID(600, Category.USAGE),
    /** A configuration value is missing or out of range. */
    CONFIG_INVALID(601, Category.USAGE),
    /** An operation was called in a state that does not allow it (for example send after close). */
    ILLEGAL_STATE(602, Category.USAGE),

    // ---- bugs ---------------------------------------------------------------------------------------------
    /** Something that should not happen did. Always a bug worth a report. */
    INTERNAL(900, Category.INTERNAL);

    /** Groups of codes. Each maps to one process exit code of the {@code eipc} command. */
    public enum Category {
        DATA(60), SECURITY(50), TIMEOUT(124), TRANSPORT(3), FLOW(1), USAGE(2), INTERNAL(125);

        private final int exitCode;

        Category(int exitCode) {
            this.exitCode = exitCode;
        }

        /** The exit code of the {@code eipc} command when it fails with a code of this category. */
        public int exitCode() {
            return exitCode;
        }
    }

    private final int id;
    private final Category category;

    ErrorCode(int id, Category category) {
        this.id = id;
        this.category = category;
    }

    /** A stable number for logs, metrics and the wire; never reused. */
    public int id() {
        return id;
    }

    public Category category() {
        return category;
    }
}
