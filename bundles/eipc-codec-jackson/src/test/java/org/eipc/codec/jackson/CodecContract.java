package org.eipc.codec.jackson;

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
import org.eipc.api.IpcException;
import org.eipc.spi.codec.Codec;
import org.junit.jupiter.api.Test;

/**
 * What every codec must do, whatever its format: round trips of records, maps and POJOs, decoding from slices and
 * direct buffers, typed failures, the input, nesting and configuration limits, and no class-name polymorphism. Each
 * codec's test extends it with its format's bytes and its own checks (this module's test-jar).
 */
public abstract class CodecContract {

    /** The codec with its default limits. */
    protected abstract Codec codec();

    /** The codec with these limits. */
    protected abstract Codec codec(int maxInputBytes, int maxNestingDepth, int maxStringLength, int maxNumberLength);

    /** {@code levels} arrays nested in one another, innermost empty, in the codec's format. */
    protected abstract byte[] nestedArrays(int levels);

    /** A big integer as an untyped map value comes back as (the value itself, unless the format says otherwise). */
    protected Object untypedBigInteger(final BigInteger value) {
        return value;
    }

    public record Inner(String name, List<Integer> values) { }

    public record Outer(long id, BigInteger big, BigDecimal amount, String text, byte[] blob, Inner inner,
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

    public static final class Pojo {
        public String label;
        public double ratio;
        public List<String> tags;
    }

    @JsonTypeInfo(use = JsonTypeInfo.Id.CLASS)
    public static class Polymorphic {
        public String v;
    }

    public static Outer sample() {
        return new Outer(Long.MIN_VALUE, new BigInteger("123456789012345678901234567890"),
                new BigDecimal("3.14159265358979323846264338327950288"), "grüße ✓ 日本 \uD83D\uDE00 \"q\"\n",
                new byte[] {0, 1, (byte) 0xff, 0x7f}, new Inner("in", List.of(1, 2, 3)),
                Map.of("k", new Inner("v", List.of())));
    }

    @Test
    void shouldRoundTripRecordsWithBigNumbersUnicodeAndBytes() {
        Outer value = sample();
        Outer back = codec().decode(ByteBuffer.wrap(codec().encode(value)), Outer.class);
        assertEquals(value, back);
    }

    @Test
    void shouldRoundTripMapsListsAndNumbers() {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("int", 42);
        value.put("long", Long.MAX_VALUE);
        value.put("big", untypedBigInteger(new BigInteger("-98765432109876543210987654321")));
        value.put("double", 0.91);
        value.put("list", List.of("a", List.of(true, false), Map.of("x", "ü")));
        value.put("null", null);
        @SuppressWarnings("unchecked")
        Map<String, Object> back = codec().decode(ByteBuffer.wrap(codec().encode(value)), Map.class);
        assertEquals(value, back);
    }

    @Test
    void shouldRoundTripPojo() {
        Pojo p = new Pojo();
        p.label = "x";
        p.ratio = 0.5;
        p.tags = List.of("a", "b");
        Pojo back = codec().decode(ByteBuffer.wrap(codec().encode(p)), Pojo.class);
        assertEquals(p.label, back.label);
        assertEquals(p.ratio, back.ratio);
        assertEquals(p.tags, back.tags);
    }

    @Test
    void shouldDecodeFromBufferSliceAndDirectBufferWithoutMovingPosition() {
        byte[] encoded = codec().encode(Map.of("a", 1));
        byte[] framed = new byte[encoded.length + 4];
        System.arraycopy(encoded, 0, framed, 2, encoded.length);
        ByteBuffer heap = ByteBuffer.wrap(framed, 2, encoded.length).slice();
        assertEquals(Map.of("a", 1), codec().decode(heap, Map.class));
        assertEquals(0, heap.position());
        ByteBuffer direct = ByteBuffer.allocateDirect(encoded.length).put(encoded).flip();
        assertEquals(Map.of("a", 1), codec().decode(direct, Map.class));
        assertEquals(0, direct.position());
    }

    @Test
    void shouldReportTypeMismatchAsCodecError() {
        IpcException e = assertThrows(IpcException.class,
                () -> codec().decode(ByteBuffer.wrap(codec().encode(Map.of("label", List.of(1)))), Pojo.class));
        assertEquals(ErrorCode.CODEC_ERROR, e.code());
    }

    @Test
    void shouldRefuseInputLargerThanLimitBeforeParsing() {
        Codec small = codec(16, 64, 100, 100);
        IpcException e = assertThrows(IpcException.class,
                () -> small.decode(ByteBuffer.wrap(new byte[17]), Map.class));
        assertEquals(ErrorCode.CODEC_ERROR, e.code());
        assertTrue(e.getMessage().contains("maxInputBytes=16"), e.getMessage());
    }

    @Test
    void shouldRefuseNestingDeeperThanLimit() {
        Codec shallow = codec(1 << 20, 8, 100, 100);
        byte[] deep = nestedArrays(9);
        IpcException e = assertThrows(IpcException.class, () -> shallow.decode(ByteBuffer.wrap(deep), Object.class));
        assertEquals(ErrorCode.CODEC_ERROR, e.code());
        assertTrue(e.getMessage().contains("nesting depth"), e.getMessage());
        shallow.decode(ByteBuffer.wrap(nestedArrays(8)), Object.class); // eight levels are fine
        Object tooDeep = List.of(List.of(List.of(List.of(List.of(List.of(List.of(List.of(List.of()))))))));
        assertEquals(ErrorCode.CODEC_ERROR, assertThrows(IpcException.class, () -> shallow.encode(tooDeep)).code());
    }

    @Test
    void shouldRefuseClassNameTypeInformation() {
        Map<String, Object> typed = new LinkedHashMap<>();
        typed.put("@class", "java.lang.ProcessBuilder");
        typed.put("v", "x");
        byte[] encoded = codec().encode(typed);
        IpcException e = assertThrows(IpcException.class,
                () -> codec().decode(ByteBuffer.wrap(encoded), Polymorphic.class));
        assertEquals(ErrorCode.CODEC_ERROR, e.code());
    }

    @Test
    void shouldRejectNonPositiveLimits() {
        assertEquals(ErrorCode.CONFIG_INVALID, assertThrows(IpcException.class, () -> codec(0, 1, 1, 1)).code());
    }
}
