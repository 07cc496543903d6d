package org.eipc.protocol;

import java.nio.ByteBuffer;

import org.eipc.api.ErrorCode;
import org.eipc.api.Header;
import org.eipc.api.IpcException;
import org.eipc.spi.security.FrameMac;

/**
 * Writes frames straight into the caller's buffer: preamble, Go-identical header JSON, payload and, when the
 * HMAC flag is set, the 32-byte MAC over {@code preamble ‖ header ‖ payload}.
 *
 * <p>Unlike the reference it never emits a frame a receiver must reject: header_len + payload_len and the
 * whole frame (MAC included) must both fit the limit, and a flagged frame always carries its full MAC.
 *
 * <p>Reusable and allocation-free after warm-up; not thread-safe.
 */
public final class FrameEncoder {
    private final int maxFrameLength;
    private final ByteBuffer macScratch = ByteBuffer.allocate(ProtocolLimits.MAC_LENGTH);
    /** Header bytes for output buffers without an accessible array (direct buffers), reused. */
    private final byte[][] headerScratch = new byte[1][];
    /**
     * Per header string field, the last string found plain ASCII, so that the ids that stay the same over a
     * session's frames (the same objects) are not checked char by char again. Six references, no more.
     */
    private final String[] plainMemo = new String[HeaderCodec.MEMO_SLOTS];

    /** An encoder with the limit {@link ProtocolLimits#MAX_FRAME}. */
    public FrameEncoder() {
        this(ProtocolLimits.MAX_FRAME);
    }

    /** An encoder whose frames (MAC included) are at most {@code maxFrameLength} bytes. */
    public FrameEncoder(int maxFrameLength) {
        if (maxFrameLength < ProtocolLimits.PREAMBLE || maxFrameLength > ProtocolLimits.MAX_FRAME) {
            throw new IpcException(ErrorCode.CONFIG_INVALID, "maxFrameLength " + maxFrameLength + " outside "
                    + ProtocolLimits.PREAMBLE + ".." + ProtocolLimits.MAX_FRAME);
        }
        this.maxFrameLength = maxFrameLength;
    }

    public int maxFrameLength() {
        return maxFrameLength;
    }

    /**
     * Writes the frame (no length prefix) at {@code out}'s position and advances it.
     *
     * @param type the message type byte
     * @param flags the flags byte (0..255); with {@link FrameFlags#HMAC} the frame is signed with {@code signer}
     * @param payload its remaining bytes are the payload (position unchanged); {@code null} for none
     * @param signer required when {@code flags} has {@link FrameFlags#HMAC}, ignored otherwise
     * @return bytes written
     * @throws IpcException {@link ErrorCode#FRAME_TOO_LARGE} over the limit, {@link ErrorCode#ILLEGAL_STATE}
     *         when {@code out} is too small or a signer is missing, {@link ErrorCode#CONFIG_INVALID} for bad
     *         flags or a MAC that is not 32 bytes. Nothing is written when it throws.
     */
    public int encode(byte type, int flags, Header header, ByteBuffer payload, FrameMac signer, ByteBuffer out) {
        return encode(type, flags, header, payload, signer, out, false);
    }

    /** Same as {@link #encode}, preceded by the 4-byte big-endian length prefix (which it counts). */
    public int encodeWithPrefix(byte type, int flags, Header header, ByteBuffer payload, FrameMac signer,
            ByteBuffer out) {
        return encode(type, flags, header, payload, signer, out, true);
    }

    /** The exact frame size (without length prefix) for this header, payload length and MAC presence. */
    public int encodedLength(Header header, int payloadLength, boolean mac) {
        long len = (long) ProtocolLimits.PREAMBLE + HeaderCodec.encodedLength(header) + payloadLength
                + (mac ? ProtocolLimits.MAC_LENGTH : 0);
        return len > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) len;
    }

    private int encode(byte type, int flags, Header header, ByteBuffer payload, FrameMac signer, ByteBuffer out,
            boolean prefix) {
        if ((flags & ~0xFF) != 0) {
            throw new IpcException(ErrorCode.CONFIG_INVALID, "flags 0x" + Integer.toHexString(flags) + " do not fit a byte");
        }
        boolean hasMac = (flags & FrameFlags.HMAC) != 0;
        if (hasMac) {
            if (signer == null) {
                throw new IpcException(ErrorCode.ILLEGAL_STATE, "HMAC flag set but no signer given");
            }
            if (signer.length() != ProtocolLimits.MAC_LENGTH) {
                throw new IpcException(ErrorCode.CONFIG_INVALID,
                        "MAC length " + signer.length() + ", the protocol needs " + ProtocolLimits.MAC_LENGTH);
            }
        }
        int plen = payload == null ? 0 : payload.remaining();
        int macLen = hasMac ? ProtocolLimits.MAC_LENGTH : 0;
        int prefixLen = prefix ? ProtocolLimits.PREFIX : 0;
        if (out.isReadOnly()) {
            throw new IpcException(ErrorCode.ILLEGAL_STATE, "output buffer is read-only");
        }
        long measured = HeaderCodec.measure(header, plainMemo); // exact length, and which strings are plain
        int hlen = (int) measured;
        long body = (long) hlen + plen;
        long frameLen = ProtocolLimits.PREAMBLE + body + macLen;
        if (body > maxFrameLength || frameLen > maxFrameLength) {
            throw new IpcException(ErrorCode.FRAME_TOO_LARGE, "frame of " + frameLen
                    + " bytes (header_len + payload_len = " + body + ") exceeds " + maxFrameLength);
        }
        if (out.remaining() < frameLen + prefixLen) {
            throw new IpcException(ErrorCode.ILLEGAL_STATE,
                    "output buffer has " + out.remaining() + " bytes left, frame needs " + (frameLen + prefixLen));
        }
        int pos = out.position();
        int start = pos + prefixLen;
        int headerEnd = HeaderCodec.writeAt(header, out, start + ProtocolLimits.PREAMBLE, hlen, headerScratch,
                (int) (measured >>> 32));
        int total = (int) frameLen + prefixLen;
        if (prefix) {
            putInt(out, pos, (int) frameLen);
        }
        putInt(out, start, ProtocolLimits.MAGIC);
        out.put(start + 4, (byte) 0);
        out.put(start + 5, (byte) ProtocolLimits.VERSION);
        out.put(start + 6, type);
        out.put(start + 7, (byte) flags);
        putInt(out, start + 8, hlen);
        putInt(out, start + 12, plen);
        if (plen > 0) {
            out.put(headerEnd, payload, payload.position(), plen);
        }
        int payloadEnd = headerEnd + plen;
        if (hasMac) {
            // sign the bytes just written; out is both the data and the destination, so the MAC goes to a
            // scratch buffer first
            int savedLimit = out.limit();
            out.limit(payloadEnd).position(start);
            ByteBuffer mac = macScratch.clear();
            try {
                signer.sign(out, mac);
            } finally {
                out.limit(savedLimit).position(pos);
            }
            out.put(payloadEnd, macScratch, 0, ProtocolLimits.MAC_LENGTH);
        }
        out.position(pos + total);
        return total;
    }

    /** Big-endian, whatever byte order {@code out} has. */
    private static void putInt(ByteBuffer out, int at, int v) {
        out.put(at, (byte) (v >>> 24));
        out.put(at + 1, (byte) (v >>> 16));
        out.put(at + 2, (byte) (v >>> 8));
        out.put(at + 3, (byte) v);
    }
}
