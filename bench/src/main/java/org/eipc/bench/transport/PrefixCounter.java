package org.eipc.bench.transport;

import java.nio.ByteBuffer;

/**
 * Counts length-prefixed messages in a byte stream fed in chunks of any size, without looking inside them: the
 * receiver's work in the bytes-only runs, the same as the raw sockets' (read a prefix, take that many bytes).
 */
final class PrefixCounter {
    private final int expected;
    private int prefix;
    private int prefixBytes;
    private int bodyLeft;

    /** @param expected the only length a prefix may carry */
    PrefixCounter(final int expected) {
        this.expected = expected;
    }

    /** Consumes all of {@code chunk}; returns the messages it completed. */
    int feed(final ByteBuffer chunk) {
        int done = 0;
        while (chunk.hasRemaining()) {
            if (bodyLeft > 0) {
                final int n = Math.min(bodyLeft, chunk.remaining());
                chunk.position(chunk.position() + n);
                bodyLeft -= n;
                if (0 == bodyLeft) {
                    done++;
                }
                continue;
            }
            prefix = (prefix << 8) | (chunk.get() & 0xFF);
            if (++prefixBytes == 4) {
                if (prefix != expected) {
                    throw new IllegalStateException("length prefix " + prefix + ", expected " + expected);
                }
                bodyLeft = prefix;
                prefix = 0;
                prefixBytes = 0;
            }
        }
        return done;
    }
}
