package org.eipc.api;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * One EIPC message as an application sees it: a type byte, a {@link Header} and a payload. Immutable; the
 * payload is exposed as a read-only view.
 *
 * <p>The type is kept as the raw wire byte so that messages of types outside the twelve known ones survive a
 * round trip; {@link #type()} gives the known type or {@code null}.
 */
public final class Message {
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0).asReadOnlyBuffer();

    private final byte typeByte;
    private final Header header;
    private final ByteBuffer payload;

    private Message(byte typeByte, Header header, ByteBuffer payload) {
        this.typeByte = typeByte;
        this.header = Objects.requireNonNull(header, "header");
        this.payload = payload;
    }

    /** A message of a known type. The payload bytes are copied. */
    public static Message of(MessageType type, Header header, byte[] payload) {
        return ofWire(type.wireByte(), header, payload == null ? EMPTY : ByteBuffer.wrap(payload.clone()));
    }

    /**
     * A message with a raw type byte. The payload buffer's remaining bytes are taken as they are, without a
     * copy: the caller must not change them afterwards.
     */
    public static Message ofWire(byte typeByte, Header header, ByteBuffer payload) {
        ByteBuffer p = payload == null ? EMPTY : payload.slice().asReadOnlyBuffer();
        return new Message(typeByte, header, p);
    }

    /** The type byte as on the wire. */
    public byte typeByte() {
        return typeByte;
    }

    /** The known type, or {@code null} for a byte outside the twelve. */
    public MessageType type() {
        return MessageType.fromWire(typeByte);
    }

    public Header header() {
        return header;
    }

    /** The payload as a read-only buffer positioned at 0; each call returns an independent view. */
    public ByteBuffer payload() {
        return payload.duplicate();
    }

    public int payloadLength() {
        return payload.remaining();
    }

    /** A copy of the payload bytes. */
    public byte[] payloadBytes() {
        byte[] b = new byte[payload.remaining()];
        payload.duplicate().get(b);
        return b;
    }

    /** The same type and payload with another header (for example one the session stamped). */
    public Message withHeader(Header h) {
        return new Message(typeByte, h, payload);
    }

    @Override
    public String toString() {
        MessageType t = type();
        return "Message[type=" + (t != null ? t.wireName() : String.format("0x%02x", typeByte & 0xff)) + ", "
                + header + ", payload=" + payload.remaining() + " bytes]";
    }
}
