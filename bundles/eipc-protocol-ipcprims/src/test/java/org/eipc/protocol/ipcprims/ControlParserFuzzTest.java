package org.eipc.protocol.ipcprims;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Set;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzing of the handshake and CONTROL parsers, alone (parse, re-encode, re-parse) and inside peers (the bytes
 * as a server's first frame and as a CONTROL frame after the handshake). Only the documented error codes may
 * come out; nothing may escape {@code onData}. Seeds: the CONTROL payloads of the vectors.
 */
class ControlParserFuzzTest {
    private static final byte[] REQUEST = IpcprimsFrameEncoder.encodeToArray(0,
            "{\"protocol\":\"ipcprims\",\"version\":\"1.0\",\"channels\":[1,2,3,4]}".getBytes(StandardCharsets.UTF_8));
    private static final Set<ErrorCode> PEER_CODES = EnumSet.of(ErrorCode.HANDSHAKE_FAILED,
            ErrorCode.PROTOCOL_VIOLATION, ErrorCode.QUOTA_EXCEEDED, ErrorCode.FRAME_TOO_LARGE);

    @FuzzTest(maxDuration = "10s")
    void parseControl(byte[] data) {
        final ByteBuffer b = ByteBuffer.wrap(data);
        try {
            final HandshakeRequest r = HandshakeRequest.parse(b, 0);
            final HandshakeRequest again = HandshakeRequest.parse(ByteBuffer.wrap(r.encode()), 0);
            assertEquals(r.protocol(), again.protocol());
            assertEquals(r.version(), again.version());
            assertArrayEquals(r.channels(), again.channels());
            assertArrayEquals(r.authToken(), again.authToken());
        } catch (IpcException e) {
            expect(e, ErrorCode.HANDSHAKE_FAILED, data.length);
        }
        try {
            final HandshakeResponse r = HandshakeResponse.parse(b, 0);
            final HandshakeResponse again = HandshakeResponse.parse(ByteBuffer.wrap(r.encode()), 0);
            assertEquals(r.protocol(), again.protocol());
            assertEquals(r.peerId(), again.peerId());
            assertArrayEquals(r.channels(), again.channels());
        } catch (IpcException e) {
            expect(e, ErrorCode.HANDSHAKE_FAILED, data.length);
        }
        try {
            final String type = ControlMessages.parseType(b, 0);
            assertTrue(type.length() <= ControlMessages.MAX_TYPE_CHARS + 1);
        } catch (IpcException e) {
            expect(e, ErrorCode.PROTOCOL_VIOLATION, data.length);
        }
        assertEquals(0, b.position());
        assertEquals(data.length, b.limit());

        final byte[] frame = IpcprimsFrameEncoder.encodeToArray(0, data);
        final Harness first = Harness.server(false).feed(frame);
        if (first.cause != null) {
            assertTrue(PEER_CODES.contains(first.cause.code()), first.cause::toString);
        }
        final Harness open = Harness.server(false).feed(REQUEST).feed(frame).feed(frame);
        if (open.cause != null) {
            assertTrue(PEER_CODES.contains(open.cause.code()), open.cause::toString);
        }
    }

    private static void expect(IpcException e, ErrorCode code, int length) {
        assertEquals(code, e.code(), e::toString);
        assertTrue(e.offset() >= 0 && e.offset() <= length, e::toString);
    }
}
