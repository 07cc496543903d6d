package org.eipc.protocol.ipcprims;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;

/**
 * Incremental decoder of an ipcprims byte stream: feed it chunks split anywhere (one byte at a time works) and
 * it calls a {@link FrameHandler} for every complete frame, in order.
 *
 * <ul>
 * <li><b>Bounds first.</b> The length field is checked against {@link #maxPayload()} as soon as the 8 header
 * bytes are there, before anything is allocated or copied; an oversize frame is never awaited.</li>
 * <li><b>Zero-copy when possible.</b> A frame that lies entirely inside one chunk is handed over as a view of
 * that chunk. Only frames split across chunks are reassembled, into a buffer sized exactly to the (already
 * checked) payload length; buffers up to {@value #RETAINED_BUFFER_LIMIT} bytes are kept for reuse.</li>
 * <li><b>Sticky errors.</b> Like the reference, there is no resynchronisation: after a framing error
 * ({@link ErrorCode#BAD_MAGIC}, {@link ErrorCode#FRAME_TOO_LARGE}, or a truncation reported by
 * {@link #endOfStream()}), every later call throws the same exception.</li>
 * <li><b>Offsets.</b> Every error carries the stream offset of the failed check: the bad magic byte, the first
 * length byte of an oversize header, or the end of a truncated stream.</li>
 * </ul>
 *
 * <p>The limit may be changed between frames, also from inside {@link FrameHandler#onFrame} (the handshake
 * limit is lifted right after the handshake frame, before a pipelined frame in the same chunk is read).
 * Exceptions thrown by the handler propagate unchanged and do not make the decoder sticky; the frame counts as
 * consumed. Not thread-safe: one decoder per connection direction, fed by one thread at a time.
 */
public final class IpcprimsStreamDecoder {
    /** Reassembly buffers up to this size are kept between frames; larger ones are dropped after use. */
    public static final int RETAINED_BUFFER_LIMIT = 64 * 1024;

    private final byte[] header = new byte[IpcprimsFrame.HEADER_LENGTH];
    private int headerFill;
    private ByteBuffer assembly;
    private boolean assembling;
    private int payloadLength;
    private int channel;
    private long frameStart;
    private long position;
    private int maxPayload;
    private IpcException failure;

    /**
     * @param maxPayload largest accepted payload in bytes (inclusive)
     * @throws IllegalArgumentException if negative
     */
    public IpcprimsStreamDecoder(int maxPayload) {
        maxPayload(maxPayload);
    }

    /** The current payload limit. */
    public int maxPayload() {
        return maxPayload;
    }

