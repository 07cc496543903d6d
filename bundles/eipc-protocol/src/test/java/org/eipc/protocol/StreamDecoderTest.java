package org.eipc.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.eipc.api.ErrorCode;
import org.eipc.api.Header;
import org.eipc.api.IpcException;
import org.junit.jupiter.api.Test;

class StreamDecoderTest {
    private final TestHmac mac = new TestHmac(Vectors.HMAC_KEY);
    private final FrameEncoder encoder = new FrameEncoder();

    private byte[] records(int count, int payloadSize) {
        ByteBuffer out = ByteBuffer.allocate(count * (payloadSize + 400));
        for (int i = 1; i <= count; i++) {
            Header h = Header.builder().serviceId("s").sequence(i).timestamp("t").build();
            encoder.encodeWithPrefix((byte) 'h', FrameFlags.HMAC, h, ByteBuffer.allocate(payloadSize), mac, out);
        }
        out.flip();
        byte[] b = new byte[out.remaining()];
        out.get(b);
        return b;
    }

    @Test
    void framesInsideOneChunkAreDecodedInPlace() {
        byte[] stream = records(3, 10);
        ByteBuffer chunk = ByteBuffer.wrap(stream);
        List<Long> offsets = new ArrayList<>();
        StreamDecoder d = new StreamDecoder(new FrameDecoder(ProtocolMode.STRICT), mac, (f, off) -> {
            offsets.add(off);
            // the payload view is over the chunk's own bytes
            int payloadAt = (int) off + 4 + 16 + f.headerLength();
            stream[payloadAt] = 7;
            assertEquals(7, f.payload().get(0));
        });
        d.feed(chunk);
        assertFalse(chunk.hasRemaining());
        d.endOfStream();
        assertEquals(3, offsets.size());
        assertEquals(0L, offsets.get(0));
        assertEquals(stream.length, d.offset());
    }

    @Test
    void splitFramesAreAssembledWhateverTheChunking() {
        byte[] stream = records(5, 3000);
        for (int chunkSize : new int[] {1, 2, 3, 5, 100, 2999, 3050, 7000}) {
            List<Long> seqs = new ArrayList<>();
            StreamDecoder d = new StreamDecoder(new FrameDecoder(ProtocolMode.STRICT), mac,
                    (f, off) -> seqs.add(f.header().sequence()));
            for (int i = 0; i < stream.length; i += chunkSize) {
                d.feed(ByteBuffer.wrap(stream, i, Math.min(chunkSize, stream.length - i)));
            }
            d.endOfStream();
            assertEquals(List.of(1L, 2L, 3L, 4L, 5L), seqs, "chunk size " + chunkSize);
        }
    }

    @Test
    void splitFramesFromDirectChunksAreAssembledInADirectBuffer() {
        // one kind of buffer reaches the frame decoder per stream (see ensureAccumulator)
        byte[] stream = records(4, 300);
        for (boolean direct : new boolean[] {true, false}) {
            for (int chunkSize : new int[] {1, 7, 299, 500}) {
                List<Long> seqs = new ArrayList<>();
                List<Boolean> kinds = new ArrayList<>();
                StreamDecoder d = new StreamDecoder(new FrameDecoder(ProtocolMode.STRICT), mac, (f, off) -> {
                    seqs.add(f.header().sequence());
                    kinds.add(f.payload().isDirect());
                });
                for (int i = 0; i < stream.length; i += chunkSize) {
                    int n = Math.min(chunkSize, stream.length - i);
                    ByteBuffer chunk = direct ? ByteBuffer.allocateDirect(n) : ByteBuffer.allocate(n);
                    d.feed(chunk.put(stream, i, n).flip());
                }
                d.endOfStream();
                assertEquals(List.of(1L, 2L, 3L, 4L), seqs, direct + "/" + chunkSize);
                assertEquals(List.of(direct, direct, direct, direct), kinds, direct + "/" + chunkSize);
            }
        }
    }

    @Test
    void aTamperedSplitFrameFromDirectChunksFailsItsMac() {
        byte[] stream = records(2, 50);
        stream[stream.length - 40] ^= 1; // a payload byte of the second frame
        StreamDecoder d = new StreamDecoder(new FrameDecoder(ProtocolMode.STRICT), mac, (f, off) -> { });
        IpcException e = assertThrows(IpcException.class, () -> {
            for (int i = 0; i < stream.length; i += 9) {
                int n = Math.min(9, stream.length - i);
                d.feed(ByteBuffer.allocateDirect(n).put(stream, i, n).flip());
            }
        });
        assertEquals(ErrorCode.MAC_INVALID, e.code());
    }

