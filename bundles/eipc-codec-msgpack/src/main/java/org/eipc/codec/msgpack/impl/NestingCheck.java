package org.eipc.codec.msgpack.impl;

import java.io.IOException;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.ValueType;

/**
 * A pre-scan of one MessagePack value that enforces the nesting and string/binary length limits, well-formedness
 * and "exactly one value"
 * without recursion and without allocating per element. The msgpack Jackson parser and generator do not apply the
 * Jackson stream constraints, and deep nesting would otherwise end in a {@link StackOverflowError} inside databind.
 *
 * <p>Every declared element consumes at least one byte, so a header that announces more elements than bytes
 * remain fails at the end of the input instead of allocating anything.
 */
final class NestingCheck {

    private NestingCheck() {
    }

    /**
     * @throws IpcException {@link ErrorCode#CODEC_ERROR} with the byte offset of the failed check
     */
    static void check(final String what, final byte[] bytes, final int offset, final int length, final int maxDepth,
            final int maxStringLength) {
        final long[] remaining = new long[maxDepth + 1];
        int depth = 0;
        try (MessageUnpacker in = MessagePack.newDefaultUnpacker(bytes, offset, length)) {
            try {
                remaining[0] = 1;
                while (depth >= 0) {
                    if (remaining[depth] == 0) {
                        depth--;
                        continue;
                    }
                    remaining[depth]--;
                    final MessageFormat format = in.getNextFormat();
                    final ValueType type = format.getValueType();
                    final long children;
                    if (ValueType.ARRAY == type) {
                        children = in.unpackArrayHeader() & 0xffffffffL;
                    } else if (ValueType.MAP == type) {
                        children = 2L * (in.unpackMapHeader() & 0xffffffffL);
                    } else if (ValueType.STRING == type || ValueType.BINARY == type) {
                        final int size = ValueType.STRING == type ? in.unpackRawStringHeader() : in.unpackBinaryHeader();
                        if (size < 0 || size > maxStringLength) {
                            throw new IpcException(ErrorCode.CODEC_ERROR, "msgpack: cannot " + what + ": a string or"
                                    + " binary of " + (size & 0xffffffffL) + " bytes exceeds maxStringLength="
                                    + maxStringLength, in.getTotalReadBytes());
                        }
                        in.readPayloadAsReference(size); // a view, no copy: just moves past the payload
                        continue;
                    } else {
                        in.skipValue();
                        continue;
                    }
                    if (depth + 1 > maxDepth) {
                        throw new IpcException(ErrorCode.CODEC_ERROR, "msgpack: cannot " + what + ": nesting depth exceeds"
                                + " maxNestingDepth=" + maxDepth, in.getTotalReadBytes());
                    }
                    remaining[++depth] = children;
                }
                if (in.hasNext()) {
                    throw new IpcException(ErrorCode.CODEC_ERROR, "msgpack: cannot " + what + ": trailing bytes after the"
                            + " value", in.getTotalReadBytes());
                }
            } catch (IOException | RuntimeException e) {
                if (e instanceof IpcException) {
                    throw e;
                }
                final String why = e instanceof org.msgpack.core.MessageInsufficientBufferException
                        ? "the input ends inside a value" : e.getClass().getSimpleName() + ": " + e.getMessage();
                throw new IpcException(ErrorCode.CODEC_ERROR, "msgpack: cannot " + what + ": malformed input (" + why + ")",
                        in.getTotalReadBytes(), e);
            }
        } catch (IOException e) {
            throw new IpcException(ErrorCode.CODEC_ERROR, "msgpack: cannot " + what + ": " + e.getMessage(), e);
        }
    }
}
