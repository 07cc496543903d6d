package org.eipc.protocol.ipcprims;

import java.nio.ByteBuffer;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;

/**
 * Writes ipcprims frames into a caller's {@link ByteBuffer}. Stateless; all methods are static and
 * thread-safe. Writes use absolute little-endian stores, whatever the buffer's byte order.
 */
public final class IpcprimsFrameEncoder {
    /** Returned by the encode methods when the destination is too small; nothing was written. */
    public static final int INSUFFICIENT_CAPACITY = -1;

    private IpcprimsFrameEncoder() {
    }

    /**
     * Writes a frame header at {@code dst}'s position and advances it by {@link IpcprimsFrame#HEADER_LENGTH}.
     *
     * @return the header length, or {@link #INSUFFICIENT_CAPACITY} if fewer than 8 bytes remain
     * @throws IllegalArgumentException if {@code channel} is not a u16 or {@code payloadLength} is negative
     */
    public static int encodeHeader(ByteBuffer dst, int channel, int payloadLength) {
        checkChannel(channel);
        if (payloadLength < 0) {
            throw new IllegalArgumentException("payloadLength=" + payloadLength);
        }
        if (dst.remaining() < IpcprimsFrame.HEADER_LENGTH) {
            return INSUFFICIENT_CAPACITY;
        }
        final int p = dst.position();
        dst.put(p, IpcprimsFrame.MAGIC_0);
        dst.put(p + 1, IpcprimsFrame.MAGIC_1);
        dst.put(p + 2, (byte) payloadLength);
        dst.put(p + 3, (byte) (payloadLength >>> 8));
        dst.put(p + 4, (byte) (payloadLength >>> 16));
        dst.put(p + 5, (byte) (payloadLength >>> 24));
        dst.put(p + 6, (byte) channel);
        dst.put(p + 7, (byte) (channel >>> 8));
        dst.position(p + IpcprimsFrame.HEADER_LENGTH);
        return IpcprimsFrame.HEADER_LENGTH;
    }

    /**
     * Writes a whole frame (header and {@code payload}'s remaining bytes) at {@code dst}'s position. On success
     * {@code dst}'s position advances past the frame and {@code payload}'s position is left unchanged.
     *
     * @param maxPayload the limit to enforce (the receiver's: normally {@link IpcprimsFrame#DEFAULT_MAX_PAYLOAD})
     * @return bytes written, or {@link #INSUFFICIENT_CAPACITY} (nothing written)
     * @throws IpcException {@link ErrorCode#FRAME_TOO_LARGE} if the payload exceeds {@code maxPayload}
     * @throws IllegalArgumentException if {@code channel} is not a u16
     */
    public static int encode(ByteBuffer dst, int channel, ByteBuffer payload, int maxPayload) {
        checkChannel(channel);
        final int n = payload.remaining();
        if (n > maxPayload) {
            throw new IpcException(ErrorCode.FRAME_TOO_LARGE,
                    "payload too large (" + n + " bytes, max " + maxPayload + ")");
        }
        if (dst.remaining() < IpcprimsFrame.HEADER_LENGTH + n) {
            return INSUFFICIENT_CAPACITY;
        }
        encodeHeader(dst, channel, n);
        dst.put(payload.duplicate());
        return IpcprimsFrame.HEADER_LENGTH + n;
    }

    /** Same as {@link #encode(ByteBuffer, int, ByteBuffer, int)} with a byte array payload. */
    public static int encode(ByteBuffer dst, int channel, byte[] payload, int maxPayload) {
        return encode(dst, channel, ByteBuffer.wrap(payload), maxPayload);
    }

    /** Encodes one frame into a new array (for control-plane messages and tests). */
    public static byte[] encodeToArray(int channel, byte[] payload) {
        final ByteBuffer b = ByteBuffer.allocate(IpcprimsFrame.HEADER_LENGTH + payload.length);
        encode(b, channel, ByteBuffer.wrap(payload), Integer.MAX_VALUE);
        return b.array();
    }

    private static void checkChannel(int channel) {
        if (channel < 0 || channel > IpcprimsFrame.MAX_CHANNEL) {
            throw new IllegalArgumentException("channel=" + channel);
        }
    }
}