    @Test
    void prefixChecksComeFirstAndCarryTheStreamOffset() {
        byte[] good = records(1, 5);
        ByteBuffer s = ByteBuffer.allocate(good.length + 4).put(good).putInt(ProtocolLimits.MAX_FRAME + 1).flip();
        StreamDecoder d = new StreamDecoder(new FrameDecoder(ProtocolMode.STRICT), mac, (f, off) -> { });
        IpcException e = assertThrows(IpcException.class, () -> d.feed(s));
        assertEquals(ErrorCode.STREAM_PREFIX_TOO_LARGE, e.code());
        assertEquals(good.length, e.offset());
        assertTrue(d.failed());
        // sticky
        IpcException again = assertThrows(IpcException.class, () -> d.feed(ByteBuffer.wrap(good)));
        assertEquals(ErrorCode.STREAM_PREFIX_TOO_LARGE, again.code());
        assertEquals(ErrorCode.STREAM_PREFIX_TOO_LARGE, assertThrows(IpcException.class, d::endOfStream).code());

        // a decoder's own limit applies to the prefix too
        StreamDecoder small = new StreamDecoder(new FrameDecoder(ProtocolMode.STRICT, 100), mac, (f, off) -> { });
        assertEquals(ErrorCode.STREAM_PREFIX_TOO_LARGE,
                assertThrows(IpcException.class, () -> small.feed(ByteBuffer.wrap(good))).code());
    }

    @Test
    void frameErrorsAreReportedAtStreamOffsets() {
        byte[] stream = records(2, 5);
        int second = stream.length / 2;
        stream[second + 4] = 'X'; // magic of the second frame
        StreamDecoder d = new StreamDecoder(new FrameDecoder(ProtocolMode.STRICT), mac, (f, off) -> { });
        IpcException e = assertThrows(IpcException.class, () -> d.feed(ByteBuffer.wrap(stream)));
        assertEquals(ErrorCode.BAD_MAGIC, e.code());
        assertEquals(second + 4, e.offset());
    }

    @Test
    void endOfStreamInsideARecord() {
        byte[] stream = records(1, 5);
        StreamDecoder d = new StreamDecoder(new FrameDecoder(ProtocolMode.STRICT), mac, (f, off) -> { });
        d.feed(ByteBuffer.wrap(stream, 0, 2));
        assertEquals(2, d.offset());
        IpcException e = assertThrows(IpcException.class, d::endOfStream);
        assertEquals(ErrorCode.TRUNCATED_PREFIX, e.code());
        assertEquals(2, e.offset());

        StreamDecoder d2 = new StreamDecoder(new FrameDecoder(ProtocolMode.STRICT), mac, (f, off) -> { });
        d2.feed(ByteBuffer.wrap(stream, 0, 10));
        e = assertThrows(IpcException.class, d2::endOfStream);
        assertEquals(ErrorCode.TRUNCATED_FRAME, e.code());
        assertEquals(10, e.offset());

        StreamDecoder clean = new StreamDecoder(new FrameDecoder(ProtocolMode.STRICT), mac, (f, off) -> { });
        clean.feed(ByteBuffer.wrap(stream));
        clean.endOfStream();
        assertEquals(ErrorCode.ILLEGAL_STATE,
                assertThrows(IpcException.class, () -> clean.feed(ByteBuffer.allocate(1))).code());
    }

    @Test
    void listenerExceptionsPropagateAndTheRestCanBeFedAgain() {
        byte[] stream = records(2, 5);
        RuntimeException boom = new RuntimeException("boom");
        List<Long> seen = new ArrayList<>();
        StreamDecoder d = new StreamDecoder(new FrameDecoder(ProtocolMode.STRICT), mac, (f, off) -> {
            seen.add(f.header().sequence());
            if (seen.size() == 1) {
                throw boom;
            }
        });
        ByteBuffer chunk = ByteBuffer.wrap(stream);
        assertSame(boom, assertThrows(RuntimeException.class, () -> d.feed(chunk)));
        assertEquals(stream.length / 2, chunk.position());
        d.feed(chunk);
        assertEquals(List.of(1L, 2L), seen);
    }
}
