package org.eipc.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.eipc.api.Header;
import org.eipc.api.IpcException;
import org.junit.jupiter.api.Test;

/**
 * The header parser's fast path must give exactly what the full parser gives, or step aside: for every input
 * here, {@link HeaderParser#parse()} (fast path first) and {@link HeaderParser#parseFull()} agree on the header
 * or on the exception's code, offset and message.
 */
class HeaderFastPathTest {
    private static final String GO = "{\"service_id\":\"nia.min\",\"session_id\":"
            + "\"7fd1ebbabf8ccd58841aedd60268894902ee1cc1ecf6803a367ff14f1dafd376\",\"request_id\":\"req-1\","
            + "\"sequence\":123456,\"timestamp\":\"2026-01-02T03:04:05.127456789Z\",\"priority\":0,"
            + "\"capability\":\"ui:control\",\"payload_format\":0}";

    private static List<String> inputs() {
        List<String> in = new ArrayList<>();
        in.add(GO);
        in.add(GO.replace("\"priority\":0,\"capability\":\"ui:control\",", "\"priority\":3,"));
        in.add(GO.replace("\"payload_format\":0}", "\"route\":\"r/1\",\"payload_format\":2}"));
        in.add(GO.toUpperCase().replace("NIA", "nia")); // upper case keys (and values)
        in.add(GO.replace("\"service_id\"", "\"Service_ID\""));
        in.add(GO.replace(",", " ,\n\t").replace(":", "\r: ").replace("{", " { ").replace("}", " } "));
        in.add(GO.replace("}", ",\"service_id\":\"last\",\"sequence\":7}")); // last duplicate wins
        in.add(GO.replace("}", ",\"unknown\":{\"a\":[1,2]}}"));
        in.add(GO.replace("}", ",\"service_id\":null}"));
        in.add(GO.replace("123456", "999999999999999999"));     // 18 digits
        in.add(GO.replace("123456", "9999999999999999999"));    // 19 digits
        in.add(GO.replace("123456", "18446744073709551615"));   // 2^64-1
        in.add(GO.replace("123456", "18446744073709551616"));   // 2^64
        in.add(GO.replace("123456", "0"));
        in.add(GO.replace("123456", "01"));
        in.add(GO.replace("123456", "-1"));
        in.add(GO.replace("123456", "3.0"));
        in.add(GO.replace("123456", "3e2"));
        in.add(GO.replace("123456", "\"5\""));
        in.add(GO.replace("\"priority\":0", "\"priority\":255"));
        in.add(GO.replace("\"priority\":0", "\"priority\":256"));
        in.add(GO.replace("\"priority\":0", "\"priority\":0255"));
        in.add(GO.replace("nia.min", "a\\u0041b"));
        in.add(GO.replace("nia.min", "a\\\"b"));
        in.add(GO.replace("nia.min", "caf\u00e9"));
        in.add(GO.replace("nia.min", "tab\there"));
        in.add(GO.replace("nia.min", "x\u007fy"));
        in.add(GO.replace("nia.min", ""));
        in.add(GO.replace("\"service_id\"", "\"\u017Fervice_id\"")); // U+017F folds to s in Go
        in.add(GO.replace("\"service_id\"", "\"service_i\\u0064\""));
        in.add(GO.replace("\"service_id\"", "\"route\""));
        in.add(GO.substring(0, GO.length() - 1));
        in.add(GO + " x");
        in.add(GO + "  ");
        in.add(GO.replace(",\"request_id\"", ",,\"request_id\""));
        in.add(GO.replace("}", ",}"));
        in.add(GO.replace("\"session_id\":", "\"session_id\""));
        in.add("{}");
        in.add(" { } ");
        in.add("{");
        in.add("");
        in.add("null");
        in.add("[]");
        in.add("{\"sequence\":1}");
        in.add("{\"route\":\"x\"}");
        in.add("{\"payload_format\":7,\"PAYLOAD_FORMAT\":8}");
        for (int cut = 1; cut < GO.length(); cut += 7) {
            in.add(GO.substring(0, cut));
        }
        return in;
    }

    @Test
    void fastPathAgreesWithTheFullParser() {
        int fast = 0;
        for (String s : inputs()) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            // with the bytes at an offset inside a larger array, so nothing outside [from, end) may be read
            byte[] padded = new byte[b.length + 20];
            java.util.Arrays.fill(padded, (byte) '"');
            System.arraycopy(b, 0, padded, 10, b.length);
            ByteBuffer in = ByteBuffer.wrap(padded, 10, b.length).slice();
            Object full = outcome(() -> new HeaderParser(in, 0, b.length, 16).parseFull());
            Object viaParse = outcome(() -> new HeaderParser(in, 0, b.length, 16).parse());
            Object viaCodec = outcome(() -> HeaderCodec.read(in, 16));
            assertEquals(full, viaParse, s);
            assertEquals(full, viaCodec, s);
            if (HeaderParser.parseCommon(padded, 10, 10 + b.length, Header.builder()) != null) {
                fast++;
            }
        }
        assertNotNull(HeaderParser.parseCommon(GO.getBytes(StandardCharsets.US_ASCII), 0, GO.length(),
                Header.builder()), "the Go-written header takes the fast path");
        assertNull(HeaderParser.parseCommon("{\"x\":1}".getBytes(StandardCharsets.US_ASCII), 0, 7,
                Header.builder()), "an unknown key leaves it to the full parser");
        assertEquals(true, fast > 10, fast + " inputs on the fast path");
    }

    @Test
    void aReusedParserGivesIndependentHeaders() {
        HeaderParser p = new HeaderParser();
        byte[] one = GO.getBytes(StandardCharsets.US_ASCII);
        byte[] two = "{\"service_id\":\"other\"}".getBytes(StandardCharsets.US_ASCII);
        Header h1 = p.parse(ByteBuffer.wrap(one), 0, one.length, 0);
        Header h2 = p.parse(ByteBuffer.wrap(two), 0, two.length, 0);
        assertEquals("nia.min", h1.serviceId());
        assertEquals("ui:control", h1.capability());
        assertEquals("other", h2.serviceId());
        assertEquals("", h2.capability());
        assertEquals(0, h2.sequence());
        assertEquals("", h2.timestamp());
    }

    private static Object outcome(java.util.function.Supplier<Header> parse) {
        try {
            return parse.get();
        } catch (IpcException e) {
            return e.code() + "@" + e.offset() + ": " + e.detail();
        }
    }
}
