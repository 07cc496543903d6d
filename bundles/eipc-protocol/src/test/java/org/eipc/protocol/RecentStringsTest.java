package org.eipc.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import org.eipc.api.Header;
import org.eipc.api.MessageType;
import org.junit.jupiter.api.Test;

/**
 * A reused parser (one per {@link FrameDecoder}) hands out the String it already has for a field whose bytes did
 * not change since the last header, and a correct new one whenever they did.
 */
class RecentStringsTest {
    private static final String SESSION = "7fd1ebbabf8ccd58841aedd60268894902ee1cc1ecf6803a367ff14f1dafd376";

    private static Header header(String svc, String sess, String cap, String route, int seq) {
        return Header.builder().serviceId(svc).sessionId(sess).requestId("req-" + seq).sequence(seq)
                .timestamp("2026-01-02T03:04:05." + (100_000_000 + seq) + "Z").priority(seq & 3).capability(cap)
                .route(route).build();
    }

    private static Header parse(HeaderParser p, String json) {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        return p.parse(ByteBuffer.wrap(b), 0, b.length, 0);
    }

    private static String json(Header h) {
        ByteBuffer out = ByteBuffer.allocate(HeaderCodec.encodedLength(h));
        HeaderCodec.write(h, out);
        return new String(out.array(), 0, out.position(), StandardCharsets.UTF_8);
    }

    @Test
    void sameBytesGiveTheSameStringChangedBytesANewOne() {
        HeaderParser p = new HeaderParser();
        Header a = parse(p, json(header("calc", SESSION, "ui:control", "r/1", 1)));
        Header b = parse(p, json(header("calc", SESSION, "ui:control", "r/1", 2)));
        assertSame(a.serviceId(), b.serviceId());
        assertSame(a.sessionId(), b.sessionId());
        assertSame(a.capability(), b.capability());
        assertSame(a.route(), b.route());
        assertNotSame(a.requestId(), b.requestId()); // changes per message: never kept
        // same length, one byte different, in each kept field
        String other = SESSION.substring(0, 63) + "7";
        Header c = parse(p, json(header("calb", other, "ui:contro1", "r/2", 3)));
        assertEquals(header("calb", other, "ui:contro1", "r/2", 3), c);
        // a prefix, then empty values, then back
        Header d = parse(p, json(header("cal", SESSION.substring(0, 10), "", "", 4)));
        assertEquals(header("cal", SESSION.substring(0, 10), "", "", 4), d);
        Header e = parse(p, json(header("calc", SESSION, "ui:control", "r/1", 5)));
        assertEquals(header("calc", SESSION, "ui:control", "r/1", 5), e);
    }

    @Test
    void theCommonPathKeepsStringsToo() {
        HeaderParser p = new HeaderParser();
        // whitespace and another key order: not the exact path
        String spaced = "{ \"session_id\": \"" + SESSION + "\", \"service_id\": \"calc\", \"sequence\": 1 }";
        Header a = parse(p, spaced);
        Header b = parse(p, spaced.replace("\"sequence\": 1", "\"sequence\": 2"));
        assertEquals("calc", b.serviceId());
        assertEquals(2, b.sequence());
        assertSame(a.sessionId(), b.sessionId());
        assertSame(a.serviceId(), b.serviceId());
    }

    @Test
    void aLongValueIsNotKeptButParsed() {
        HeaderParser p = new HeaderParser();
        String longSvc = "s".repeat(RecentStrings.MAX_LENGTH + 1);
        Header a = parse(p, json(header(longSvc, SESSION, "", "", 1)));
        Header b = parse(p, json(header(longSvc, SESSION, "", "", 2)));
        assertEquals(longSvc, b.serviceId());
        assertNotSame(a.serviceId(), b.serviceId());
        assertSame(a.sessionId(), b.sessionId());
    }

    /** Random runs of repeated and changing values, exact and common path: the same as a one-shot parse. */
    @Test
    void aReusedParserAgreesWithOneShotParsesOverRandomRuns() {
        Random r = new Random(42);
        String[] svc = {"calc", "calb", "cal", "", "a.b.c", "x".repeat(300)};
        String[] sess = {SESSION, SESSION.substring(0, 63) + "0", SESSION.substring(1) + "f", "", "s"};
        String[] cap = {"", "ui:control", "ui:contro1", "fs:read"};
        String[] route = {"", "r/1", "r/2", "r"};
        HeaderParser p = new HeaderParser();
        int s1 = 0;
        int s2 = 0;
        int c = 0;
        int rt = 0;
        for (int i = 0; i < 20_000; i++) {
            // mostly the same as before, sometimes one field changes
            switch (r.nextInt(12)) {
                case 0: s1 = r.nextInt(svc.length); break;
                case 1: s2 = r.nextInt(sess.length); break;
                case 2: c = r.nextInt(cap.length); break;
                case 3: rt = r.nextInt(route.length); break;
                default: break;
            }
            Header h = header(svc[s1], sess[s2], cap[c], route[rt], i);
            String text = json(h);
            if (r.nextInt(4) == 0) {
                text = text.replace(",", " , "); // the common path
            }
            Header reused = parse(p, text);
            assertEquals(HeaderCodec.read(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), 0), reused, text);
            assertEquals(h, reused, text);
        }
    }

    /**
     * Decoding frames of one session does not build the session id, service id and capability again: compared with
     * frames whose values alternate (so every string is built), each frame allocates at least 150 of the ~200 bytes
     * of those three strings less. Relative, so the MAC's and the header's own allocation do not matter.
     */
    @Test
    void decodingASessionsFramesBuildsOnlyTheChangingStrings() {
        ByteBuffer same = frame(header("calc", SESSION, "ui:control", "", 1));
        ByteBuffer sameAgain = frame(header("calc", SESSION, "ui:control", "", 1)); // another buffer, like other
        ByteBuffer other = frame(header("calb", SESSION.substring(0, 63) + "0", "ui:contro1", "", 1));
        TestHmac mac = new TestHmac(Vectors.HMAC_KEY);
        FrameDecoder d = new FrameDecoder(ProtocolMode.STRICT);
        long steady = 0;
        long alternating = 0;
        for (int round = 0; round < 3; round++) { // the last round counts: the first ones warm up
            steady = bytesPerFrame(d, mac, same, sameAgain);
            alternating = bytesPerFrame(d, mac, same, other);
        }
        assertTrue(alternating - steady > 150, "steady " + steady + " B per frame, alternating " + alternating);
        assertEquals(header("calc", SESSION, "ui:control", "", 1), d.decode(same, mac).header());
    }

    private static ByteBuffer frame(Header h) {
        ByteBuffer frame = ByteBuffer.allocate(new FrameEncoder().encodedLength(h, 64, true));
        new FrameEncoder().encode(MessageType.INTENT.wireByte(), FrameFlags.HMAC, h, ByteBuffer.allocate(64),
                new TestHmac(Vectors.HMAC_KEY), frame);
        return frame.flip();
    }

    /** Bytes this thread allocates per decoded frame over 20,000 frames taken from {@code a} and {@code b} in turn. */
    private static long bytesPerFrame(FrameDecoder d, TestHmac mac, ByteBuffer a, ByteBuffer b) {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();
        long before = mx.getThreadAllocatedBytes(tid);
        for (int i = 0; i < 10_000; i++) {
            d.decode(a, mac);
            d.decode(b, mac);
        }
        return (mx.getThreadAllocatedBytes(tid) - before) / 20_000;
    }
}