    /**
     * Sets the payload limit for every header read from now on.
     *
     * @throws IllegalArgumentException if negative
     */
    public void maxPayload(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("maxPayload=" + limit);
        }
        this.maxPayload = limit;
    }

    /** Stream offset of the next byte to be consumed (= bytes consumed so far). */
    public long position() {
        return position;
    }

    /** The sticky failure, or null. */
    public IpcException failure() {
        return failure;
    }

    /** True when part of a frame has been consumed and the rest is awaited. */
    public boolean midFrame() {
        return headerFill > 0 || assembling;
    }

    /**
     * Consumes {@code chunk} from its position to its limit (or until the handler returns false), delivering
     * every completed frame.
     *
     * @return the number of frames delivered
     * @throws IpcException the sticky framing error ({@link ErrorCode#BAD_MAGIC},
     *         {@link ErrorCode#FRAME_TOO_LARGE}, ...), or whatever the handler threw
     */
    public int feed(ByteBuffer chunk, FrameHandler handler) {
        if (failure != null) {
            throw failure;
        }
        int frames = 0;
        while (chunk.hasRemaining()) {
            final boolean cont;
            if (headerFill == 0 && !assembling && chunk.remaining() >= IpcprimsFrame.HEADER_LENGTH) {
                final int p = chunk.position();
                checkMagic(chunk.get(p), 0);
                checkMagic(chunk.get(p + 1), 1);
                final long len = IpcprimsFrame.readU32(chunk, p + IpcprimsFrame.LENGTH_OFFSET);
                checkLength(len);
                final int ch = IpcprimsFrame.readU16(chunk, p + IpcprimsFrame.CHANNEL_OFFSET);
                if (chunk.remaining() - IpcprimsFrame.HEADER_LENGTH >= len) {
                    // fast path: the whole frame is inside this chunk, hand out a view of it
                    final int total = IpcprimsFrame.HEADER_LENGTH + (int) len;
                    final ByteBuffer payload =
                            chunk.slice(p + IpcprimsFrame.HEADER_LENGTH, (int) len).order(ByteOrder.LITTLE_ENDIAN);
                    final long start = position;
                    chunk.position(p + total);
                    position += total;
                    frames++;
                    cont = handler.onFrame(ch, payload, start);
                } else {
                    chunk.get(header);
                    headerFill = IpcprimsFrame.HEADER_LENGTH;
                    frameStart = position;
                    position += IpcprimsFrame.HEADER_LENGTH;
                    startPayload((int) len, ch);
                    cont = true;
                }
            } else if (!assembling) {
                cont = readHeaderBytes(chunk, handler);
                if (!assembling && headerFill == 0) {
                    frames++; // an empty payload completed with the header
                }
            } else {
                final int before = frames;
                final int n = Math.min(chunk.remaining(), payloadLength - assembly.position());
                final int lim = chunk.limit();
                chunk.limit(chunk.position() + n);
                assembly.put(chunk);
                chunk.limit(lim);
                position += n;
                if (assembly.position() == payloadLength) {
                    frames = before + 1;
                    cont = deliverAssembled(handler);
                } else {
                    cont = true;
                }
            }
            if (!cont) {
                break;
            }
        }
        return frames;
    }

    /** Reads header bytes one by one (the slow path for split headers); returns the handler's answer. */
    private boolean readHeaderBytes(ByteBuffer chunk, FrameHandler handler) {
        if (headerFill == 0) {
            frameStart = position;
        }
        while (chunk.hasRemaining() && headerFill < IpcprimsFrame.HEADER_LENGTH) {
            final byte b = chunk.get(chunk.position());
            if (headerFill < 2) {
                checkMagic(b, headerFill);
            }
            header[headerFill++] = b;
            chunk.position(chunk.position() + 1);
            position++;
        }
        if (headerFill < IpcprimsFrame.HEADER_LENGTH) {
            return true;
        }
        final ByteBuffer h = ByteBuffer.wrap(header);
        final long len = IpcprimsFrame.readU32(h, IpcprimsFrame.LENGTH_OFFSET);
        checkLength(len);
        startPayload((int) len, IpcprimsFrame.readU16(h, IpcprimsFrame.CHANNEL_OFFSET));
        if (payloadLength == 0) {
            return deliverAssembled(handler);
        }
        return true;
    }

    private void startPayload(int len, int ch) {
        payloadLength = len;
        channel = ch;
        assembling = true;
        if (assembly == null || assembly.capacity() < len) {
            assembly = ByteBuffer.allocate(len).order(ByteOrder.LITTLE_ENDIAN);
        }
        assembly.clear();
    }

    private boolean deliverAssembled(FrameHandler handler) {
        final ByteBuffer payload = assembly.flip().slice().order(ByteOrder.LITTLE_ENDIAN);
        assembling = false;
        headerFill = 0;
        if (assembly.capacity() > RETAINED_BUFFER_LIMIT) {
            assembly = null;
        }
        return handler.onFrame(channel, payload, frameStart);
    }

    private void checkMagic(byte b, int index) {
        final byte want = index == 0 ? IpcprimsFrame.MAGIC_0 : IpcprimsFrame.MAGIC_1;
        if (b != want) {
            throw fail(new IpcException(ErrorCode.BAD_MAGIC,
                    "invalid frame magic (expected 0x4950 \"IP\")", position + (headerFill == 0 ? index : 0)));
        }
    }

    private void checkLength(long len) {
        if (len > maxPayload) {
            // report the offset of the length field: the frame starts at position on the fast path
            final long at = (headerFill == 0 ? position : frameStart) + IpcprimsFrame.LENGTH_OFFSET;
            throw fail(new IpcException(ErrorCode.FRAME_TOO_LARGE,
                    "payload too large (" + len + " bytes, max " + maxPayload + ")", at));
        }
    }

    /**
     * Reports the end of the stream. Nothing happens at a frame boundary.
     *
     * @throws IpcException {@link ErrorCode#TRUNCATED_HEADER} or {@link ErrorCode#TRUNCATED_PAYLOAD} (sticky)
     *         when the stream ended inside a frame, or the earlier sticky failure
     */
    public void endOfStream() {
        if (failure != null) {
            throw failure;
        }
        if (assembling) {
            throw fail(new IpcException(ErrorCode.TRUNCATED_PAYLOAD, "connection closed inside a payload ("
                    + assembly.position() + " of " + payloadLength + " bytes)", position));
        }
        if (headerFill > 0) {
            throw fail(new IpcException(ErrorCode.TRUNCATED_HEADER,
                    "connection closed inside a frame header (" + headerFill + " of 8 bytes)", position));
        }
    }

    private IpcException fail(IpcException e) {
        failure = e;
        return e;
    }
}
