package org.eipc.protocol;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

import org.eipc.api.ErrorCode;
import org.eipc.api.Header;
import org.eipc.api.IpcException;
import org.eipc.spi.security.FrameMac;

/**
 * Decodes one frame in place. Checks run in the reference's order and each failure names the check and the
 * byte offset (from the start of the frame) where it failed:
 *
 * <ol>
 * <li>fewer than 16 bytes: {@link ErrorCode#TRUNCATED_PREAMBLE} (offset = bytes available);</li>
 * <li>magic: {@link ErrorCode#BAD_MAGIC} (0); version: {@link ErrorCode#UNSUPPORTED_VERSION} (4);</li>
 * <li>header_len + payload_len (64-bit sum) above the limit: {@link ErrorCode#FRAME_TOO_LARGE} (8);</li>
 * <li>strict: COMPRESS or undefined flag bits: {@link ErrorCode#UNSUPPORTED_FLAGS} (7);</li>
 * <li>missing header, payload or MAC bytes: {@link ErrorCode#TRUNCATED_HEADER},
 * {@link ErrorCode#TRUNCATED_PAYLOAD}, {@link ErrorCode#TRUNCATED_MAC} (offset where the missing data
 * starts);</li>
 * <li>strict: HMAC flag clear: {@link ErrorCode#MAC_MISSING} (7); bytes after the frame:
 * {@link ErrorCode#TRAILING_BYTES} (offset of the first extra byte);</li>
 * <li>the MAC, over the received bytes, before the header is parsed: {@link ErrorCode#MAC_INVALID} (offset
 * of the MAC);</li>
 * <li>the header JSON: {@link ErrorCode#HEADER_EMPTY}, {@link ErrorCode#HEADER_SYNTAX},
 * {@link ErrorCode#HEADER_NOT_OBJECT}, {@link ErrorCode#HEADER_FIELD_TYPE} (offset into the frame).</li>
 * </ol>
 *
 * <p><b>The returned {@link Frame} is a flyweight</b>, reused by this decoder: it is valid until the next
 * {@link #decode} or {@link #parse} call on this decoder. Its {@link Frame#header() header} is a new immutable
 * object each time and may be kept. Per frame the decoder allocates only that header and the strings that changed
 * since the previous frame (a session's {@code service_id}, {@code session_id}, {@code capability} and
 * {@code route} are handed out again as the same String objects while their bytes stay the same): it
 * reuses the {@code Frame}, a header parser, a 32-byte MAC scratch buffer and one read-only view of the last
 * buffer it was given, plus a plain duplicate of it for the MAC when it is a heap buffer (a different buffer
 * object costs new views). The decoder therefore keeps a reference to the last buffer it decoded from.
 *
 * <p>Not thread-safe; use one per connection direction.
 */
public final class FrameDecoder {
    private final ProtocolMode mode;
    private final int maxFrameLength;
    private final ByteBuffer macScratch = ByteBuffer.allocate(ProtocolLimits.MAC_LENGTH);
    private final HeaderParser parser = new HeaderParser();
    private final Frame flyweight = new Frame();
    private ByteBuffer viewOf; // the caller's buffer that view duplicates
    private ByteBuffer view;   // read-only big-endian duplicate of viewOf, reused while the same buffer comes back
    private ByteBuffer macView; // writable duplicate of viewOf when it has an array (for the MAC only), or null

    /** A decoder with the reference's limit, {@link ProtocolLimits#MAX_FRAME}. */
    public FrameDecoder(ProtocolMode mode) {
        this(mode, ProtocolLimits.MAX_FRAME);
    }

    /**
     * @param maxFrameLength largest accepted header_len + payload_len, and (for a {@link StreamDecoder}) the
     *        largest length prefix; 1..{@link ProtocolLimits#MAX_FRAME}
     */
    public FrameDecoder(ProtocolMode mode, int maxFrameLength) {
        this.mode = Objects.requireNonNull(mode, "mode");
        if (maxFrameLength < 1 || maxFrameLength > ProtocolLimits.MAX_FRAME) {
            throw new IpcException(ErrorCode.CONFIG_INVALID,
                    "maxFrameLength " + maxFrameLength + " outside 1.." + ProtocolLimits.MAX_FRAME);
        }
        this.maxFrameLength = maxFrameLength;
    }

    public ProtocolMode mode() {
        return mode;
    }

    public int maxFrameLength() {
        return maxFrameLength;
    }

    /**
     * Decodes and verifies exactly one frame: {@code frame}'s remaining bytes (its position and limit are left
     * unchanged). The result is this decoder's flyweight, valid until its next decode or parse call. In
     * {@link ProtocolMode#STRICT} the frame must carry a MAC that {@code verifier} accepts; in
     * {@link ProtocolMode#COMPAT} the MAC is checked only when the HMAC flag is set.
     *
     * @param verifier the MAC under the expected key; required
     * @throws IpcException with the failed check's code and offset; {@link ErrorCode#ILLEGAL_STATE} when
     *         {@code verifier} is null (use {@link #parse} to look at a frame without a key)
     */
    public Frame decode(ByteBuffer frame, FrameMac verifier) {
        if (verifier == null) {
            throw new IpcException(ErrorCode.ILLEGAL_STATE, "decode needs a MAC verifier (use parse without a key)");
        }
        if (verifier.length() != ProtocolLimits.MAC_LENGTH) {
            throw new IpcException(ErrorCode.CONFIG_INVALID,
                    "MAC length " + verifier.length() + ", the protocol needs " + ProtocolLimits.MAC_LENGTH);
        }
        return decode(frame, verifier, true);
    }

