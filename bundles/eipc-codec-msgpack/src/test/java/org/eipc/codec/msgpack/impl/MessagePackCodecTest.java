package org.eipc.codec.msgpack.impl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonTypeInfo;

import org.eipc.api.ErrorCode;
import org.eipc.api.Header;
import org.eipc.api.IpcException;
import org.junit.jupiter.api.Test;

class MessagePackCodecTest {
    private final MessagePackCodec codec = new MessagePackCodec();

    record Inner(String name, List<Integer> values) { }

    record Outer(long id, BigInteger big, BigDecimal amount, String text, byte[] blob, Inner inner,
            Map<String, Inner> byName) {
        @Override
        public boolean equals(final Object o) {
            return o instanceof Outer x && id == x.id && big.equals(x.big) && amount.equals(x.amount)
                    && text.equals(x.text) && Arrays.equals(blob, x.blob) && inner.equals(x.inner)
                    && byName.equals(x.byName);
        }

        @Override
        public int hashCode() {
            return Objects.hash(id, big, text);
        }
    }

    static final class Pojo {
        public String label;
        public double ratio;
        public List<String> tags;
    }

    @JsonTypeInfo(use = JsonTypeInfo.Id.CLASS)
    static class Polymorphic {
        public String v;
    }

    static Outer sample() {
        return new Outer(Long.MIN_VALUE, new BigInteger("123456789012345678901234567890"),
                new BigDecimal("3.14159265358979323846264338327950288"), "grüße ✓ 日本 \uD83D\uDE00 \"q\"\n",
                new byte[] {0, 1, (byte) 0xff, 0x7f}, new Inner("in", List.of(1, 2, 3)),
                Map.of("k", new Inner("v", List.of())));
    }

    @Test
    void shouldRoundTripRecordsWithBigNumbersUnicodeAndBytes() {
        Outer value = sample();
        Outer back = codec.decode(ByteBuffer.wrap(codec.encode(value)), Outer.class);
        assertEquals(value, back);
    }

    @Test
    void shouldRoundTripMapsListsAndNumbers() {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("int", 42);
        value.put("long", Long.MAX_VALUE);
        value.put("big", "-98765432109876543210987654321"); // BigInteger would come back as this string
        value.put("double", 0.91);
        value.put("list", List.of("a", List.of(true, false), Map.of("x", "ü")));
        value.put("null", null);
        @SuppressWarnings("unchecked")
        Map<String, Object> back = codec.decode(ByteBuffer.wrap(codec.encode(value)), Map.class);
        assertEquals(value, back);
    }

    @Test
    void shouldRoundTripPojo() {
        Pojo p = new Pojo();
        p.label = "x";
        p.ratio = 0.5;
        p.tags = List.of("a", "b");
        Pojo back = codec.decode(ByteBuffer.wrap(codec.encode(p)), Pojo.class);
        assertEquals(p.label, back.label);
        assertEquals(p.ratio, back.ratio);
        assertEquals(p.tags, back.tags);
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
    void shouldDecodeFromBufferSliceAndDirectBufferWithoutMovingPosition() {
        byte[] cbor = codec.encode(Map.of("a", 1));
        byte[] framed = new byte[cbor.length + 4];
        System.arraycopy(cbor, 0, framed, 2, cbor.length);
        ByteBuffer heap = ByteBuffer.wrap(framed, 2, cbor.length).slice();
        assertEquals(Map.of("a", 1), codec.decode(heap, Map.class));
        assertEquals(0, heap.position());
        ByteBuffer direct = ByteBuffer.allocateDirect(cbor.length).put(cbor).flip();
        assertEquals(Map.of("a", 1), codec.decode(direct, Map.class));
        assertEquals(0, direct.position());
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
    void shouldReportTypeMismatchAsCodecError() {
        IpcException e = assertThrows(IpcException.class,
                () -> codec.decode(ByteBuffer.wrap(codec.encode(Map.of("label", List.of(1)))), Pojo.class));
        assertEquals(ErrorCode.CODEC_ERROR, e.code());
    }

    @Test
    void shouldRefuseInputLargerThanLimitBeforeParsing() {
        MessagePackCodec small = new MessagePackCodec(16, 64, 100, 100);
        IpcException e = assertThrows(IpcException.class,
                () -> small.decode(ByteBuffer.wrap(new byte[17]), Map.class));
        assertEquals(ErrorCode.CODEC_ERROR, e.code());
        assertTrue(e.getMessage().contains("maxInputBytes=16"), e.getMessage());
    }

    @Test
    void shouldRefuseNestingDeeperThanLimit() {
        MessagePackCodec shallow = new MessagePackCodec(1 << 20, 8, 100, 100);
        byte[] deep = new byte[10];
        Arrays.fill(deep, (byte) 0x91);  // array of one element, nine levels
        deep[9] = (byte) 0x90;
        IpcException e = assertThrows(IpcException.class, () -> shallow.decode(ByteBuffer.wrap(deep), Object.class));
        assertEquals(ErrorCode.CODEC_ERROR, e.code());
        assertTrue(e.getMessage().contains("nesting depth"), e.getMessage());
        shallow.decode(ByteBuffer.wrap(deep, 2, 8), Object.class); // eight levels are fine
        Object tooDeep = List.of(List.of(List.of(List.of(List.of(List.of(List.of(List.of(List.of()))))))));
        assertEquals(ErrorCode.CODEC_ERROR, assertThrows(IpcException.class, () -> shallow.encode(tooDeep)).code());
    }

    @Test
    void shouldRefuseLongStrings() {
        MessagePackCodec strict = new MessagePackCodec(1 << 20, 8, 10, 10);
        assertThrows(IpcException.class, () -> strict.decode(ByteBuffer.wrap(codec.encode("12345678901")), String.class));
        assertEquals("1234567890", strict.decode(ByteBuffer.wrap(codec.encode("1234567890")), String.class));
    }

    @Test
    void shouldRefuseClassNameTypeInformation() {
        byte[] cbor = codec.encode(Map.of("@class", "java.lang.ProcessBuilder", "v", "x"));
        IpcException e = assertThrows(IpcException.class, () -> codec.decode(ByteBuffer.wrap(cbor), Polymorphic.class));
        assertEquals(ErrorCode.CODEC_ERROR, e.code());
    }

    @Test
    void shouldRejectNonPositiveLimits() {
        assertEquals(ErrorCode.CONFIG_INVALID, assertThrows(IpcException.class, () -> new MessagePackCodec(0, 1, 1, 1)).code());
    }

    @Test
    void shouldDescribeItself() {
        assertEquals(Header.FORMAT_MSGPACK, codec.payloadFormat());
        assertEquals("msgpack", codec.name());
        assertArrayEquals(new byte[] {(byte) 0xc0}, codec.encode(null));
    }
}
