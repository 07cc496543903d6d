package org.eipc.protocol.ipcprims;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;
import org.junit.jupiter.api.Test;

class HandshakeTest {

    private static ByteBuffer json(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    private static IpcException requestFails(String s) {
        return assertThrows(IpcException.class, () -> HandshakeRequest.parse(json(s), 0));
    }

    @Test
    void shouldEncodeLikeSerdeJson() {
        assertEquals("{\"protocol\":\"ipcprims\",\"version\":\"1.0\",\"channels\":[1,2,3,4]}",
                new String(new HandshakeRequest("ipcprims", "1.0", new int[] {1, 2, 3, 4}, null).encode(),
                        StandardCharsets.UTF_8));
        assertEquals("{\"protocol\":\"ipcprims\",\"version\":\"1.0\",\"channels\":[1],\"auth_token\":\"s3cret-token\"}",
                new String(new HandshakeRequest("ipcprims", "1.0", new int[] {1}, "s3cret-token".toCharArray())
                        .encode(), StandardCharsets.UTF_8));
        assertEquals("{\"protocol\":\"p\\\"\\\\\\n\\u001f/é\",\"version\":\"1.0\",\"channels\":[],\"peer_id\":\"x\"}",
                new String(new HandshakeResponse("p\"\\\n\u001f/é", "1.0", new int[0], "x").encode(),
                        StandardCharsets.UTF_8));
        assertEquals("{\"type\":\"ping\"}", new String(ControlMessages.encode("ping"), StandardCharsets.UTF_8));
    }

    @Test
    void shouldNeverShowTheAuthToken() {
        final HandshakeRequest r = new HandshakeRequest("ipcprims", "1.0", new int[] {1}, "s3cret".toCharArray());
        assertFalse(r.toString().contains("s3cret"));
        assertFalse(IpcprimsConfig.client(1).withAuthToken("s3cret".toCharArray()).toString().contains("s3cret"));
        r.wipe();
        assertArrayEquals(new char[6], r.authToken());
    }

    @Test
    void shouldParseLeniently() {
        final HandshakeRequest r = HandshakeRequest.parse(json(" {\"x\":[{\"y\":null},true,-1.5e3],\"channels\" : [ 2 ,1 ],"
                + "\"version\":\"1.00\",\"protocol\":\"ipc\\u0070rims\",\"auth_token\":null} \n"), 0);
        assertEquals("ipcprims", r.protocol());
        assertArrayEquals(new int[] {2, 1}, r.channels());
        assertFalse(r.hasAuthToken());
        assertEquals(new ProtocolVersion(1, 0), ProtocolVersion.parse(r.version(), 0));
    }

    @Test
    void shouldRejectMalformedJson() {
        for (final String bad : new String[] {"", "[]", "{", "{\"protocol\":\"a\",}", "{\"protocol\":'a'}",
            "{\"channels\":[01]}", "{\"channels\":[1.0]}", "{\"channels\":[-1]}", "{\"channels\":[65536]}",
            "{\"channels\":[1e2]}", "{\"a\":\"\\x\"}", "{\"a\":\"\\ud800\"}", "{\"a\":\"\u0001\"}", "{} x",
            "{\"protocol\":\"ipcprims\",\"protocol\":\"ipcprims\",\"version\":\"1.0\",\"channels\":[1]}",
            "{\"protocol\":null,\"version\":\"1.0\",\"channels\":[1]}", "{\"a\":tru}",
            "[".repeat(200), "{\"a\":" + "[".repeat(200) + "]".repeat(200) + "}"}) {
            assertEquals(ErrorCode.HANDSHAKE_FAILED, requestFails(bad).code(), bad);
        }
        final byte[] badUtf8 = {'{', '"', 'a', '"', ':', '"', (byte) 0xC0, (byte) 0x80, '"', '}'};
        assertThrows(IpcException.class, () -> HandshakeRequest.parse(ByteBuffer.wrap(badUtf8), 0));
        assertEquals(8, requestFails("{\"a\":tru}").offset(), "offset of the failed byte");
    }

    @Test
    void shouldCheckVersions() {
        assertTrue(ProtocolVersion.compatible(new ProtocolVersion(1, 1), new ProtocolVersion(1, 0)));
        assertFalse(ProtocolVersion.compatible(new ProtocolVersion(1, 0), new ProtocolVersion(1, 1)));
        assertFalse(ProtocolVersion.compatible(new ProtocolVersion(2, 0), new ProtocolVersion(1, 0)));
        assertEquals(new ProtocolVersion(1, 65535), ProtocolVersion.parse("1.65535", 0));
        for (final String bad : new String[] {"1", "1.0.0", "v1.0", "1.", ".1", "1.65536", "1.-1", "",
            "12345678901234.0"}) {
            assertThrows(IpcException.class, () -> ProtocolVersion.parse(bad, 0), bad);
        }
    }

    @Test
    void shouldNegotiateInTheClientsOrder() {
        assertArrayEquals(new int[] {4, 2, 1},
                IpcprimsChannels.negotiate(new int[] {4, 2, 1}, new int[] {1, 2, 3, 4}, true, 0));
        assertArrayEquals(new int[] {2, 1},
                IpcprimsChannels.negotiate(new int[] {2, 2, 1, 2}, new int[] {1, 2, 3, 4}, true, 0));
        assertArrayEquals(new int[0], IpcprimsChannels.negotiate(new int[] {256}, new int[] {1}, false, 0));
        assertThrows(IpcException.class, () -> IpcprimsChannels.negotiate(new int[] {256}, new int[] {1}, true, 0));
        assertThrows(IpcException.class,
                () -> IpcprimsChannels.checkResponse(new int[] {1, 2}, new int[] {1, 5}, true, 0));
        assertEquals("RESERVED", IpcprimsChannels.name(5));
        assertEquals("USER", IpcprimsChannels.name(256));
    }

    @Test
    void shouldParseControlMessages() {
        assertEquals("ping", ControlMessages.parseType(json("{\"type\":\"ping\",\"payload\":{\"seq\":7},"
                + "\"timestamp\":\"2026-01-01T00:00:00Z\"}"), 0));
        assertEquals("x".repeat(65), ControlMessages.parseType(json("{\"type\":\"" + "x".repeat(100) + "\"}"), 0));
        for (final String bad : new String[] {"{\"type\":1}", "{\"type\":\"ping\",\"timestamp\":5}", "{}",
            "{\"type\":\"a\",\"type\":\"b\"}", "null"}) {
            assertEquals(ErrorCode.PROTOCOL_VIOLATION,
                    assertThrows(IpcException.class, () -> ControlMessages.parseType(json(bad), 0)).code(), bad);
        }
        assertNull(null);
    }

    @Test
    void shouldValidateConfig() {
        assertThrows(IllegalArgumentException.class, () -> IpcprimsConfig.client(0));
        assertThrows(IllegalArgumentException.class, () -> IpcprimsConfig.client(1).withAuthToken(new char[0]));
        assertThrows(IllegalArgumentException.class, () -> IpcprimsConfig.server().withLimits(16385, 1));
        assertThrows(IllegalArgumentException.class, () -> IpcprimsConfig.server().withLimits(1, (16 << 20) + 1));
        assertEquals(1024, IpcprimsConfig.server().withLimits(1024, 4096).maxHandshakePayload());
    }
}