    /**
     * Checks a frame's structure and parses its header without a key, for tools. The mode's flag and trailing
     * byte rules apply; the MAC rules do not: a MAC present is reported as {@link MacStatus#NOT_CHECKED}.
     */
    public Frame parse(ByteBuffer frame) {
        return decode(frame, null, false);
    }

    private Frame decode(ByteBuffer frame, FrameMac verifier, boolean checkMac) {
        // One read-only big-endian duplicate serves every read, the MAC check and every view the Frame hands
        // out later: the caller's buffer (position, limit, byte order) is never touched, and later changes to
        // its position or limit do not affect the frame. It is kept and reused while the caller passes the
        // same buffer object (a buffer's memory, capacity and array offset never change).
        final ByteBuffer src;
        if (frame == viewOf) {
            src = view.clear().limit(frame.limit()).position(frame.position());
        } else {
            src = frame.asReadOnlyBuffer().order(ByteOrder.BIG_ENDIAN);
            view = src;
            viewOf = frame;
            // A read-only view hides the array, and MessageDigest then copies the bytes through a temporary
            // array: the MAC reads a plain duplicate of a heap buffer instead (never handed out further).
            macView = frame.hasArray() ? frame.duplicate() : null;
        }
        final int start = src.position();
        final int n = src.remaining();
        if (n < ProtocolLimits.PREAMBLE) {
            throw new IpcException(ErrorCode.TRUNCATED_PREAMBLE,
                    "frame of " + n + " bytes ends inside the 16-byte preamble", n);
        }
        if (src.getInt(start) != ProtocolLimits.MAGIC) {
            throw new IpcException(ErrorCode.BAD_MAGIC, "invalid magic bytes", 0);
        }
        int version = src.getShort(start + 4) & 0xFFFF;
        if (version != ProtocolLimits.VERSION) {
            throw new IpcException(ErrorCode.UNSUPPORTED_VERSION, "unsupported protocol version " + version, 4);
        }
        byte type = src.get(start + 6);
        int flags = src.get(start + 7) & 0xFF;
        long hlen = src.getInt(start + 8) & 0xFFFF_FFFFL;
        long plen = src.getInt(start + 12) & 0xFFFF_FFFFL;
        if (hlen + plen > maxFrameLength) {
            throw new IpcException(ErrorCode.FRAME_TOO_LARGE,
                    "header_len + payload_len = " + (hlen + plen) + " exceeds " + maxFrameLength, 8);
        }
        if (mode == ProtocolMode.STRICT && (flags & (FrameFlags.COMPRESS | FrameFlags.UNDEFINED)) != 0) {
            throw new IpcException(ErrorCode.UNSUPPORTED_FLAGS,
                    "flags 0x" + Integer.toHexString(flags) + " (compression and undefined bits are not supported)", 7);
        }
        int headerEnd = ProtocolLimits.PREAMBLE + (int) hlen;
        if (n < headerEnd) {
            throw new IpcException(ErrorCode.TRUNCATED_HEADER, "frame ends inside the header", n);
        }
        int payloadEnd = headerEnd + (int) plen;
        if (n < payloadEnd) {
            throw new IpcException(ErrorCode.TRUNCATED_PAYLOAD, "frame ends inside the payload", n);
        }
        boolean hasMac = (flags & FrameFlags.HMAC) != 0;
        int frameEnd = payloadEnd + (hasMac ? ProtocolLimits.MAC_LENGTH : 0);
        if (n < frameEnd) {
            throw new IpcException(ErrorCode.TRUNCATED_MAC, "frame ends inside the MAC", n);
        }
        if (checkMac && !hasMac && mode == ProtocolMode.STRICT) {
            throw new IpcException(ErrorCode.MAC_MISSING, "HMAC flag not set", 7);
        }
        int trailing = n - frameEnd;
        if (trailing != 0 && mode == ProtocolMode.STRICT) {
            throw new IpcException(ErrorCode.TRAILING_BYTES, trailing + " bytes follow the frame", frameEnd);
        }
        MacStatus status;
        if (!hasMac) {
            status = MacStatus.ABSENT;
        } else if (!checkMac) {
            status = MacStatus.NOT_CHECKED;
        } else {
            // verify over the bytes as received, before anything is parsed (never re-serialise)
            ByteBuffer mac = macScratch.clear();
            src.get(start + payloadEnd, mac.array(), 0, ProtocolLimits.MAC_LENGTH);
            ByteBuffer signed = macView != null ? macView.clear() : src;
            signed.limit(start + payloadEnd).position(start);
            boolean ok = verifier.verify(signed, mac);
            src.limit(start + n).position(start);
            if (!ok) {
                throw new IpcException(ErrorCode.MAC_INVALID, "integrity verification failed", payloadEnd);
            }
            status = MacStatus.VERIFIED;
        }
        // parse from the caller's array when it has one (same indexes as src), else from a copy in the parser
        Header header = parser.parse(frame.hasArray() ? frame : src, start + ProtocolLimits.PREAMBLE,
                start + headerEnd, ProtocolLimits.PREAMBLE);
        return flyweight.set(src, start, version, type, flags, (int) hlen, (int) plen, header, status, trailing);
    }
}
