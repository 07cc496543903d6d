package org.eipc.api;

/**
 * The twelve message types of the EIPC protocol, each with the byte it has on the wire and the name the Go
 * reference uses. The wire accepts any byte; {@link #fromWire(int)} returns {@code null} for bytes outside
 * this table, and frames keep the raw byte so nothing is lost.
 */
public enum MessageType {
    INTENT('i', "intent"),
    FEATURES('f', "features"),
    TOOL_REQUEST('t', "tool_request"),
    ACK('a', "ack"),
    AUTH('A', "auth"),
    CHALLENGE('H', "challenge"),
    AUTH_RESPONSE('R', "auth_response"),
    POLICY_RESULT('p', "policy_result"),
    HEARTBEAT('h', "heartbeat"),
    AUDIT('u', "audit"),
    CHAT('c', "chat"),
    COMPLETE('C', "complete");

    private static final MessageType[] BY_BYTE = new MessageType[128];

    static {
        for (MessageType t : values()) {
            BY_BYTE[t.wire] = t;
        }
    }

    private final byte wire;
    private final String wireName;

    MessageType(char wire, String wireName) {
        this.wire = (byte) wire;
        this.wireName = wireName;
    }

    /** The byte at offset 6 of a frame. */
    public byte wireByte() {
        return wire;
    }

    /** The reference's name ({@code core.MessageType}), e.g. {@code "tool_request"}. */
    public String wireName() {
        return wireName;
    }

    /** The type for a wire byte, or {@code null} when the byte is not one of the twelve. */
    public static MessageType fromWire(int b) {
        return b >= 0 && b < BY_BYTE.length ? BY_BYTE[b] : null;
    }

    /** The type for a reference name, or {@code null}. */
    public static MessageType fromWireName(String name) {
        for (MessageType t : values()) {
            if (t.wireName.equals(name)) {
                return t;
            }
        }
        return null;
    }
}
