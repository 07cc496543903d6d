package org.eipc.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.eipc.api.ErrorCode;
import org.eipc.api.Header;
import org.eipc.api.IpcException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HeaderCodecTest {

    private static String write(Header h) {
        ByteBuffer out = ByteBuffer.allocate(HeaderCodec.encodedLength(h) + 10);
        out.position(3);
        int n = HeaderCodec.write(h, out);
        assertEquals(HeaderCodec.encodedLength(h), n);
        assertEquals(3 + n, out.position());
        return new String(out.array(), 3, n, StandardCharsets.UTF_8);
    }

    private static Header read(String json) {
        return HeaderCodec.read(ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8)), 0);
    }

    private static IpcException readFails(String json, ErrorCode code) {
        IpcException e = assertThrows(IpcException.class, () -> read(json));
        assertEquals(code, e.code(), e.getMessage());
        return e;
    }

    private static String sid(String s) {
        return "{\"service_id\":\"" + s + "\",\"session_id\":\"\",\"request_id\":\"\",\"sequence\":0,\"timestamp\":\"\","
                + "\"priority\":0,\"payload_format\":0}";
    }

    @Test
    void writesGoFieldOrderAndOmitsEmptyCapabilityAndRoute() {
        Header h = Header.builder().serviceId("a").sessionId("b").requestId("c").sequence(7)
                .timestamp("2026-01-02T03:04:05Z").priority(2).payloadFormat(1).build();
        assertEquals("{\"service_id\":\"a\",\"session_id\":\"b\",\"request_id\":\"c\",\"sequence\":7,"
                + "\"timestamp\":\"2026-01-02T03:04:05Z\",\"priority\":2,\"payload_format\":1}", write(h));
        Header all = h.toBuilder().capability("x:y").route("r").build();
        assertEquals("{\"service_id\":\"a\",\"session_id\":\"b\",\"request_id\":\"c\",\"sequence\":7,"
                + "\"timestamp\":\"2026-01-02T03:04:05Z\",\"priority\":2,\"capability\":\"x:y\",\"route\":\"r\","
                + "\"payload_format\":1}", write(all));
        assertEquals(all, read(write(all)));
    }

    @Test
    void defaultBuilderWritesTheZeroTimestamp() {
        assertEquals("{\"service_id\":\"\",\"session_id\":\"\",\"request_id\":\"\",\"sequence\":0,"
                + "\"timestamp\":\"0001-01-01T00:00:00Z\",\"priority\":0,\"payload_format\":0}",
                write(Header.builder().build()));
    }

    @ParameterizedTest
    @CsvSource({"0,0", "9,9", "10,10", "255,255", "9223372036854775807,9223372036854775807",
        "-9223372036854775808,9223372036854775808", "-8446744073709551617,9999999999999999999",
        "-8446744073709551616,10000000000000000000", "-1,18446744073709551615"})
    void writesSequenceUnsigned(long value, String text) {
        Header h = Header.builder().sequence(value).build();
        String json = write(h);
        assertEquals(true, json.contains("\"sequence\":" + text + ","), json);
        assertEquals(value, read(json).sequence());
    }

    @Test
    void escapesLikeGo() {
        assertEquals(sid("\\u003c\\u003e\\u0026"), write(Header.builder().timestamp("").serviceId("<>&").build()));
        assertEquals(sid("\\u2028\\u2029"), write(Header.builder().timestamp("").serviceId("\u2028\u2029").build()));
        assertEquals(sid("\\\"\\\\/"), write(Header.builder().timestamp("").serviceId("\"\\/").build()));
        assertEquals(sid("\\n\\r\\t\\u0000\\u0001\\u0008\\u000c\\u001f\u007f"),
                write(Header.builder().timestamp("").serviceId("\n\r\t\u0000\u0001\b\f\u001f\u007f").build()));
        // UTF-8 of 2, 3 and 4 bytes, unescaped
        assertEquals(sid("é€😀"), write(Header.builder().timestamp("").serviceId("é€😀").build()));
        // unpaired surrogates become the escape \ufffd, like Go's invalid UTF-8
        assertEquals(sid("a\\ufffdb\\ufffd\\ufffd"),
                write(Header.builder().timestamp("").serviceId("a\ud83db\ude00\ud83d").build()));
    }

    @Test
    void readsTheGoEscapingVectorBack() {
        String s = "svc<&>\"quote\"\\é\n\u2028end";
        Header h = Header.builder().serviceId(s).build();
        assertEquals(h, read(write(h)));
        assertEquals(s, read("{\"service_id\":\"svc\\u003c\\u0026\\u003e\\\"quote\\\"\\\\é\\n\\u2028end\"}").serviceId());
    }

    @Test
    void readsUnicodeAndSurrogateEscapesLikeGo() {
        assertEquals("😀", read("{\"service_id\":\"\\ud83d\\ude00\"}").serviceId());
        assertEquals("\ufffd", read("{\"service_id\":\"\\ud83d\"}").serviceId());
        assertEquals("\ufffdA", read("{\"service_id\":\"\\ud83d\\u0041\"}").serviceId());
        assertEquals("\ufffd", read("{\"service_id\":\"\\ude00\"}").serviceId());
        assertEquals("\b\f/\u0000", read("{\"service_id\":\"\\b\\f\\/\\u0000\"}").serviceId());
        assertEquals("é€😀", read("{\"service_id\":\"é€😀\"}").serviceId());
    }

    @Test
    void matchesKeysCaseInsensitivelyLastDuplicateWinsUnknownSkipped() {
        Header h = read(" {\"SERVICE_ID\":\"a\", \"Sequence\" : 5 ,\"request_id\":\"x\",\"REQUEST_ID\":\"y\","
                + "\"unknown\":{\"n\":[1,-2.5e3,true,false,null,{\"deep\":\"\\u00e9\"}],\"s\":\"\"},\"priority\":3}\r\n\t");
        assertEquals("a", h.serviceId());
        assertEquals(5, h.sequence());
        assertEquals("y", h.requestId());
        assertEquals(3, h.priority());
        assertEquals("", h.timestamp(), "a missing timestamp is Go's zero string");
        // Go folds U+017F (long s) to s; escaped keys are unescaped before matching
        assertEquals("b", read("{\"\u017Fervice_id\":\"b\"}").serviceId());
        assertEquals(9, read("{\"sequ\\u0065nce\":9}").sequence());
        assertEquals("", read("{\"service-id\":\"b\"}").serviceId());
    }

    @Test
    void nullLeavesAFieldAsItWas() {
        assertEquals("a", read("{\"service_id\":\"a\",\"service_id\":null}").serviceId());
        assertEquals(4, read("{\"sequence\":4,\"sequence\":null}").sequence());
        assertEquals(Header.builder().timestamp("").build(), read("null"));
        assertEquals(Header.builder().timestamp("").build(), read("{}"));
    }

    @Test
    void sequenceLimits() {
        assertEquals(-1L, read("{\"sequence\":18446744073709551615}").sequence());
        assertEquals(0L, read("{\"sequence\":0}").sequence());
        for (String bad : new String[] {"18446744073709551616", "99999999999999999999", "-1", "-0", "3.0", "1e2",
            "1E+2", "\"5\"", "true", "[]", "{}"}) {
            IpcException e = readFails("{\"sequence\":" + bad + "}", ErrorCode.HEADER_FIELD_TYPE);
            assertEquals(12, e.offset(), bad);
        }
        for (String bad : new String[] {"01", "-", "1.", "1e", "+1", ".5", "0x10"}) {
            readFails("{\"sequence\":" + bad + "}", ErrorCode.HEADER_SYNTAX);
        }
    }

    @Test
    void byteFieldLimits() {
        assertEquals(255, read("{\"priority\":255}").priority());
        assertEquals(255, read("{\"payload_format\":255}").payloadFormat());
        assertEquals(12, readFails("{\"priority\":256}", ErrorCode.HEADER_FIELD_TYPE).offset());
        assertEquals(18, readFails("{\"payload_format\":1000000000000}", ErrorCode.HEADER_FIELD_TYPE).offset());
        readFails("{\"priority\":\"1\"}", ErrorCode.HEADER_FIELD_TYPE);
        readFails("{\"priority\":-1}", ErrorCode.HEADER_FIELD_TYPE);
    }

    @Test
    void stringFieldsMustBeStrings() {
        assertEquals(14, readFails("{\"service_id\":5}", ErrorCode.HEADER_FIELD_TYPE).offset());
        readFails("{\"timestamp\":true}", ErrorCode.HEADER_FIELD_TYPE);
        readFails("{\"route\":{\"a\":1}}", ErrorCode.HEADER_FIELD_TYPE);
        readFails("{\"capability\":[\"x\"]}", ErrorCode.HEADER_FIELD_TYPE);
    }

    @Test
    void errorOffsetsIncludeTheBase() {
        ByteBuffer b = ByteBuffer.wrap("xx{\"sequence\":-1}".getBytes(StandardCharsets.US_ASCII));
        b.position(2);
        IpcException e = assertThrows(IpcException.class, () -> HeaderCodec.read(b, 16));
        assertEquals(ErrorCode.HEADER_FIELD_TYPE, e.code());
        assertEquals(16 + 12, e.offset());
        assertEquals(2, b.position(), "position unchanged");
    }

    @Test
    void structuralErrors() {
        assertEquals(0, readFails("", ErrorCode.HEADER_EMPTY).offset());
        assertEquals(3, readFails("   ", ErrorCode.HEADER_SYNTAX).offset());
        assertEquals(0, readFails("[1,2]", ErrorCode.HEADER_NOT_OBJECT).offset());
        readFails("\"x\"", ErrorCode.HEADER_NOT_OBJECT);
        readFails("5", ErrorCode.HEADER_NOT_OBJECT);
        readFails("true", ErrorCode.HEADER_NOT_OBJECT);
        assertEquals(3, readFails("{} x", ErrorCode.HEADER_SYNTAX).offset());
        assertEquals(1, readFails("not json", ErrorCode.HEADER_SYNTAX).offset());
        readFails("{\"a\":1,}", ErrorCode.HEADER_SYNTAX);
        readFails("{\"a\" 1}", ErrorCode.HEADER_SYNTAX);
        readFails("{'a':1}", ErrorCode.HEADER_SYNTAX);
        readFails("{\"a\":[1,]}", ErrorCode.HEADER_SYNTAX);
        readFails("{\"a\":tru}", ErrorCode.HEADER_SYNTAX);
        readFails("{\"a\":\"\\x\"}", ErrorCode.HEADER_SYNTAX);
        readFails("{\"a\":\"\\u12\"}", ErrorCode.HEADER_SYNTAX);
        readFails("{\"a\":\"\\u12", ErrorCode.HEADER_SYNTAX);
        readFails("{\"a\":\"tab\there\"}", ErrorCode.HEADER_SYNTAX);
        readFails("{\"a\":\"open", ErrorCode.HEADER_SYNTAX);
        // a syntax error anywhere wins over an earlier type error, as Go validates first
        readFails("{\"sequence\":\"x\",", ErrorCode.HEADER_SYNTAX);
        readFails("[1,", ErrorCode.HEADER_SYNTAX);
        // the first type error wins over later ones
        assertEquals(12, readFails("{\"sequence\":-1,\"priority\":999}", ErrorCode.HEADER_FIELD_TYPE).offset());
    }

    @ParameterizedTest
    @ValueSource(strings = {"c0 80", "ed a0 80", "f5 80 80 80", "e2 82", "80", "f0 8f bf bf", "f4 90 80 80", "ff"})
    void rejectsInvalidUtf8(String hex) {
        byte[] bad = Vectors.HEX.parseHex(hex.replace(" ", ""));
        ByteBuffer b = ByteBuffer.allocate(bad.length + 20);
        b.put("{\"service_id\":\"".getBytes(StandardCharsets.US_ASCII)).put(bad).put((byte) '"').put((byte) '}').flip();
        IpcException e = assertThrows(IpcException.class, () -> HeaderCodec.read(b, 0));
        assertEquals(ErrorCode.HEADER_SYNTAX, e.code());
        assertEquals(15, e.offset());
    }

    @Test
    void deepNestingIsBoundedWithoutStackOverflow() {
        String ok = "{\"x\":" + "[".repeat(HeaderCodec.MAX_DEPTH - 1) + "]".repeat(HeaderCodec.MAX_DEPTH - 1) + "}";
        read(ok);
        String deep = "{\"x\":" + "[".repeat(HeaderCodec.MAX_DEPTH) + "]".repeat(HeaderCodec.MAX_DEPTH) + "}";
        readFails(deep, ErrorCode.HEADER_SYNTAX);
        readFails("{\"x\":" + "[{\"a\":".repeat(100_000), ErrorCode.HEADER_SYNTAX);
        readFails("[".repeat(100_000), ErrorCode.HEADER_SYNTAX);
    }

    @Test
    void worksOnDirectBuffers() {
        Header h = Header.builder().serviceId("dïrect").sequence(-2).timestamp("t").capability("c").build();
        ByteBuffer out = ByteBuffer.allocateDirect(200);
        int n = HeaderCodec.write(h, out);
        out.flip();
        assertEquals(n, out.remaining());
        assertEquals(h, HeaderCodec.read(out, 0));
    }

    @Test
    void refusesATooSmallBufferWithoutWriting() {
        Header h = Header.builder().serviceId("abc").build();
        ByteBuffer out = ByteBuffer.allocate(HeaderCodec.encodedLength(h) - 1);
        IpcException e = assertThrows(IpcException.class, () -> HeaderCodec.write(h, out));
        assertEquals(ErrorCode.ILLEGAL_STATE, e.code());
        assertEquals(0, out.position());
        assertEquals(0, out.get(0));
    }
}
