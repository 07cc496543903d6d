package org.eipc.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.eipc.api.ErrorCode;
import org.eipc.api.Header;
import org.eipc.api.IpcException;
import org.junit.jupiter.api.Test;

/**
 * The writer's plain-ASCII fast path (checked, then copied in bulk) and its escaping loop against an independent,
 * code-point based reference of Go's {@code json.Marshal} escaping, for every char class at the start, middle
 * and end of every string field, through every kind of output buffer (exact size, roomy, direct, offset).
 */
class HeaderWriterFastPathTest {

    /** One sample per char class the writer distinguishes. */
    private static final String[] SPECIALS = {
        "\"", "\\", "<", ">", "&", "\n", "\r", "\t", "\b", "\f", "\u0000", "\u0001", "\u001f", "\u007f", " ", "~",
        "\u0080", "\u00e9", "\u00ff", "\u0100", "\u07ff", "\u0800", "\u20ac", "\u2028", "\u2029", "\uffff",
        "\ud83d\ude00", // a valid surrogate pair (U+1F600)
        "\ud83d", // lone high surrogate
        "\ude00", // lone low surrogate
        "\ude00\ud83d", // reversed pair: two lone surrogates
    };

    /** Go's escaping, written independently of HeaderCodec (code points, no tables). */
    private static void refString(ByteArrayOutputStream b, String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            if (Character.isHighSurrogate(c) && k + 1 < s.length() && Character.isLowSurrogate(s.charAt(k + 1))) {
                sb.append(c).append(s.charAt(++k));
            } else if (Character.isSurrogate(c)) {
                sb.append("\\ufffd");
            } else if (c == '"') {
                sb.append("\\\"");
            } else if (c == '\\') {
                sb.append("\\\\");
            } else if (c == '\n') {
                sb.append("\\n");
            } else if (c == '\r') {
                sb.append("\\r");
            } else if (c == '\t') {
                sb.append("\\t");
            } else if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        sb.append('"');
        b.writeBytes(sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Go's {@code json.Marshal} of {@code h}, built independently of HeaderCodec. */
    static byte[] reference(Header h) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes("{\"service_id\":".getBytes(StandardCharsets.US_ASCII));
        refString(b, h.serviceId());
        b.writeBytes(",\"session_id\":".getBytes(StandardCharsets.US_ASCII));
        refString(b, h.sessionId());
        b.writeBytes(",\"request_id\":".getBytes(StandardCharsets.US_ASCII));
        refString(b, h.requestId());
        b.writeBytes((",\"sequence\":" + Long.toUnsignedString(h.sequence()) + ",\"timestamp\":")
                .getBytes(StandardCharsets.US_ASCII));
        refString(b, h.timestamp());
        b.writeBytes((",\"priority\":" + h.priority()).getBytes(StandardCharsets.US_ASCII));
        if (!h.capability().isEmpty()) {
            b.writeBytes(",\"capability\":".getBytes(StandardCharsets.US_ASCII));
            refString(b, h.capability());
        }
        if (!h.route().isEmpty()) {
            b.writeBytes(",\"route\":".getBytes(StandardCharsets.US_ASCII));
            refString(b, h.route());
        }
        b.writeBytes((",\"payload_format\":" + h.payloadFormat() + "}").getBytes(StandardCharsets.US_ASCII));
        return b.toByteArray();
    }

    /** Writes {@code h} every way the codec can and checks each against the reference. */
    private static void check(Header h) {
        byte[] want = reference(h);
        int len = HeaderCodec.encodedLength(h);
        assertEquals(want.length, len, "encodedLength");

        // exact-size heap buffer
        ByteBuffer exact = ByteBuffer.allocate(len);
        assertEquals(len, HeaderCodec.write(h, exact));
        assertEquals(len, exact.position());
        assertArrayEquals(want, exact.array());

        // roomy heap buffer at an offset of a sliced array: nothing written past the header
        byte[] big = new byte[len * 6 + 400];
        ByteBuffer roomy = ByteBuffer.wrap(big, 5, big.length - 5).slice();
        roomy.position(3);
        assertEquals(len, HeaderCodec.write(h, roomy));
        assertEquals(3 + len, roomy.position());
        byte[] got = new byte[len];
        System.arraycopy(big, 8, got, 0, len);
        assertArrayEquals(want, got);
        for (int k = 8 + len; k < big.length; k++) {
            assertEquals(0, big[k], "written past the header at " + k);
        }

        // exact and roomy direct buffers
        for (int room : new int[] {len, len * 6 + 400}) {
            ByteBuffer direct = ByteBuffer.allocateDirect(room);
            assertEquals(len, HeaderCodec.write(h, direct));
            direct.flip();
            byte[] d = new byte[direct.remaining()];
            direct.get(d);
            assertArrayEquals(want, d);
        }

        // one byte short: refused, nothing written
        if (len > 0) {
            ByteBuffer tight = ByteBuffer.allocate(len - 1);
            IpcException e = assertThrows(IpcException.class, () -> HeaderCodec.write(h, tight));
            assertEquals(ErrorCode.ILLEGAL_STATE, e.code());
            assertEquals(0, tight.position());
            assertArrayEquals(new byte[len - 1], tight.array());
        }

        // and it reads back (Go's json.Unmarshal turns the escapes back into the same string, lone surrogates
        // into U+FFFD)
        Header back = HeaderCodec.read(ByteBuffer.wrap(want), 0);
        assertEquals(goString(h.serviceId()), back.serviceId());
        assertEquals(goString(h.route()), back.route());
    }

    /** What a string becomes after a Go round trip: lone surrogates replaced by U+FFFD. */
    private static String goString(String s) {
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            if (Character.isHighSurrogate(c) && k + 1 < s.length() && Character.isLowSurrogate(s.charAt(k + 1))) {
                sb.append(c).append(s.charAt(++k));
            } else {
                sb.append(Character.isSurrogate(c) ? '\ufffd' : c);
            }
        }
        return sb.toString();
    }

