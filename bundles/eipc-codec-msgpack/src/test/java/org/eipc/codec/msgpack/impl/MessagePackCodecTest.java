package org.eipc.codec.msgpack.impl;

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

class MessagePackCodecTest extends CodecContract {
    private final MessagePackCodec codec = new MessagePackCodec();

    @Override
    protected Codec codec() {
        return codec;
    }

    @Override
    protected Codec codec(int maxInputBytes, int maxNestingDepth, int maxStringLength, int maxNumberLength) {
        return new MessagePackCodec(maxInputBytes, maxNestingDepth, maxStringLength, maxNumberLength);
    }

    @Override
    protected byte[] nestedArrays(int levels) {
        byte[] b = new byte[levels];
        Arrays.fill(b, (byte) 0x91); // a fixarray of one element...
        b[levels - 1] = (byte) 0x90; // ...down to an empty one
        return b;
    }

    @Override
    protected Object untypedBigInteger(BigInteger value) {
        return value.toString(); // big numbers travel as strings (handleBigIntegerAndBigDecimalAsString)
    }

    @Test
    void shouldWriteBytesAsBinAndBigNumbersAsStrings() {
        assertArrayEquals(new byte[] {(byte) 0xc4, 3, 0, 1, (byte) 0xff}, codec.encode(new byte[] {0, 1, (byte) 0xff}));
        assertArrayEquals(new byte[] {7}, (byte[]) codec.decode(ByteBuffer.wrap(new byte[] {(byte) 0xc4, 1, 7}), Object.class));
        BigInteger big = BigInteger.ONE.shiftLeft(100);
        assertEquals(big.toString(), codec.decode(ByteBuffer.wrap(codec.encode(big)), Object.class));
        assertEquals(big, codec.decode(ByteBuffer.wrap(codec.encode(big)), BigInteger.class));
    }

    @Test
    void shouldReportMalformedInputAsCodecError() {
        byte[][] bad = {
            {(byte) 0x81},                       // map of one entry, nothing follows
            {(byte) 0x92, 0x01},                 // array of two, one present
            {(byte) 0xa3, 0x61},                 // str of 3 bytes, 1 present
            {(byte) 0x81, 0x01, 0x02, 0x03},     // trailing value
            {(byte) 0xc1},                       // never used
            {(byte) 0xdd, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff},  // array32 of 2^31-1 elements, none present
            {(byte) 0xc6, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff},  // bin32 of 2 GiB, nothing present
        };
        for (byte[] b : bad) {
            IpcException e = assertThrows(IpcException.class, () -> codec.decode(ByteBuffer.wrap(b), Object.class),
                    Arrays.toString(b));
            assertEquals(ErrorCode.CODEC_ERROR, e.code());
            assertTrue(e.getMessage().contains("msgpack: cannot decode"), e.getMessage());
        }
    }

    @Test
    void shouldRefuseLongStrings() {
        MessagePackCodec strict = new MessagePackCodec(1 << 20, 8, 10, 10);
        assertThrows(IpcException.class, () -> strict.decode(ByteBuffer.wrap(codec.encode("12345678901")), String.class));
        assertEquals("1234567890", strict.decode(ByteBuffer.wrap(codec.encode("1234567890")), String.class));
    }

    @Test
    void shouldDescribeItself() {
        assertEquals(Header.FORMAT_MSGPACK, codec.payloadFormat());
        assertEquals("msgpack", codec.name());
        assertArrayEquals(new byte[] {(byte) 0xc0}, codec.encode(null));
    }
}
