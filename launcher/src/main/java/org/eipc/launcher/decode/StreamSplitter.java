package org.eipc.launcher.decode;

import java.nio.ByteBuffer;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;

/**
 * Splits a whole in-memory stream into its length-prefixed frames, with the same checks and error codes as
 * {@code StreamDecoder} (which needs a MAC verifier; this serves the keyless {@code parse} path of tools).
 */
public final class StreamSplitter {
    private static final int PREFIX = 4;

    /** Receives each frame's bytes and the stream offset of its prefix. */
    @FunctionalInterface
    public interface Sink {
        void onFrame(ByteBuffer frame, long offset);
    }

    private final int limit;

    public StreamSplitter(int limit) {
        this.limit = limit;
    }

    /**
     * Calls {@code sink} for each frame of {@code stream}'s remaining bytes.
     *
     * @throws IpcException at the first bad prefix or truncated record, with its stream offset
     */
    public void split(ByteBuffer stream, Sink sink) {
        int base = stream.position();
        while (stream.hasRemaining()) {
            int at = stream.position();
            if (stream.remaining() < PREFIX) {
                throw new IpcException(ErrorCode.TRUNCATED_PREFIX, "stream ends inside a length prefix ("
                        + stream.remaining() + " of 4 bytes)", stream.limit() - base);
            }
            long len = stream.getInt(at) & 0xFFFF_FFFFL;
            if (len == 0) {
                throw new IpcException(ErrorCode.STREAM_PREFIX_ZERO, "length prefix of zero", at - base);
            }
            if (len > limit) {
                throw new IpcException(ErrorCode.STREAM_PREFIX_TOO_LARGE, "length prefix " + len + " exceeds "
                        + limit, at - base);
            }
            if (stream.remaining() - PREFIX < len) {
                throw new IpcException(ErrorCode.TRUNCATED_FRAME, "stream ends inside a frame ("
                        + (stream.remaining() - PREFIX) + " of " + len + " bytes)", stream.limit() - base);
            }
            ByteBuffer frame = stream.duplicate().position(at + PREFIX).limit(at + PREFIX + (int) len).slice();
            stream.position(at + PREFIX + (int) len);
            sink.onFrame(frame, at - base);
        }
    }
}
