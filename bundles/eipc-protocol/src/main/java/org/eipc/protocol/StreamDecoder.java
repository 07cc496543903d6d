package org.eipc.protocol;

import java.nio.ByteBuffer;
import java.util.Objects;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;
import org.eipc.spi.security.FrameMac;

/**
 * Incremental decoder of a byte stream of {@code [u32 big-endian length][frame]} records, fed in chunks of any
 * size (down to one byte at a time).
 *
 * <ul>
 * <li>Nothing is allocated or copied before a length prefix has been checked: a prefix above the decoder's
 * limit fails with {@link ErrorCode#STREAM_PREFIX_TOO_LARGE}, a zero prefix with
 * {@link ErrorCode#STREAM_PREFIX_ZERO}, at the stream offset of that prefix.</li>
 * <li>A frame that lies wholly inside one chunk is decoded in place (zero copy). Only a frame split across
 * chunks is assembled, in an accumulation buffer sized after the check and reused.</li>
 * <li>Each frame must be exactly its prefix long: the {@link FrameDecoder}'s mode decides what trailing bytes
 * inside a prefix mean.</li>
 * <li>Error offsets are stream offsets. After the first error the decoder stays failed: every later call
 * throws the same code.</li>
 * </ul>
 *
 * <p>Not thread-safe; one per connection direction.
 */
public final class StreamDecoder {
    private final FrameDecoder decoder;
    private final FrameMac verifier;
    private final FrameListener listener;
    private final int limit;

    private long offset;          // stream bytes consumed
    private int prefixValue;      // prefix bytes gathered so far (big-endian)
    private int prefixCount;      // 0..4; 4 means a frame body is being gathered
    private long frameOffset;     // stream offset of the current frame's prefix
    private int frameLength;      // the current frame's prefix value
    private ByteBuffer acc;       // accumulation buffer for split frames, reused
    private int accFilled;        // bytes of the current frame in acc
    private IpcException failure; // sticky
    private boolean ended;

    /**
     * @param decoder decodes each frame; its {@link FrameDecoder#maxFrameLength()} is the prefix limit
     * @param verifier passed to {@link FrameDecoder#decode}; required
     * @param listener called once per frame
     */
    public StreamDecoder(FrameDecoder decoder, FrameMac verifier, FrameListener listener) {
        this.decoder = Objects.requireNonNull(decoder, "decoder");
        if (verifier == null) {
            throw new IpcException(ErrorCode.ILLEGAL_STATE, "a stream decoder needs a MAC verifier");
        }
        this.verifier = verifier;
        this.listener = Objects.requireNonNull(listener, "listener");
        this.limit = decoder.maxFrameLength();
    }

    /**
     * Consumes all of {@code chunk}'s remaining bytes, calling the listener for every frame they complete.
     *
     * @throws IpcException the first bad frame's error, with its stream offset; and the same code on every
     *         call after it. If the listener throws, its exception propagates and {@code chunk}'s position is
     *         left after that frame: the rest may be fed again.
     */
    public void feed(ByteBuffer chunk) {
        checkUsable();
        while (chunk.hasRemaining()) {
            if (prefixCount < ProtocolLimits.PREFIX) {
                readPrefix(chunk);
                continue;
            }
            if (accFilled == 0 && chunk.remaining() >= frameLength) {
                // the whole frame is here: decode in place
                int pos = chunk.position();
                int savedLimit = chunk.limit();
                Frame frame;
                chunk.limit(pos + frameLength);
                try {
                    frame = decodeFrame(chunk);
                } finally {
                    chunk.limit(savedLimit);
                }
                chunk.position(pos + frameLength);
                deliver(frame);
            } else {
                if (accFilled == 0) {
                    ensureAccumulator(chunk.isDirect());
                }
                int take = Math.min(chunk.remaining(), frameLength - accFilled);
                acc.put(accFilled, chunk, chunk.position(), take);
                chunk.position(chunk.position() + take);
                accFilled += take;
                offset += take;
                if (accFilled == frameLength) {
                    Frame frame = decodeFrame(acc.limit(frameLength).position(0));
                    deliver(frame);
                }
            }
        }
    }

