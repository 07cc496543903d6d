package org.eipc.protocol.ipcprims;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;
import org.junit.jupiter.api.Test;

class IpcprimsStreamDecoderTest {

    private static final byte[] COMMAND = {0x49, 0x50, 0x18, 0, 0, 0, 0x01, 0};

    private static byte[] frame(int channel, byte[] payload) {
        return IpcprimsFrameEncoder.encodeToArray(channel, payload);
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (final byte[] p : parts) {
            n += p.length;
        }
        final byte[] out = new byte[n];
        int at = 0;
        for (final byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    private static List<Harness.Frame> collect(IpcprimsStreamDecoder d, byte[] stream, int[] cuts) {
        final List<Harness.Frame> out = new ArrayList<>();
        int from = 0;
        for (int i = 0; i <= cuts.length; i++) {
            final int to = i < cuts.length ? cuts[i] : stream.length;
            d.feed(ByteBuffer.wrap(Arrays.copyOfRange(stream, from, to)), (ch, p, off) -> {
                final byte[] b = new byte[p.remaining()];
                p.get(b);
                out.add(new Harness.Frame(ch, b));
                return true;
            });
            from = to;
        }
        return out;
    }

    @Test
    void shouldWriteGoldenHeaderBytesLittleEndian() {
        final ByteBuffer b = ByteBuffer.allocate(8);
        assertEquals(8, IpcprimsFrameEncoder.encodeHeader(b, 1, 24));
        assertArrayEquals(COMMAND, b.array());
        assertArrayEquals(new byte[] {0x49, 0x50, 0, 0, 0, 0, 2, 0}, frame(2, new byte[0]));
        assertArrayEquals(new byte[] {0x49, 0x50, 1, 0, 0, 0, 0, 1, 7}, frame(256, new byte[] {7}));
        assertEquals(IpcprimsFrameEncoder.INSUFFICIENT_CAPACITY,
                IpcprimsFrameEncoder.encode(ByteBuffer.allocate(8), 1, new byte[1], 16));
        assertThrows(IllegalArgumentException.class, () -> IpcprimsFrameEncoder.encodeToArray(65536, new byte[0]));
        final IpcException big = assertThrows(IpcException.class,
                () -> IpcprimsFrameEncoder.encode(ByteBuffer.allocate(64), 1, new byte[17], 16));
        assertEquals(ErrorCode.FRAME_TOO_LARGE, big.code());
    }

    @Test
    void shouldViewAFrameWithoutCopying() {
        final byte[] f = frame(0x1234, new byte[] {1, 2, 3});
        final IpcprimsFrame view = new IpcprimsFrame().wrap(ByteBuffer.wrap(f), 0);
        assertTrue(view.magicValid());
        assertEquals(3, view.payloadLength());
        assertEquals(0x1234, view.channel());
        assertTrue(view.complete());
        f[9] = 42;
        assertEquals(42, view.payload().get(1), "shares the bytes");
        final byte[] huge = {0x49, 0x50, -1, -1, -1, -1, 0, 0};
        assertEquals(0xFFFFFFFFL, new IpcprimsFrame().wrap(ByteBuffer.wrap(huge), 0).payloadLength());
    }

    @Test
    void shouldDecodeTheSameFramesForEverySplit() {
        final byte[] stream = concat(frame(1, "hello".getBytes()), frame(2, new byte[0]), frame(300, new byte[300]),
                frame(4, new byte[] {9}));
        final List<Harness.Frame> whole = collect(new IpcprimsStreamDecoder(1 << 20), stream, new int[0]);
        assertEquals(4, whole.size());
        for (int a = 0; a < stream.length; a++) {
            for (int b = a; b < stream.length; b += 7) {
                final List<Harness.Frame> split = collect(new IpcprimsStreamDecoder(1 << 20), stream, new int[] {a, b});
                assertEquals(whole.size(), split.size());
                for (int i = 0; i < whole.size(); i++) {
                    assertEquals(whole.get(i).channel(), split.get(i).channel());
                    assertArrayEquals(whole.get(i).payload(), split.get(i).payload());
                }
            }
        }
    }

    @Test
    void shouldDeliverAViewOfTheChunkWhenTheFrameIsInside() {
        final byte[] stream = frame(1, new byte[] {5, 6});
        final ByteBuffer chunk = ByteBuffer.wrap(stream);
        final List<ByteBuffer> seen = new ArrayList<>();
        new IpcprimsStreamDecoder(16).feed(chunk, (ch, p, off) -> seen.add(p));
        stream[8] = 77;
        assertEquals(77, seen.get(0).get(0), "zero-copy: the payload is the chunk's bytes");
        assertFalse(chunk.hasRemaining());
    }

    @Test
    void shouldRejectOversizeHeadersBeforeThePayloadArrives() {
        final IpcprimsStreamDecoder d = new IpcprimsStreamDecoder(16384);
        final byte[] header = {0x49, 0x50, 0x01, 0x40, 0, 0, 0, 0}; // 16385
        final IpcException e = assertThrows(IpcException.class, () -> collect(d, header, new int[] {1, 5, 7}));
        assertEquals(ErrorCode.FRAME_TOO_LARGE, e.code());
        assertEquals(2, e.offset());
        // exactly the limit is fine
        final IpcprimsStreamDecoder ok = new IpcprimsStreamDecoder(3);
        assertEquals(1, collect(ok, frame(1, new byte[3]), new int[0]).size());
        assertEquals(0, ok.position() - 11);
    }

    @Test
    void shouldStayFailedAfterAFramingError() {
        final IpcprimsStreamDecoder d = new IpcprimsStreamDecoder(100);
        final byte[] stream = concat(frame(1, new byte[] {1}), "IX".getBytes());
        final IpcException first = assertThrows(IpcException.class, () -> collect(d, stream, new int[0]));
        assertEquals(ErrorCode.BAD_MAGIC, first.code());
        assertEquals(10, first.offset());
        final IpcException again = assertThrows(IpcException.class,
                () -> d.feed(ByteBuffer.wrap(frame(1, new byte[0])), (c, p, o) -> true));
        assertSame(first, again, "sticky");
        assertSame(first, assertThrows(IpcException.class, d::endOfStream));
    }

    @Test
    void shouldReportTruncationAtTheEndOfTheStream() {
        final IpcprimsStreamDecoder header = new IpcprimsStreamDecoder(100);
        collect(header, new byte[] {0x49, 0x50, 3}, new int[0]);
        assertTrue(header.midFrame());
        final IpcException h = assertThrows(IpcException.class, header::endOfStream);
        assertEquals(ErrorCode.TRUNCATED_HEADER, h.code());
        assertEquals(3, h.offset());
        final IpcprimsStreamDecoder payload = new IpcprimsStreamDecoder(100);
        collect(payload, Arrays.copyOf(frame(1, new byte[10]), 12), new int[] {9});
        final IpcException p = assertThrows(IpcException.class, payload::endOfStream);
        assertEquals(ErrorCode.TRUNCATED_PAYLOAD, p.code());
        assertEquals(12, p.offset());
        final IpcprimsStreamDecoder clean = new IpcprimsStreamDecoder(100);
        collect(clean, frame(1, new byte[1]), new int[0]);
        clean.endOfStream();
    }

    @Test
    void shouldStopWhenTheHandlerSaysSoAndApplyANewLimitToTheNextFrame() {
        final byte[] stream = concat(frame(0, new byte[4]), frame(1, new byte[40]));
        final IpcprimsStreamDecoder d = new IpcprimsStreamDecoder(4);
        final ByteBuffer chunk = ByteBuffer.wrap(stream);
        assertEquals(1, d.feed(chunk, (ch, p, off) -> false));
        assertEquals(12, chunk.position());
        d.maxPayload(64);
        assertEquals(1, d.feed(chunk, (ch, p, off) -> true));
        assertEquals(stream.length, d.position());
    }
}
