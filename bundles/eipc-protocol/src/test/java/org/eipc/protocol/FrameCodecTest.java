package org.eipc.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.eipc.api.ErrorCode;
import org.eipc.api.Header;
import org.eipc.api.IpcException;
import org.eipc.api.MessageType;
import org.junit.jupiter.api.Test;

class FrameCodecTest {
    private static final Header HEADER = Header.builder().serviceId("svc").sessionId("s").requestId("r")
            .sequence(42).timestamp("2026-01-02T03:04:05.123456789Z").priority(1).capability("cap").build();
    private static final byte[] PAYLOAD = "{\"hello\":\"world\"}".getBytes(StandardCharsets.UTF_8);

    private final TestHmac mac = new TestHmac(Vectors.HMAC_KEY);
    private final FrameEncoder encoder = new FrameEncoder();

    private byte[] encode(int flags) {
        ByteBuffer out = ByteBuffer.allocate(encoder.encodedLength(HEADER, PAYLOAD.length, (flags & 1) != 0));
        encoder.encode(MessageType.INTENT.wireByte(), flags, HEADER, ByteBuffer.wrap(PAYLOAD), mac, out);
        assertEquals(out.capacity(), out.position());
        return out.array();
    }

    @Test
    void roundTripsOnHeapAndDirectBuffersOfAnyByteOrder() {
        byte[] frame = encode(FrameFlags.HMAC);
        for (boolean direct : new boolean[] {false, true}) {
            ByteBuffer b = direct ? ByteBuffer.allocateDirect(frame.length + 9) : ByteBuffer.allocate(frame.length + 9);
            b.order(ByteOrder.LITTLE_ENDIAN);
            b.position(5);
            b.put(frame).flip().position(5);
            Frame f = new FrameDecoder(ProtocolMode.STRICT).decode(b, mac);
            assertEquals(5, b.position());
            assertEquals(HEADER, f.header());
            assertEquals(MessageType.INTENT, f.type());
            assertEquals(MacStatus.VERIFIED, f.macStatus());
            assertEquals(frame.length, f.frameLength());
            assertArrayEquals(PAYLOAD, GoldenVectorTest.bytes(f.payload()));
            assertEquals(ByteOrder.BIG_ENDIAN, f.payload().order());
            // the encoder ignores the output's byte order too
            ByteBuffer out = ByteBuffer.allocate(frame.length).order(ByteOrder.LITTLE_ENDIAN);
            encoder.encode(MessageType.INTENT.wireByte(), FrameFlags.HMAC, f.header(), f.payload(), mac, out);
            assertArrayEquals(frame, out.array());
        }
    }

    @Test
    void viewsAreZeroCopyAndReadOnly() {
        byte[] frame = encode(FrameFlags.HMAC);
        Frame f = new FrameDecoder(ProtocolMode.STRICT).decode(ByteBuffer.wrap(frame), mac);
        ByteBuffer payload = f.payload();
        assertTrue(payload.isReadOnly());
        assertTrue(f.headerBytes().isReadOnly());
        assertTrue(f.mac().isReadOnly());
        int at = 16 + f.headerLength();
        frame[at] = 'X'; // the view sees the caller's bytes: nothing was copied
        assertEquals('X', payload.get(0));
        assertEquals('X', f.toMessage().payload().get(0));
    }

    @Test
    void encoderLeavesThePayloadPositionAlone() {
        ByteBuffer p = ByteBuffer.wrap(PAYLOAD);
        p.position(2);
        ByteBuffer out = ByteBuffer.allocate(1000);
        encoder.encode((byte) 'i', 0, HEADER, p, null, out);
        assertEquals(2, p.position());
        Frame f = new FrameDecoder(ProtocolMode.COMPAT).decode(out.flip(), mac);
        assertArrayEquals(Arrays.copyOfRange(PAYLOAD, 2, PAYLOAD.length), GoldenVectorTest.bytes(f.payload()));
        assertEquals(MacStatus.ABSENT, f.macStatus());
        assertNull(f.mac());
    }

