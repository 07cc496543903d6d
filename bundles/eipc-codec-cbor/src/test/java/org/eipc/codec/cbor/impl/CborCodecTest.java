package org.eipc.codec.cbor.impl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.Arrays;

import org.eipc.api.ErrorCode;
import org.eipc.api.Header;
import org.eipc.api.IpcException;
import org.eipc.codec.jackson.CodecContract;
import org.eipc.spi.codec.Codec;
import org.junit.jupiter.api.Test;

class CborCodecTest extends CodecContract {
    private final CborCodec codec = new CborCodec();

    @Override
    protected Codec codec() {
        return codec;
    }

    @Override
    protected Codec codec(int maxInputBytes, int maxNestingDepth, int maxStringLength, int maxNumberLength) {
        return new CborCodec(maxInputBytes, maxNestingDepth, maxStringLength, maxNumberLength);
    }

    @Override
    protected byte[] nestedArrays(int levels) {
        byte[] b = new byte[levels];
        Arrays.fill(b, (byte) 0x81); // an array of one element...
        b[levels - 1] = (byte) 0x80; // ...down to an empty one
        return b;
    }

    @Test
    void shouldWriteBytesAsByteStringAndBigIntegerAsBignum() {
        assertArrayEquals(new byte[] {0x43, 0, 1, (byte) 0xff}, codec.encode(new byte[] {0, 1, (byte) 0xff}));
        assertArrayEquals(new byte[] {7}, (byte[]) codec.decode(ByteBuffer.wrap(new byte[] {0x41, 7}), Object.class));
        BigInteger big = BigInteger.ONE.shiftLeft(100);
        assertEquals(big, codec.decode(ByteBuffer.wrap(codec.encode(big)), Object.class));
    }

    @Test
    void shouldReportMalformedInputAsCodecError() {
        byte[][] bad = {
            {(byte) 0xa1},                       // map of one entry, nothing follows
            {(byte) 0x82, 0x01},                 // array of two, one present
            {0x63, 0x61},                        // text of 3 bytes, 1 present
            {0x62, (byte) 0xc3, 0x28},           // invalid UTF-8 in text
            {(byte) 0xa1, 0x01, 0x02, 0x03},     // trailing value
            {(byte) 0x1c},                       // reserved additional info
            {(byte) 0x5b, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff},
        };
        for (byte[] b : bad) {
            IpcException e = assertThrows(IpcException.class, () -> codec.decode(ByteBuffer.wrap(b), Object.class),
                    Arrays.toString(b));
            assertEquals(ErrorCode.CODEC_ERROR, e.code());
            assertTrue(e.getMessage().contains("cbor: cannot decode"), e.getMessage());
        }
    }

    @Test
    void shouldRefuseLongStrings() {
        CborCodec strict = new CborCodec(1 << 20, 8, 10, 10);
        assertThrows(IpcException.class, () -> strict.decode(ByteBuffer.wrap(codec.encode("12345678901")), String.class));
        assertEquals("1234567890", strict.decode(ByteBuffer.wrap(codec.encode("1234567890")), String.class));
    }

    @Test
    void shouldDescribeItself() {
        assertEquals(Header.FORMAT_CBOR, codec.payloadFormat());
        assertEquals("cbor", codec.name());
        assertArrayEquals(new byte[] {(byte) 0xf6}, codec.encode(null));
    }
}
