package org.eipc.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;

import com.code_intelligence.jazzer.junit.FuzzTest;

import org.eipc.api.ErrorCode;
import org.eipc.api.Header;
import org.eipc.api.IpcException;

/**
 * Any byte string given to {@link FrameDecoder} gives a frame or an {@link IpcException} with a data or
 * security code and an offset inside the input, nothing else. Without {@code JAZZER_FUZZ} the seeds in
 * {@code FrameDecoderFuzzTestInputs/decode} (the golden vectors and earlier findings) run as regression tests.
 */
class FrameDecoderFuzzTest {
    private final TestHmac mac = new TestHmac("EIPC-golden-vector-key-32-bytes!".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    private final FrameDecoder strict = new FrameDecoder(ProtocolMode.STRICT);
    private final FrameDecoder compat = new FrameDecoder(ProtocolMode.COMPAT);
    private final FrameEncoder encoder = new FrameEncoder();

    @FuzzTest(maxDuration = "20s")
    void decode(byte[] data) {
        for (FrameDecoder d : new FrameDecoder[] {strict, compat}) {
            check(data, () -> d.decode(ByteBuffer.wrap(data), mac));
            check(data, () -> d.parse(ByteBuffer.wrap(data)));
            // a direct, offset buffer behaves the same
            ByteBuffer direct = ByteBuffer.allocateDirect(data.length + 3);
            direct.position(3);
            direct.put(data).position(3);
            check(data, () -> d.decode(direct, mac));
        }
        // re-sign the input so that the fuzzer also reaches the header parser through a verified MAC
        if (data.length >= ProtocolLimits.PREAMBLE + ProtocolLimits.MAC_LENGTH) {
            byte[] signed = data.clone();
            signed[7] |= FrameFlags.HMAC;
            int macAt = signed.length - ProtocolLimits.MAC_LENGTH;
            mac.sign(ByteBuffer.wrap(signed, 0, macAt).slice(), ByteBuffer.wrap(signed, macAt, ProtocolLimits.MAC_LENGTH));
            check(signed, () -> strict.decode(ByteBuffer.wrap(signed), mac));
        }
        // the header parser alone, with a round trip through the writer when it accepts
        try {
            Header h = HeaderCodec.read(ByteBuffer.wrap(data), 0);
            ByteBuffer out = ByteBuffer.allocate(HeaderCodec.encodedLength(h));
            HeaderCodec.write(h, out);
            assertEquals(h, HeaderCodec.read(out.flip(), 0), "write then read gives the same header");
        } catch (IpcException e) {
            assertTrue(e.code().name().startsWith("HEADER_"), e.code().toString());
            assertTrue(e.offset() >= 0 && e.offset() <= data.length, "offset " + e.offset());
        }
    }

    private void check(byte[] data, java.util.function.Supplier<Frame> decode) {
        Frame f;
        try {
            f = decode.get();
        } catch (IpcException e) {
            ErrorCode.Category c = e.code().category();
            assertTrue(c == ErrorCode.Category.DATA || c == ErrorCode.Category.SECURITY, e.toString());
            assertTrue(e.offset() >= 0 && e.offset() <= data.length, "offset " + e.offset() + " of " + data.length);
            return;
        }
        {
            // touch everything a caller can reach
            assertTrue(f.frameLength() + f.trailingBytes() <= data.length);
            f.header().sequenceText();
            f.payload().remaining();
            f.headerBytes().remaining();
            if (f.mac() != null) {
                assertEquals(ProtocolLimits.MAC_LENGTH, f.mac().remaining());
            }
            f.toMessage();
            // what decodes re-encodes to a frame that decodes to the same header and payload
            if (encoder.encodedLength(f.header(), f.payloadLength(), true) <= ProtocolLimits.MAX_FRAME) {
                ByteBuffer out = ByteBuffer.allocate(encoder.encodedLength(f.header(), f.payloadLength(), true));
                encoder.encode(f.typeByte(), f.flags() | FrameFlags.HMAC, f.header(), f.payload(), mac, out);
                Frame again = new FrameDecoder(ProtocolMode.COMPAT).decode(out.flip(), mac);
                assertEquals(f.header(), again.header());
                assertEquals(f.payload(), again.payload());
            }
        }
    }
}