    @Test
    void encoderRefusesBeforeWritingAnything() {
        ByteBuffer small = ByteBuffer.allocate(encoder.encodedLength(HEADER, PAYLOAD.length, true) - 1);
        IpcException e = assertThrows(IpcException.class,
                () -> encoder.encode((byte) 'i', FrameFlags.HMAC, HEADER, ByteBuffer.wrap(PAYLOAD), mac, small));
        assertEquals(ErrorCode.ILLEGAL_STATE, e.code());
        assertEquals(0, small.position());
        assertTrue(Arrays.equals(new byte[small.capacity()], small.array()), "nothing written");

        ByteBuffer exact = ByteBuffer.allocate(encoder.encodedLength(HEADER, PAYLOAD.length, true));
        e = assertThrows(IpcException.class, () -> encoder.encodeWithPrefix((byte) 'i', FrameFlags.HMAC, HEADER,
                ByteBuffer.wrap(PAYLOAD), mac, exact));
        assertEquals(ErrorCode.ILLEGAL_STATE, e.code(), "the prefix needs 4 more bytes");

        e = assertThrows(IpcException.class, () -> encoder.encode((byte) 'i', FrameFlags.HMAC, HEADER,
                ByteBuffer.wrap(PAYLOAD), null, ByteBuffer.allocate(1000)));
        assertEquals(ErrorCode.ILLEGAL_STATE, e.code(), "HMAC flag without signer");
        e = assertThrows(IpcException.class, () -> encoder.encode((byte) 'i', 0x100, HEADER,
                ByteBuffer.wrap(PAYLOAD), mac, ByteBuffer.allocate(1000)));
        assertEquals(ErrorCode.CONFIG_INVALID, e.code());
        e = assertThrows(IpcException.class, () -> encoder.encode((byte) 'i', 0, HEADER,
                ByteBuffer.wrap(PAYLOAD), mac, ByteBuffer.allocate(1000).asReadOnlyBuffer()));
        assertEquals(ErrorCode.ILLEGAL_STATE, e.code());
    }

    @Test
    void encoderLimitIsTheWholeFrame() {
        FrameEncoder small = new FrameEncoder(400);
        int hlen = HeaderCodec.encodedLength(HEADER);
        int fits = 400 - 16 - 32 - hlen;
        ByteBuffer out = ByteBuffer.allocate(500);
        assertEquals(400, small.encode((byte) 'i', FrameFlags.HMAC, HEADER, ByteBuffer.allocate(fits), mac, out));
        IpcException e = assertThrows(IpcException.class, () -> small.encode((byte) 'i', FrameFlags.HMAC, HEADER,
                ByteBuffer.allocate(fits + 1), mac, ByteBuffer.allocate(500)));
        assertEquals(ErrorCode.FRAME_TOO_LARGE, e.code());
    }

    @Test
    void prefixIsTheFrameLength() {
        ByteBuffer out = ByteBuffer.allocate(1000);
        int n = encoder.encodeWithPrefix((byte) 'h', FrameFlags.HMAC, HEADER, ByteBuffer.wrap(PAYLOAD), mac, out);
        assertEquals(n - 4, out.getInt(0));
        assertEquals(encode(FrameFlags.HMAC).length, n - 4);
    }

    @Test
    void decoderChecks() {
        FrameDecoder strict = new FrameDecoder(ProtocolMode.STRICT);
        byte[] frame = encode(FrameFlags.HMAC);
        IpcException e = assertThrows(IpcException.class, () -> strict.decode(ByteBuffer.wrap(frame), null));
        assertEquals(ErrorCode.ILLEGAL_STATE, e.code());
        // a key-less parse works and says so
        Frame parsed = strict.parse(ByteBuffer.wrap(frame));
        assertEquals(MacStatus.NOT_CHECKED, parsed.macStatus());
        assertEquals(HEADER, parsed.header());
        // hlen + plen is summed in 64 bits
        byte[] huge = Arrays.copyOf(frame, 16);
        ByteBuffer.wrap(huge).putInt(8, -1).putInt(12, -1);
        e = assertThrows(IpcException.class, () -> strict.decode(ByteBuffer.wrap(huge), mac));
        assertEquals(ErrorCode.FRAME_TOO_LARGE, e.code());
        assertEquals(8, e.offset());
        // a smaller configured limit
        FrameDecoder tiny = new FrameDecoder(ProtocolMode.STRICT, 100);
        e = assertThrows(IpcException.class, () -> tiny.decode(ByteBuffer.wrap(frame), mac));
        assertEquals(ErrorCode.FRAME_TOO_LARGE, e.code());
        // a wrong key
        e = assertThrows(IpcException.class,
                () -> strict.decode(ByteBuffer.wrap(frame), new TestHmac(new byte[32])));
        assertEquals(ErrorCode.MAC_INVALID, e.code());
        assertEquals(frame.length - 32, e.offset());
        // ENCRYPTED is fine in strict mode (decryption is above the codec)
        Frame enc = strict.decode(ByteBuffer.wrap(encode(FrameFlags.HMAC | FrameFlags.ENCRYPTED)), mac);
        assertTrue(enc.hasFlag(FrameFlags.ENCRYPTED));
        assertThrows(IpcException.class, () -> new FrameDecoder(ProtocolMode.STRICT, 0));
        assertThrows(IpcException.class, () -> new FrameDecoder(ProtocolMode.STRICT, ProtocolLimits.MAX_FRAME + 1));
    }

