package org.eipc.protocol;

import java.nio.ByteBuffer;

import org.eipc.api.Header;
import org.eipc.api.Message;
import org.eipc.api.MessageType;

/**
 * A decoded frame: the preamble fields, the parsed {@link Header}, and read-only views into the buffer the
 * frame was decoded from. Nothing is copied: the views stay valid only as long as the caller leaves those
 * bytes alone (for frames from a {@link StreamDecoder}, until {@link FrameListener#onFrame} returns).
 *
 * <p><b>A flyweight:</b> each {@link FrameDecoder} reuses one {@code Frame} (and one read-only view of the
 * caller's buffer) for every frame it decodes, so a {@code Frame} is valid only until the next
 * {@link FrameDecoder#decode decode} or {@link FrameDecoder#parse parse} call on the same decoder (for a
 * {@link StreamDecoder}: until {@link FrameListener#onFrame} returns). Keep what must outlive it: the
 * {@link #header()} is an independent immutable object that may be kept; copy the payload bytes. Not
 * thread-safe, like the decoder. Each view accessor returns a new independent read-only buffer positioned at 0
 * (the views themselves do not change when the flyweight moves on, but the bytes behind them may).
 */
public final class Frame {
    private ByteBuffer source; // the decoder's read-only view of the caller's buffer (limit: the frame's end)
    private int start;         // absolute index of byte 0 of the frame in source
    private int version;
    private byte typeByte;
    private int flags;
    private int headerLength;
    private int payloadLength;
    private Header header;
    private MacStatus macStatus;
    private int trailingBytes;

    /** The decoder's flyweight; filled by {@link #set}. */
    Frame() {
    }

    /** Points this flyweight at a newly decoded frame. */
    Frame set(ByteBuffer source, int start, int version, byte typeByte, int flags, int headerLength,
            int payloadLength, Header header, MacStatus macStatus, int trailingBytes) {
        this.source = source;
        this.start = start;
        this.version = version;
        this.typeByte = typeByte;
        this.flags = flags;
        this.headerLength = headerLength;
        this.payloadLength = payloadLength;
        this.header = header;
        this.macStatus = macStatus;
        this.trailingBytes = trailingBytes;
        return this;
    }

    /** The version field (always 1 for a decoded frame). */
    public int version() {
        return version;
    }

    /** The message type byte as on the wire (offset 6). */
    public byte typeByte() {
        return typeByte;
    }

    /** The known message type, or {@code null} for a byte outside the twelve. */
    public MessageType type() {
        return MessageType.fromWire(typeByte & 0xFF);
    }

    /** The flags byte (offset 7), 0..255; see {@link FrameFlags}. */
    public int flags() {
        return flags;
    }

    /** True when {@code flag} (one of {@link FrameFlags}) is set. */
    public boolean hasFlag(int flag) {
        return (flags & flag) == flag;
    }

    /** header_len from the preamble. */
    public int headerLength() {
        return headerLength;
    }

    /** payload_len from the preamble. */
    public int payloadLength() {
        return payloadLength;
    }

    /** The parsed header. */
    public Header header() {
        return header;
    }

    /** Read-only view of the exact header bytes as received (what the MAC covers). */
    public ByteBuffer headerBytes() {
        return source.slice(start + ProtocolLimits.PREAMBLE, headerLength);
    }

    /** Read-only view of the payload bytes in the caller's buffer: no copy. */
    public ByteBuffer payload() {
        return source.slice(start + ProtocolLimits.PREAMBLE + headerLength, payloadLength);
    }

    /** Read-only view of the 32 MAC bytes, or {@code null} when the frame has no MAC. */
    public ByteBuffer mac() {
        if ((flags & FrameFlags.HMAC) == 0) {
            return null;
        }
        return source.slice(start + ProtocolLimits.PREAMBLE + headerLength + payloadLength,
                ProtocolLimits.MAC_LENGTH);
    }

    /** Read-only view of the bytes the MAC covers: preamble, header and payload. */
    public ByteBuffer signedBytes() {
        return source.slice(start, ProtocolLimits.PREAMBLE + headerLength + payloadLength);
    }

    /** What is known about the MAC. */
    public MacStatus macStatus() {
        return macStatus;
    }

    /** Bytes the frame occupies, MAC included (trailing bytes excluded). */
    public int frameLength() {
        return ProtocolLimits.PREAMBLE + headerLength + payloadLength
                + ((flags & FrameFlags.HMAC) != 0 ? ProtocolLimits.MAC_LENGTH : 0);
    }

    /** Bytes that followed the frame in the decoded buffer ({@link ProtocolMode#COMPAT} only; else 0). */
    public int trailingBytes() {
        return trailingBytes;
    }

    /**
     * A {@link Message} with this frame's type byte, header and payload. The message shares the payload view:
     * copy it (e.g. {@code Message.ofWire(t, h, ByteBuffer.wrap(m.payloadBytes()))}) if it must outlive the
     * buffer.
     */
    public Message toMessage() {
        return Message.ofWire(typeByte, header, payload());
    }

    @Override
    public String toString() {
        MessageType t = type();
        return "Frame[type=" + (t != null ? t.wireName() : String.format("0x%02x", typeByte & 0xFF)) + ", flags=0x"
                + Integer.toHexString(flags) + ", header_len=" + headerLength + ", payload_len=" + payloadLength
                + ", mac=" + macStatus + ", " + header + "]";
    }
}
