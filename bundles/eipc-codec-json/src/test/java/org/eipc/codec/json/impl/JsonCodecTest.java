package org.eipc.codec.json.impl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
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

class JsonCodecTest {
    private final JsonCodec codec = new JsonCodec();

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
        value.put("big", new BigInteger("-98765432109876543210987654321"));
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
    void shouldWriteBytesAsBase64String() {
        assertEquals("\"AAH/\"", new String(codec.encode(new byte[] {0, 1, (byte) 0xff}), StandardCharsets.UTF_8));
    }

    @Test
    void shouldDecodeFromBufferSliceAndDirectBufferWithoutMovingPosition() {
        byte[] json = "xx{\"a\":1}yy".getBytes(StandardCharsets.UTF_8);
        ByteBuffer heap = ByteBuffer.wrap(json, 2, 7).slice();
        assertEquals(Map.of("a", 1), codec.decode(heap, Map.class));
        assertEquals(0, heap.position());
        ByteBuffer direct = ByteBuffer.allocateDirect(7).put(json, 2, 7).flip();
        assertEquals(Map.of("a", 1), codec.decode(direct, Map.class));
        assertEquals(0, direct.position());
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
    void shouldReportTypeMismatchAsCodecError() {
        IpcException e = assertThrows(IpcException.class,
                () -> codec.decode(ByteBuffer.wrap("{\"label\":[1]}".getBytes(StandardCharsets.UTF_8)), Pojo.class));
        assertEquals(ErrorCode.CODEC_ERROR, e.code());
    }

    @Test
    void shouldRefuseInputLargerThanLimitBeforeParsing() {
        JsonCodec small = new JsonCodec(16, 64, 100, 100);
        IpcException e = assertThrows(IpcException.class,
                () -> small.decode(ByteBuffer.wrap(new byte[17]), Map.class));
        assertEquals(ErrorCode.CODEC_ERROR, e.code());
        assertTrue(e.getMessage().contains("maxInputBytes=16"), e.getMessage());
    }

    @Test
    void shouldRefuseNestingDeeperThanLimit() {
        JsonCodec shallow = new JsonCodec(1 << 20, 8, 100, 100);
        String deep = "[".repeat(9) + "]".repeat(9);
        IpcException e = assertThrows(IpcException.class,
                () -> shallow.decode(ByteBuffer.wrap(deep.getBytes(StandardCharsets.UTF_8)), Object.class));
        assertEquals(ErrorCode.CODEC_ERROR, e.code());
        assertTrue(e.getMessage().contains("nesting depth"), e.getMessage());
        String ok = "[".repeat(8) + "]".repeat(8);
        shallow.decode(ByteBuffer.wrap(ok.getBytes(StandardCharsets.UTF_8)), Object.class);
        Object tooDeep = List.of(List.of(List.of(List.of(List.of(List.of(List.of(List.of(List.of()))))))));
        assertEquals(ErrorCode.CODEC_ERROR, assertThrows(IpcException.class, () -> shallow.encode(tooDeep)).code());
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
    void shouldRefuseClassNameTypeInformation() {
        String json = "{\"@class\":\"java.lang.ProcessBuilder\",\"v\":\"x\"}";
        IpcException e = assertThrows(IpcException.class,
                () -> codec.decode(ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8)), Polymorphic.class));
        assertEquals(ErrorCode.CODEC_ERROR, e.code());
    }

    @Test
    void shouldRejectNonPositiveLimits() {
        assertEquals(ErrorCode.CONFIG_INVALID, assertThrows(IpcException.class, () -> new JsonCodec(0, 1, 1, 1)).code());
    }

    @Test
    void shouldDescribeItself() {
        assertEquals(Header.FORMAT_JSON, codec.payloadFormat());
        assertEquals("json", codec.name());
        assertArrayEquals("null".getBytes(StandardCharsets.UTF_8), codec.encode(null));
    }
}