    /**
     * Signals the end of the stream. A clean end (between frames, even before the first) is fine.
     *
     * @throws IpcException {@link ErrorCode#TRUNCATED_PREFIX} or {@link ErrorCode#TRUNCATED_FRAME} at the
     *         offset where the missing bytes start, when the stream ends inside a record
     */
    public void endOfStream() {
        checkUsable();
        ended = true;
        if (prefixCount > 0 && prefixCount < ProtocolLimits.PREFIX) {
            throw fail(new IpcException(ErrorCode.TRUNCATED_PREFIX,
                    "stream ends inside a length prefix (" + prefixCount + " of 4 bytes)", offset));
        }
        if (prefixCount == ProtocolLimits.PREFIX) {
            throw fail(new IpcException(ErrorCode.TRUNCATED_FRAME,
                    "stream ends inside a frame (" + accFilled + " of " + frameLength + " bytes)", offset));
        }
    }

    /** Stream bytes consumed so far. */
    public long offset() {
        return offset;
    }

    /** True once a frame failed; every further call throws. */
    public boolean failed() {
        return failure != null;
    }

    private void checkUsable() {
        if (failure != null) {
            throw new IpcException(failure.code(), "stream already failed: " + rawMessage(failure),
                    failure.offset(), failure);
        }
        if (ended) {
            throw new IpcException(ErrorCode.ILLEGAL_STATE, "stream already ended");
        }
    }

    private void readPrefix(ByteBuffer chunk) {
        if (prefixCount == 0 && chunk.remaining() >= ProtocolLimits.PREFIX) {
            int p = chunk.position();
            prefixValue = (chunk.get(p) & 0xFF) << 24 | (chunk.get(p + 1) & 0xFF) << 16
                    | (chunk.get(p + 2) & 0xFF) << 8 | (chunk.get(p + 3) & 0xFF);
            chunk.position(p + ProtocolLimits.PREFIX);
            prefixCount = ProtocolLimits.PREFIX;
            offset += ProtocolLimits.PREFIX;
        } else {
            while (prefixCount < ProtocolLimits.PREFIX && chunk.hasRemaining()) {
                prefixValue = prefixValue << 8 | (chunk.get() & 0xFF);
                prefixCount++;
                offset++;
            }
            if (prefixCount < ProtocolLimits.PREFIX) {
                return;
            }
        }
        frameOffset = offset - ProtocolLimits.PREFIX;
        long len = prefixValue & 0xFFFF_FFFFL;
        if (len == 0) {
            throw fail(new IpcException(ErrorCode.STREAM_PREFIX_ZERO, "length prefix of zero", frameOffset));
        }
        if (len > limit) {
            throw fail(new IpcException(ErrorCode.STREAM_PREFIX_TOO_LARGE,
                    "length prefix " + len + " exceeds " + limit, frameOffset));
        }
        frameLength = (int) len;
        accFilled = 0;
    }

    private Frame decodeFrame(ByteBuffer frame) {
        try {
            return decoder.decode(frame, verifier);
        } catch (IpcException e) {
            long at = e.offset() >= 0 ? frameOffset + ProtocolLimits.PREFIX + e.offset() : frameOffset;
            throw fail(new IpcException(e.code(), rawMessage(e), at, e));
        }
    }

    private void deliver(Frame frame) {
        long at = frameOffset;
        if (accFilled == 0) {
            offset += frameLength;
        }
        prefixCount = 0;
        prefixValue = 0;
        accFilled = 0;
        listener.onFrame(frame, at);
    }

    /**
     * Makes sure the accumulation buffer can hold the current frame; called only after the prefix check. It is
     * direct when the chunks are (an NIO read buffer), heap otherwise: the frame decoder then sees one kind of
     * buffer for in-place and assembled frames alike, and the JIT compiles its reads for that kind only (a
     * second kind showing up now and then costs a deoptimisation and a slower recompiled decoder).
     */
    private void ensureAccumulator(boolean direct) {
        if (acc == null || acc.capacity() < frameLength || acc.isDirect() != direct) {
            acc = direct ? ByteBuffer.allocateDirect(frameLength) : ByteBuffer.allocate(frameLength);
        }
        acc.clear();
    }

    private IpcException fail(IpcException e) {
        failure = e;
        return e;
    }

    /** The message of the innermost {@link IpcException} in the cause chain, without the code and offset. */
    private static String rawMessage(IpcException e) {
        IpcException t = e;
        while (t.getCause() instanceof IpcException) {
            t = (IpcException) t.getCause();
        }
        return t.detail();
    }
}