    @Test
    void strictMacIsCheckedBeforeTheHeaderIsParsed() {
        // a frame with a broken header and a wrong MAC fails on the MAC, not on the header
        byte[] frame = encode(FrameFlags.HMAC);
        frame[16] = '[';
        IpcException e = assertThrows(IpcException.class,
                () -> new FrameDecoder(ProtocolMode.STRICT).decode(ByteBuffer.wrap(frame), mac));
        assertEquals(ErrorCode.MAC_INVALID, e.code());
    }

    @Test
    void theMacReadsAHeapFrameThroughItsArrayAndTheCallersBufferIsLeftAlone() {
        // a read-only view hides the array and makes MessageDigest copy: a heap frame reaches the MAC through a
        // plain duplicate, a direct one through the read-only view; the bytes are the frame's either way
        byte[] frame = encode(FrameFlags.HMAC);
        for (boolean direct : new boolean[] {false, true}) {
            ByteBuffer b = (direct ? ByteBuffer.allocateDirect(frame.length + 20) : ByteBuffer.allocate(frame.length
                    + 20)).position(7).put(frame).position(7).limit(7 + frame.length);
            FrameDecoder d = new FrameDecoder(ProtocolMode.STRICT);
            boolean[] sawArray = new boolean[1];
            org.eipc.spi.security.FrameMac spy = new org.eipc.spi.security.FrameMac() {
                @Override
                public int length() {
                    return 32;
                }

                @Override
                public void sign(ByteBuffer data, ByteBuffer out) {
                    throw new UnsupportedOperationException();
                }

                @Override
                public boolean verify(ByteBuffer data, ByteBuffer m) {
                    sawArray[0] = data.hasArray();
                    assertEquals(7, data.position());
                    assertEquals(7 + frame.length - 32, data.limit());
                    return mac.verify(data, m);
                }

                @Override
                public String keyId() {
                    return "spy";
                }
            };
            for (int round = 0; round < 2; round++) { // the second round reuses the cached views
                Frame f = d.decode(b, spy);
                assertEquals(MacStatus.VERIFIED, f.macStatus());
                assertEquals(!direct, sawArray[0]);
                assertEquals(7, b.position());
                assertEquals(7 + frame.length, b.limit());
                assertTrue(f.payload().isReadOnly());
            }
            b.put(7 + frame.length - 40, (byte) (b.get(7 + frame.length - 40) ^ 1));
            IpcException e = assertThrows(IpcException.class, () -> d.decode(b, spy));
            assertEquals(ErrorCode.MAC_INVALID, e.code());
        }
    }

    @Test
    void encodingIsAllocationFreeAfterWarmUp() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        ByteBuffer out = ByteBuffer.allocateDirect(1000);
        ByteBuffer payload = ByteBuffer.wrap(PAYLOAD);
        for (int i = 0; i < 20_000; i++) {
            encoder.encodeWithPrefix((byte) 'i', 0, HEADER, payload, null, out.clear());
        }
        long tid = Thread.currentThread().getId();
        long before = mx.getThreadAllocatedBytes(tid);
        for (int i = 0; i < 10_000; i++) {
            encoder.encodeWithPrefix((byte) 'i', 0, HEADER, payload, null, out.clear());
        }
        long allocated = mx.getThreadAllocatedBytes(tid) - before;
        // a per-frame allocation would show as at least 160 KB here
        assertTrue(allocated < 16_384, allocated + " bytes allocated for 10,000 frames");
    }
}