    private static Header.Builder base() {
        return Header.builder().serviceId("svc.a").sessionId("7fd1ebbabf8ccd58841aedd60268894902ee1cc1ecf6803a367ff14f1dafd376")
                .requestId("req-1").sequence(123_456).timestamp("2026-01-02T03:04:05.127456789Z").priority(3)
                .capability("ui:control").route("r/1").payloadFormat(1);
    }

    /** The value with the special at its start, middle and end, alone, and repeated. */
    private static List<String> placements(String sp) {
        List<String> l = new ArrayList<>();
        l.add(sp);
        l.add(sp + "abcdefghijklmnopq");
        l.add("abcdefgh" + sp + "ijklmnopq");
        l.add("abcdefghijklmnopq" + sp);
        l.add(sp + "ab" + sp + "cd" + sp);
        l.add(sp.repeat(20));
        return l;
    }

    @Test
    void everyCharClassInEveryField() {
        for (String sp : SPECIALS) {
            for (String v : placements(sp)) {
                check(base().serviceId(v).build());
                check(base().sessionId(v).build());
                check(base().requestId(v).build());
                check(base().timestamp(v).build());
                check(base().capability(v).build());
                check(base().route(v).build());
                // a special in one field, the other fields plain: the mask must be per field
                check(base().requestId(v).capability("plain").route(v).build());
            }
        }
    }

    @Test
    void plainAsciiAllPrintableChars() {
        StringBuilder sb = new StringBuilder();
        for (char c = 0x20; c < 0x7F; c++) {
            sb.append(c);
        }
        String all = sb.toString();
        check(base().serviceId(all).sessionId(all).requestId(all).timestamp(all).capability(all).route(all).build());
        for (char c = 0; c < 0x100; c++) {
            check(base().serviceId("ab" + c + "cd").build());
        }
    }

    @Test
    void emptyStringsAndOmittedFields() {
        check(Header.builder().build());
        check(base().serviceId("").sessionId("").requestId("").timestamp("").capability("").route("").build());
        check(base().capability("").build());
        check(base().route("").build());
        ByteBuffer out = ByteBuffer.allocate(200);
        HeaderCodec.write(Header.builder().timestamp("").build(), out);
        assertEquals("{\"service_id\":\"\",\"session_id\":\"\",\"request_id\":\"\",\"sequence\":0,\"timestamp\":\"\","
                + "\"priority\":0,\"payload_format\":0}", new String(out.array(), 0, out.position(), StandardCharsets.UTF_8));
    }

    @Test
    void numbers() {
        long[] seqs = {0, 1, 9, 10, 11, 99, 100, 101, 999, 1000, 123_456, 9_999_999_999L, 10_000_000_000L,
            999_999_999_999_999_999L, 1_000_000_000_000_000_000L, Long.MAX_VALUE, Long.MIN_VALUE, -10, -2, -1};
        for (long s : seqs) {
            check(base().sequence(s).build());
        }
        for (int p : new int[] {0, 1, 9, 10, 99, 100, 255}) {
            check(base().priority(p).payloadFormat(p).build());
        }
        ByteBuffer out = ByteBuffer.allocate(300);
        HeaderCodec.write(base().sequence(-1).build(), out);
        String json = new String(out.array(), 0, out.position(), StandardCharsets.UTF_8);
        assertEquals(true, json.contains("\"sequence\":18446744073709551615,"), json);
    }

    @Test
    void encoderUsesTheSameBytes() {
        for (String sp : SPECIALS) {
            Header h = base().requestId("x" + sp + "y").build();
            byte[] want = reference(h);
            ByteBuffer out = ByteBuffer.allocate(new FrameEncoder().encodedLength(h, 0, false));
            new FrameEncoder().encode((byte) 1, 0, h, null, null, out);
            byte[] got = new byte[want.length];
            System.arraycopy(out.array(), ProtocolLimits.PREAMBLE, got, 0, got.length);
            assertArrayEquals(want, got);
        }
    }
}
