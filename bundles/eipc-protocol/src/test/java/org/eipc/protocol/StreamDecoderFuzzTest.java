package org.eipc.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import com.code_intelligence.jazzer.junit.FuzzTest;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;

/**
 * Any byte stream gives frames and at most one {@link IpcException}, and the result does not depend on how the
 * stream is cut into chunks: whole, one byte at a time and random splits agree. Seeds in
 * {@code StreamDecoderFuzzTestInputs/stream}.
 */
class StreamDecoderFuzzTest {
    private final TestHmac mac = new TestHmac("EIPC-golden-vector-key-32-bytes!".getBytes(java.nio.charset.StandardCharsets.US_ASCII));

    /** Everything observable about one run. */
    private record Result(List<String> frames, ErrorCode error, long errorOffset, long consumed) {
    }

    @FuzzTest(maxDuration = "20s")
    void stream(byte[] data) {
        // a small limit too, so that the fuzzer hits the prefix checks often
        for (int limit : new int[] {ProtocolLimits.MAX_FRAME, 300}) {
            for (ProtocolMode mode : ProtocolMode.values()) {
                Result whole = run(data, mode, limit, null);
                Result single = run(data, mode, limit, new Random(0) {
                    private static final long serialVersionUID = 1L;

                    @Override
                    public int nextInt(int bound) {
                        return 0; // one byte at a time
                    }
                });
                Result random = run(data, mode, limit, new Random(Arrays.hashCode(data)));
                assertEquals(whole, single);
                assertEquals(whole, random);
                if (whole.error() != null) {
                    ErrorCode.Category c = whole.error().category();
                    assertTrue(c == ErrorCode.Category.DATA || c == ErrorCode.Category.SECURITY, whole.error().toString());
                    assertTrue(whole.errorOffset() >= 0 && whole.errorOffset() <= data.length);
                } else {
                    assertEquals(data.length, whole.consumed());
                }
            }
        }
    }

    private Result run(byte[] data, ProtocolMode mode, int limit, Random split) {
        List<String> frames = new ArrayList<>();
        StreamDecoder d = new StreamDecoder(new FrameDecoder(mode, limit), mac, (f, off) -> {
            byte[] payload = new byte[f.payloadLength()];
            f.payload().get(payload);
            frames.add(off + ":" + f.typeByte() + ":" + f.header() + ":" + Arrays.hashCode(payload));
        });
        try {
            int i = 0;
            while (i < data.length) {
                int n = split == null ? data.length : 1 + split.nextInt(data.length - i);
                d.feed(ByteBuffer.wrap(data, i, n).slice());
                i += n;
            }
            d.endOfStream();
            return new Result(frames, null, -1, d.offset());
        } catch (IpcException e) {
            try {
                d.feed(ByteBuffer.wrap(new byte[] {1}));
                throw new AssertionError("a failed stream must stay failed");
            } catch (IpcException again) {
                assertEquals(e.code(), again.code());
            }
            return new Result(frames, e.code(), e.offset(), -1);
        }
    }

    static void assertSame(byte[] a, byte[] b) {
        assertArrayEquals(a, b);
    }
}
