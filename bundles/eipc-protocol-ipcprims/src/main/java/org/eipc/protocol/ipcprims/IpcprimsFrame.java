package org.eipc.protocol.ipcprims;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Flyweight view of one ipcprims frame inside a {@link ByteBuffer}; nothing is copied.
 *
 * <pre>
 *  0               1               2               3
 * +---------------+---------------+-------------------------------+
 * |  'I' (0x49)   |  'P' (0x50)   |  payload length (u32 LE) ...  |
 * +---------------+---------------+---------------+---------------+
 * |  ... length   |  ... length   |       channel (u16 LE)        |
 * +---------------+---------------+-------------------------------+
 * |                 payload (length bytes) ...                    |
 * +---------------------------------------------------------------+
 * </pre>
 *
 * <p>The length counts payload bytes only. Accessors use absolute indexes and never change the buffer's
 * position or limit. Not thread-safe; reuse one instance with {@link #wrap(ByteBuffer, int)}.
 */
public final class IpcprimsFrame {
    /** Offset of the two magic bytes. */
    public static final int MAGIC_OFFSET = 0;
    /** Offset of the u32 little-endian payload length. */
    public static final int LENGTH_OFFSET = 2;
    /** Offset of the u16 little-endian channel id. */
    public static final int CHANNEL_OFFSET = 6;
    /** Length of the header, which is also the offset of the payload. */
    public static final int HEADER_LENGTH = 8;
    /** First magic byte, ASCII 'I'. */
    public static final byte MAGIC_0 = 0x49;
    /** Second magic byte, ASCII 'P'. */
    public static final byte MAGIC_1 = 0x50;
    /** Largest payload after the handshake (16 MiB, inclusive). */
    public static final int DEFAULT_MAX_PAYLOAD = 16 * 1024 * 1024;
    /** Largest payload while the handshake is in progress (16 KiB, inclusive). */
    public static final int DEFAULT_MAX_HANDSHAKE_PAYLOAD = 16 * 1024;
    /** Largest channel id (u16). */
    public static final int MAX_CHANNEL = 0xFFFF;

    private ByteBuffer buffer;
    private int offset;

    /**
     * Points this view at the frame starting at {@code offset}. The buffer must hold at least the header
     * there; {@link #payload()} further needs the whole payload.
     *
     * @return this
     * @throws IndexOutOfBoundsException if fewer than {@link #HEADER_LENGTH} bytes lie before the limit
     */
    public IpcprimsFrame wrap(ByteBuffer buffer, int offset) {
        if (offset < 0 || buffer.limit() - offset < HEADER_LENGTH) {
            throw new IndexOutOfBoundsException("offset=" + offset + " limit=" + buffer.limit());
        }
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /** True when the two magic bytes are {@code "IP"} (case-sensitive). */
    public boolean magicValid() {
        return buffer.get(offset) == MAGIC_0 && buffer.get(offset + 1) == MAGIC_1;
    }

    /** The payload length field, unsigned (0 to 4 294 967 295). */
    public long payloadLength() {
        return readU32(buffer, offset + LENGTH_OFFSET);
    }

    /** The channel id, unsigned (0 to 65 535). */
    public int channel() {
        return readU16(buffer, offset + CHANNEL_OFFSET);
    }

    /** True when the whole payload lies before the buffer's limit. */
    public boolean complete() {
        return buffer.limit() - offset - HEADER_LENGTH >= payloadLength();
    }

    /** {@link #HEADER_LENGTH} plus the payload length. */
    public long frameLength() {
        return HEADER_LENGTH + payloadLength();
    }

    /**
     * A view of the payload (shares the bytes, position 0, little-endian, independent position and limit).
     *
     * @throws IndexOutOfBoundsException if the payload is not complete in the buffer
     */
    public ByteBuffer payload() {
        if (!complete()) {
            throw new IndexOutOfBoundsException("payload incomplete: length=" + payloadLength());
        }
        return buffer.slice(offset + HEADER_LENGTH, (int) payloadLength()).order(ByteOrder.LITTLE_ENDIAN);
    }

    static long readU32(ByteBuffer b, int at) {
        return (b.get(at) & 0xFFL) | (b.get(at + 1) & 0xFFL) << 8 | (b.get(at + 2) & 0xFFL) << 16
                | (b.get(at + 3) & 0xFFL) << 24;
    }

    static int readU16(ByteBuffer b, int at) {
        return (b.get(at) & 0xFF) | (b.get(at + 1) & 0xFF) << 8;
    }

    @Override
    public String toString() {
        return buffer == null ? "IpcprimsFrame[unwrapped]"
                : "IpcprimsFrame[magicValid=" + magicValid() + " channel=" + channel() + " payloadLength="
                        + payloadLength() + "]";
    }
}
