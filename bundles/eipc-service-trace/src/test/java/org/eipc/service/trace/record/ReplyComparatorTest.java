package org.eipc.service.trace.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import org.eipc.api.Header;
import org.eipc.api.Message;
import org.eipc.api.MessageType;
import org.junit.jupiter.api.Test;

class ReplyComparatorTest {
    private final ReplyComparator strict = new ReplyComparator(Set.of());

    private static Message reply(String rid, String service, String payload, long seq, String sid) {
        return Message.of(MessageType.TOOL_REQUEST, Header.builder().serviceId(service).sessionId(sid).requestId(rid)
                .sequence(seq).timestamp("2025-01-0" + (seq % 9 + 1) + "T00:00:00Z").build(),
                payload.getBytes(StandardCharsets.UTF_8));
    }

    private static RecordedMessage recorded(long line, Message m) {
        return new RecordedMessage(line, Flow.S2C, line * 10, m);
    }

    @Test
    void shouldMatchIgnoringSequenceTimestampSessionAndArrivalOrderAcrossRequestIds() {
        List<RecordedMessage> exp = List.of(recorded(3, reply("r1", "host", "{\"a\":1}", 1, "s-old")),
                recorded(5, reply("r2", "host", "{\"b\":2}", 2, "s-old")));
        List<Message> got = List.of(reply("r2", "host", "{\"b\":2}", 9, "s-new"),
                reply("r1", "host", "{ \"a\" : 1.0 }", 10, "s-new"));
        Comparison c = strict.compare(exp, got);
        assertTrue(c.ok(), c.mismatches().toString());
        assertEquals(2, c.matched());
    }

    @Test
    void shouldReportDifferentMissingAndUnexpectedWithTheRecordedLine() {
        List<RecordedMessage> exp = List.of(recorded(3, reply("r1", "host", "{\"a\":1}", 1, "s")),
                recorded(5, reply("r2", "host", "{\"b\":2}", 2, "s")),
                recorded(7, reply("", "host", "x", 3, "s")));
        List<Message> got = List.of(reply("r1", "other", "{\"a\":2}", 1, "s"), reply("", "host", "x", 3, "s"),
                reply("r9", "host", "{}", 4, "s"));
        Comparison c = strict.compare(exp, got);
        assertEquals(1, c.matched());
        assertEquals(4, c.mismatches().size(), c.mismatches().toString());
        Mismatch service = c.mismatches().get(0);
        assertEquals(Mismatch.Kind.DIFFERENT, service.kind());
        assertEquals("service_id", service.field());
        assertEquals(3, service.line());
        assertEquals("\"host\"", service.expected());
        assertEquals("\"other\"", service.actual());
        assertEquals("payload", c.mismatches().get(1).field());
        assertTrue(c.mismatches().get(1).describe().contains("expected \"{\\\"a\\\":1}\""),
                c.mismatches().get(1).describe());
        assertEquals(Mismatch.Kind.MISSING, c.mismatches().get(2).kind());
        assertEquals("r2", c.mismatches().get(2).requestId());
        assertEquals(Mismatch.Kind.UNEXPECTED, c.mismatches().get(3).kind());
        assertEquals("r9", c.mismatches().get(3).requestId());
    }

    @Test
    void shouldSkipIgnoredFieldsAndRefuseUnknownOnes() {
        ReplyComparator lenient = new ReplyComparator(Set.of("service_id", "payload"));
        Comparison c = lenient.compare(List.of(recorded(2, reply("r1", "host", "a", 1, "s"))),
                List.of(reply("r1", "other", "b", 1, "s")));
        assertTrue(c.ok(), c.mismatches().toString());
        assertThrows(IllegalArgumentException.class, () -> new ReplyComparator(Set.of("sequence")));
    }

    @Test
    void shouldCompareBinaryPayloadsByBytes() {
        Message a = Message.of(MessageType.CHAT, Header.builder().requestId("r").payloadFormat(1).build(),
                new byte[] {(byte) 0x81, (byte) 0xa1, 'a', 1});
        Message b = Message.of(MessageType.CHAT, Header.builder().requestId("r").payloadFormat(1).build(),
                new byte[] {(byte) 0x81, (byte) 0xa1, 'a', 2});
        Comparison c = strict.compare(List.of(recorded(2, a)), List.of(b));
        assertEquals("payload", c.mismatches().get(0).field());
        assertTrue(c.mismatches().get(0).expected().startsWith("base64:"), c.mismatches().get(0).expected());
    }
}
