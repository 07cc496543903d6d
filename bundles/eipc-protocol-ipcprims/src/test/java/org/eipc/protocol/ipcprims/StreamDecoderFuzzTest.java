package org.eipc.protocol.ipcprims;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;

import org.eipc.api.IpcException;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Differential fuzzing of {@link IpcprimsStreamDecoder}: the same bytes fed whole and in pseudo-random chunks
 * must give the same frames and the same error (code and offset); delivered frames re-encode to exactly the
 * bytes consumed, never exceed the limit, and nothing but {@link IpcException} is thrown. Seeds: the vectors.
 */
class StreamDecoderFuzzTest {
    private static final int[] LIMITS = {65536, 16384, 5};

    /** Outcome of one decoding run. */
    private static final class Run {
        final ByteArrayOutputStream reencoded = new ByteArrayOutputStream();
        int frames;
        IpcException error;
        long position;
    }

    @FuzzTest(maxDuration = "10s")
    void decodeStream(byte[] data) {
        for (final int limit : LIMITS) {
            final Run whole = run(data, limit, null);
            final Run split = run(data, limit, new long[] {data.length * 31L + limit});
            assertEquals(whole.frames, split.frames);
            assertArrayEquals(whole.reencoded.toByteArray(), split.reencoded.toByteArray());
            assertEquals(whole.error == null, split.error == null, () -> "whole " + whole.error + " split " + split.error);
            if (whole.error != null) {
                assertEquals(whole.error.code(), split.error.code());
                assertEquals(whole.error.offset(), split.error.offset());
                assertTrue(whole.error.offset() >= 0 && whole.error.offset() <= data.length);
            }
            final byte[] re = whole.reencoded.toByteArray();
            assertArrayEquals(Arrays.copyOf(data, re.length), re, "frames re-encode to the consumed bytes");
        }
    }

    private static Run run(byte[] data, int limit, long[] seed) {
        final Run r = new Run();
        final IpcprimsStreamDecoder d = new IpcprimsStreamDecoder(limit);
        final FrameHandler h = (ch, p, off) -> {
            assertTrue(p.remaining() <= limit);
            assertEquals(off, r.reencoded.size());
            final byte[] b = new byte[p.remaining()];
            p.get(b);
            final byte[] f = IpcprimsFrameEncoder.encodeToArray(ch, b);
            r.reencoded.write(f, 0, f.length);
            r.frames++;
            return true;
        };
        try {
            int at = 0;
            while (at < data.length) {
                final int n = seed == null ? data.length - at : 1 + (int) (next(seed) % Math.min(17, data.length - at));
                final ByteBuffer chunk = ByteBuffer.wrap(data, at, n).slice();
                d.feed(chunk, h);
                assertEquals(0, chunk.remaining(), "a chunk is consumed whole");
                at += n;
            }
            d.endOfStream();
        } catch (IpcException e) {
            r.error = e;
        }
        r.position = d.position();
        return r;
    }

    private static long next(long[] s) {
        s[0] = s[0] * 6364136223846793005L + 1442695040888963407L;
        return (s[0] >>> 33) & 0x7FFFFFFF;
    }
}
