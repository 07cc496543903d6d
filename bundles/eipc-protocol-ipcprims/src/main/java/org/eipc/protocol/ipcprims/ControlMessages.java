package org.eipc.protocol.ipcprims;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;
import org.eipc.protocol.ipcprims.impl.JsonCursor;

/**
 * CONTROL messages after the handshake: {@code {"type":<string>,"payload":<any, optional>,
 * "timestamp":<string, optional>}}. The type is required and case-sensitive. Messages this library sends carry
 * only the type, exactly as the reference spells them ({@code {"type":"ping"}}). Stateless; thread-safe.
 */
public final class ControlMessages {
    /** Asks for a pong. */
    public static final String PING = "ping";
    /** Answers a ping (carries no correlation id, like the reference). */
    public static final String PONG = "pong";
    /** Asks the other side to shut down; it answers with {@link #SHUTDOWN_ACK}. */
    public static final String SHUTDOWN_REQUEST = "shutdown_request";
    /** Confirms a {@link #SHUTDOWN_REQUEST}. */
    public static final String SHUTDOWN_ACK = "shutdown_ack";
    /** Demands an immediate shutdown (refused unless allowed; a disconnect either way). */
    public static final String SHUTDOWN_FORCE = "shutdown_force";

    /** Longest type kept by {@link #parseType}; longer types are validated but never match a known one. */
    static final int MAX_TYPE_CHARS = 64;

    private ControlMessages() {
    }

    /** The compact JSON payload {@code {"type":"<type>"}} (type must be plain ASCII without escapes). */
    public static byte[] encode(String type) {
        return ("{\"type\":\"" + type + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Validates a CONTROL payload and returns its type (truncated to 65 chars when longer, which matches no
     * known type).
     *
     * @param payload the payload, position to limit (not changed)
     * @param offset stream offset of the payload's first byte, for error offsets
     * @throws IpcException {@link ErrorCode#PROTOCOL_VIOLATION} "invalid CONTROL JSON payload" when it is not a
     *         JSON object with a string {@code type} (and, if present, a string or null {@code timestamp})
     */
    public static String parseType(ByteBuffer payload, long offset) {
        final JsonCursor c = new JsonCursor(payload, payload.position(), payload.limit(), offset,
                ErrorCode.PROTOCOL_VIOLATION, "invalid CONTROL JSON payload");
        final StringBuilder key = new StringBuilder(16);
        final StringBuilder type = new StringBuilder(16);
        int typeSeen = -1;
        int timestampSeen = -1;
        int payloadSeen = -1;
        c.beginObject();
        while (c.nextKey(key, 16)) {
            final String k = key.toString();
            switch (k) {
                case "type":
                    HandshakeRequest.duplicate(c, typeSeen, k);
                    typeSeen = c.stringValue(type, MAX_TYPE_CHARS + 1, k);
                    break;
                case "timestamp":
                    HandshakeRequest.duplicate(c, timestampSeen, k);
                    timestampSeen = 0;
                    if (!c.nullValue()) {
                        c.stringValue(null, 0, k);
                    }
                    break;
                case "payload":
                    HandshakeRequest.duplicate(c, payloadSeen, k);
                    payloadSeen = 0;
                    c.skipValue();
                    break;
                default:
                    c.skipValue();
            }
        }
        c.end();
        HandshakeRequest.missing(c, typeSeen, "type");
        return type.toString();
    }

    /** Throws the reference's error for an unknown type. */
    static IpcException unknownType(String type, long offset) {
        return new IpcException(ErrorCode.PROTOCOL_VIOLATION,
                "unknown CONTROL message type '" + printable(type) + "'", offset);
    }

    private static String printable(String s) {
        final StringBuilder b = new StringBuilder(Math.min(s.length(), MAX_TYPE_CHARS));
        for (int i = 0; i < s.length() && i < MAX_TYPE_CHARS; i++) {
            final char ch = s.charAt(i);
            b.append(ch >= 0x20 && ch < 0x7F ? ch : '?');
        }
        return b.toString();
    }
}
