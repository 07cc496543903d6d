package org.eipc.codec.json.impl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.eipc.api.ErrorCode;
import org.eipc.api.Header;
import org.eipc.api.IpcException;
import org.eipc.codec.jackson.CodecContract;
import org.eipc.spi.codec.Codec;
import org.junit.jupiter.api.Test;

class JsonCodecTest extends CodecContract {
    private final JsonCodec codec = new JsonCodec();

    @Override
    protected Codec codec() {
        return codec;
    }

    @Override
    protected Codec codec(int maxInputBytes, int maxNestingDepth, int maxStringLength, int maxNumberLength) {
        return new JsonCodec(maxInputBytes, maxNestingDepth, maxStringLength, maxNumberLength);
    }

    @Override
    protected byte[] nestedArrays(int levels) {
        return ("[".repeat(levels) + "]".repeat(levels)).getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void shouldWriteBytesAsBase64String() {
        assertEquals("\"AAH/\"", new String(codec.encode(new byte[] {0, 1, (byte) 0xff}), StandardCharsets.UTF_8));
    }

    @Test
    void shouldReportMalformedInputAsCodecError() {
        for (String bad : new String[] {"{", "{\"a\":}", "[1,2", "nul", "{\"a\":1} trailing", "\"\\uZZZZ\""}) {
            IpcException e = assertThrows(IpcException.class,
                    () -> codec.decode(ByteBuffer.wrap(bad.getBytes(StandardCharsets.UTF_8)), Map.class), bad);
            assertEquals(ErrorCode.CODEC_ERROR, e.code());
            assertTrue(e.getMessage().startsWith("CODEC_ERROR: json: cannot decode java.util.Map: "), e.getMessage());
        }
    }

    @Test
    void shouldRefuseLongStringsAndNumbers() {
        JsonCodec strict = new JsonCodec(1 << 20, 8, 10, 10);
        assertThrows(IpcException.class, () -> strict.decode(
                ByteBuffer.wrap("\"12345678901\"".getBytes(StandardCharsets.UTF_8)), String.class));
        assertThrows(IpcException.class, () -> strict.decode(
                ByteBuffer.wrap("123456789012".getBytes(StandardCharsets.UTF_8)), Object.class));
    }

    @Test
    void shouldDescribeItself() {
        assertEquals(Header.FORMAT_JSON, codec.payloadFormat());
        assertEquals("json", codec.name());
        assertArrayEquals("null".getBytes(StandardCharsets.UTF_8), codec.encode(null));
    }
}
