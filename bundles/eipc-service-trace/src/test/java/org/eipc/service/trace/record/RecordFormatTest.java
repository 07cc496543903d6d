package org.eipc.service.trace.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.eipc.api.ErrorCode;
import org.eipc.api.Header;
import org.eipc.api.Message;
import org.eipc.api.MessageType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordFormatTest {
    private static final SessionInfo INFO = new SessionInfo("test", Instant.parse("2025-01-02T03:04:05.123456789Z"),
            "unix:///run/eipc/host.sock", "sid-1", "server", "app \"quoted\"\n");

    @TempDir
    Path dir;

    static Message message(MessageType t, String rid, long seq, String payload) {
        return Message.of(t, Header.builder().serviceId("app").sessionId("sid-1").requestId(rid).sequence(seq)
                .timestamp("2025-01-02T03:04:05.000000001Z").priority(2).capability("ui:control").route("a/b")
                .payloadFormat(0).build(), payload.getBytes(StandardCharsets.UTF_8));
    }

    private Path write(List<Message> ms, boolean end) throws IOException {
        Path f = dir.resolve("r.jsonl");
        try (RecordWriter w = new RecordWriter(Files.newOutputStream(f))) {
            w.session(INFO);
            long t = 0;
            for (Message m : ms) {
                w.message(ms.indexOf(m) % 2 == 0 ? Flow.C2S : Flow.S2C, t += 1000, m);
            }
            w.dropped(t, 3, 3);
            if (end) {
                w.end(t, 3, "session closed");
            }
        }
        return f;
    }

    @Test
    void shouldReadBackEveryFieldWhenRoundTripped() throws IOException {
        byte[] binary = {0, (byte) 0xff, 10, 13, '"'};
        Message odd = Message.ofWire((byte) 0x6b, Header.builder().requestId("r\u2028\u00e9").sequence(-1L).build(),
                ByteBuffer.wrap(binary));
        List<Message> ms = List.of(message(MessageType.TOOL_REQUEST, "req-1", 1, "{\"a\":1}"),
                message(MessageType.TOOL_REQUEST, "req-1", 7, "{\"a\":1}"), odd);
        Recording r = RecordReader.read(write(ms, true));
        assertEquals(INFO, r.info());
        assertEquals(3, r.messages().size());
        assertEquals(3, r.dropped());
        assertEquals("session closed", r.endReason());
        for (int i = 0; i < ms.size(); i++) {
            RecordedMessage got = r.messages().get(i);
            assertEquals(ms.get(i).header(), got.message().header());
            assertEquals(ms.get(i).typeByte(), got.message().typeByte());
            assertArrayEquals(ms.get(i).payloadBytes(), got.message().payloadBytes());
            assertEquals(1000L * (i + 1), got.nanos());
            assertEquals(i + 2, got.line(), "line numbers count the session line");
        }
        assertEquals(-1L, r.messages().get(2).message().header().sequence(), "unsigned 2^64-1 survives");
        assertEquals(List.of(r.messages().get(1)), r.of(Flow.S2C));
    }

    @Test
    void shouldAcceptAFileWithoutEndLineAsIncomplete() throws IOException {
        Recording r = RecordReader.read(write(List.of(message(MessageType.INTENT, "", 1, "{}")), false));
        assertFalse(r.complete());
        assertNull(r.endReason());
        assertEquals(1, r.messages().size());
    }

    @Test
    void shouldNameTheLineWhenTheLastLineIsCutShort() throws IOException {
        Path f = write(List.of(message(MessageType.INTENT, "", 1, "{}"), message(MessageType.INTENT, "", 2, "{}")),
                true);
        byte[] all = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(all, all.length - 20));
        RecordFileException e = assertThrows(RecordFileException.class, () -> RecordReader.read(f));
        assertEquals(5, e.line());
        assertEquals(ErrorCode.CODEC_ERROR, e.code());
        assertTrue(e.getMessage().contains("line 5") && e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void shouldNameTheLineOfACorruptLine() throws IOException {
        Path f = write(List.of(message(MessageType.INTENT, "", 1, "{}"), message(MessageType.INTENT, "", 2, "{}")),
                true);
        List<String> lines = new ArrayList<>(Files.readAllLines(f));
        lines.set(2, lines.get(2).replace("\"flow\":", "\"flow\"")); // line 3: not JSON any more
        Files.write(f, lines);
        RecordFileException e = assertThrows(RecordFileException.class, () -> RecordReader.read(f));
        assertEquals(3, e.line());
        assertTrue(e.getMessage().contains("not JSON") && e.getMessage().contains("column"), e.getMessage());
    }

    @Test
    void shouldRefuseWrongFieldsUnknownKindsAndMiscountedEnd() throws IOException {
        assertBad("{\"kind\":\"message\"}\n", 1, "eipc_record");
        String head = RecordWriter.sessionLine(INFO) + "\n";
        String m = RecordWriter.messageLine(1, Flow.C2S, 5, message(MessageType.INTENT, "", 1, "{}"));
        assertBad(head + m.replace("\"c2s\"", "\"up\"") + "\n", 2, "flow");
        assertBad(head + m.replace("\"payload_base64\":\"", "\"payload_base64\":\"!") + "\n", 2, "base64");
        assertBad(head + m.replace("\"priority\":2", "\"priority\":256") + "\n", 2, "priority");
        assertBad(head + m.replace("\"sequence\":1", "\"sequence\":-1") + "\n", 2, "unsigned");
        assertBad(head + "{\"kind\":\"nonsense\"}\n", 2, "unknown kind");
        assertBad(head + m + "\n" + RecordWriter.endLine(9, 2, 0, "x") + "\n", 3, "counts 2");
        assertBad(head + RecordWriter.endLine(9, 0, 0, "x") + "\n" + m + "\n", 3, "after the end");
        assertBad(head.replace("\"eipc_record\":1", "\"eipc_record\":2"), 1, "format 2");
        assertBad("", 1, "empty");
    }

    private void assertBad(String content, long line, String words) throws IOException {
        Path f = dir.resolve("bad.jsonl");
        Files.writeString(f, content, StandardCharsets.UTF_8);
        RecordFileException e = assertThrows(RecordFileException.class, () -> RecordReader.read(f), content);
        assertEquals(line, e.line(), e.getMessage());
        assertTrue(e.getMessage().contains(words), e.getMessage() + " should say " + words);
    }

    @Test
    void shouldRefuseBytesThatAreNotUtf8() throws IOException {
        Path f = dir.resolve("bin.jsonl");
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes((RecordWriter.sessionLine(INFO) + "\n").getBytes(StandardCharsets.UTF_8));
        b.writeBytes(new byte[] {'{', (byte) 0xc3, (byte) 0x28, '}', '\n'});
        Files.write(f, b.toByteArray());
        RecordFileException e = assertThrows(RecordFileException.class, () -> RecordReader.read(f));
        assertTrue(e.getMessage().contains("UTF-8"), e.getMessage());
    }
}
