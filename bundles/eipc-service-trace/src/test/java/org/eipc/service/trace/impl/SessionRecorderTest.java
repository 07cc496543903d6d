package org.eipc.service.trace.impl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.eipc.api.ErrorCode;
import org.eipc.api.Header;
import org.eipc.api.IpcException;
import org.eipc.api.Message;
import org.eipc.api.MessageType;
import org.eipc.api.PeerIdentity;
import org.eipc.service.trace.record.Flow;
import org.eipc.service.trace.record.RecordReader;
import org.eipc.service.trace.record.Recording;
import org.eipc.spi.runtime.MessageContext;
import org.eipc.spi.runtime.MessageTap.Direction;
import org.eipc.spi.runtime.RuntimeEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionRecorderTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-03-04T05:06:07Z"), ZoneOffset.UTC);
    private static final byte[] KEY = "a-long-term-key-that-must-never-leak".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;

    private static MessageContext context(String sid, String peer, boolean server) {
        return new MessageContext("unix:///run/host.sock", sid, new PeerIdentity(peer, Set.of(), OptionalInt.empty(),
                OptionalInt.empty(), ""), server);
    }

    private static Message message(MessageType t, String rid, long seq, String payload) {
        return Message.of(t, Header.builder().serviceId("x").sessionId("s1").requestId(rid).sequence(seq).build(),
                payload.getBytes(StandardCharsets.UTF_8));
    }

    private SessionRecorder recorder(String peers, String side, long maxBytes, int maxFiles, int queue,
            ThreadFactory threads) {
        return new SessionRecorder(new SessionRecorder.Settings(dir.resolve("rec"), Pattern.compile(peers),
                !side.equals("client"), !side.equals("server"), maxBytes, maxFiles, queue, 8), CLOCK, threads);
    }

    private SessionRecorder recorder(String peers, String side) {
        return recorder(peers, side, 1 << 20, 0, 1024, Thread::new);
    }

    private List<Path> files() throws IOException {
        try (Stream<Path> s = Files.list(dir.resolve("rec"))) {
            return s.sorted().toList();
        }
    }

    private static RuntimeEvent closed(String sid) {
        return RuntimeEvent.builder(RuntimeEvent.Kind.SESSION_CLOSED).sessionId(sid).build();
    }

    @Test
    void shouldWriteBothDirectionsOfAServerSessionAsFlowsThatReplayReads() throws Exception {
        SessionRecorder r = recorder(".*", "both");
        MessageContext c = context("s1", "app", true);
        r.onMessage(Direction.INBOUND, c, message(MessageType.TOOL_REQUEST, "req-1", 1, "{\"q\":1}"), 1_000);
        r.onMessage(Direction.OUTBOUND, c, message(MessageType.TOOL_REQUEST, "req-1", 1, "{\"a\":1}"), 3_500);
        r.onEvent(closed("s1"));
        r.close();
        List<Path> f = files();
        assertEquals(1, f.size());
        assertTrue(f.get(0).getFileName().toString().startsWith("20250304T050607.000Z-app-s1"), f.toString());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f.get(0))));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("rec"))));
        Recording rec = RecordReader.read(f.get(0));
        assertEquals("server", rec.info().side());
        assertEquals("app", rec.info().peerServiceId());
        assertEquals(SessionRecorder.PID, rec.info().recorder());
        assertEquals("session closed", rec.endReason());
        assertEquals(List.of(Flow.C2S, Flow.S2C), rec.messages().stream().map(m -> m.flow()).toList());
        assertEquals(List.of(0L, 2_500L), rec.messages().stream().map(m -> m.nanos()).toList());
        assertArrayEquals("{\"a\":1}".getBytes(StandardCharsets.UTF_8), rec.messages().get(1).message().payloadBytes());
    }

    @Test
    void shouldMapClientSideDirectionsToFlows() throws Exception {
        SessionRecorder r = recorder(".*", "client");
        MessageContext client = context("s2", "host", false);
        r.onMessage(Direction.OUTBOUND, client, message(MessageType.INTENT, "r", 1, "{}"), 10);
        r.onMessage(Direction.INBOUND, client, message(MessageType.ACK, "r", 1, "{}"), 20);
        r.onMessage(Direction.INBOUND, context("s3", "app", true), message(MessageType.INTENT, "", 1, "{}"), 30);
        r.close();
        List<Path> f = files();
        assertEquals(1, f.size(), "server sessions are not recorded with side=client");
        Recording rec = RecordReader.read(f.get(0));
        assertEquals("recorder stopped", rec.endReason());
        assertEquals(List.of(Flow.C2S, Flow.S2C), rec.messages().stream().map(m -> m.flow()).toList());
    }

    @Test
    void shouldKeepBothEndsOfOneSessionInOneProcessApart() throws Exception {
        SessionRecorder r = recorder(".*", "server");
        MessageContext server = context("s1", "app", true);
        MessageContext client = context("s1", "host", false); // same address, same session id
        r.onMessage(Direction.INBOUND, server, message(MessageType.INTENT, "r1", 1, "{}"), 1);
        r.onMessage(Direction.OUTBOUND, client, message(MessageType.INTENT, "r2", 2, "{}"), 2);
        r.onMessage(Direction.INBOUND, server, message(MessageType.INTENT, "r2", 2, "{}"), 3);
        r.close();
        Recording rec = RecordReader.read(files().get(0));
        assertEquals(List.of("r1", "r2"), rec.messages().stream().map(m -> m.message().header().requestId()).toList());
    }

    @Test
    void shouldRecordOnlyPeersMatchingThePattern() throws Exception {
        SessionRecorder r = recorder("app-.*", "both");
        r.onMessage(Direction.INBOUND, context("s1", "app-1", true), message(MessageType.INTENT, "", 1, "{}"), 1);
        r.onMessage(Direction.INBOUND, context("s2", "other", true), message(MessageType.INTENT, "", 1, "{}"), 1);
        r.onMessage(Direction.INBOUND, context("s3", "xapp-1", true), message(MessageType.INTENT, "", 1, "{}"), 1);
        r.close();
        assertEquals(1, files().size());
        assertTrue(files().get(0).toString().contains("app-1-s1"));
    }

    @Test
    void shouldCountDropsAndNoteThemInTheFileWhenTheQueueIsFull() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        SessionRecorder r = recorder(".*", "both", 1 << 20, 0, 2, task -> new Thread(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                return;
            }
            task.run();
        }));
        MessageContext c = context("s1", "app", true);
        for (int i = 1; i <= 5; i++) {
            r.onMessage(Direction.INBOUND, c, message(MessageType.INTENT, "", i, "{\"n\":" + i + "}"), i);
        }
        assertEquals(3, r.droppedCount(), "a full queue drops instead of blocking the session");
        release.countDown();
        r.close();
        Recording rec = RecordReader.read(files().get(0));
        assertEquals(2, rec.messages().size());
        assertEquals(3, rec.dropped());
        assertTrue(Files.readString(files().get(0)).contains("\"kind\":\"dropped\""));
    }

    @Test
    void shouldEndTheFileAtMaxFileBytesAndKeepOnlyMaxFiles() throws Exception {
        SessionRecorder r = recorder(".*", "both", 4096, 2, 1024, Thread::new);
        String big = "{\"x\":\"" + "y".repeat(1000) + "\"}";
        MessageContext c = context("s1", "app", true);
        for (int i = 1; i <= 10; i++) {
            r.onMessage(Direction.INBOUND, c, message(MessageType.INTENT, "", i, big), i);
        }
        for (String sid : List.of("s2", "s3")) {
            r.onMessage(Direction.INBOUND, context(sid, "app", true), message(MessageType.INTENT, "", 1, "{}"), 1);
            r.onEvent(closed(sid));
        }
        r.close();
        List<Path> f = files();
        assertEquals(2, f.size(), "the oldest file was deleted: " + f);
        assertFalse(f.stream().anyMatch(p -> p.toString().contains("-s1")), f.toString());
        for (Path p : f) {
            assertTrue(Files.size(p) <= 4096);
        }
    }

    @Test
    void shouldStopAtMaxFileBytesWithReason() throws Exception {
        SessionRecorder r = recorder(".*", "both", 4096, 0, 1024, Thread::new);
        String big = "{\"x\":\"" + "y".repeat(1000) + "\"}";
        MessageContext c = context("s1", "app", true);
        for (int i = 1; i <= 10; i++) {
            r.onMessage(Direction.INBOUND, c, message(MessageType.INTENT, "", i, big), i);
        }
        r.close();
        Path f = files().get(0);
        Recording rec = RecordReader.read(f);
        assertEquals("maxFileBytes", rec.endReason());
        assertTrue(rec.messages().size() >= 2 && rec.messages().size() < 10, rec.messages().size() + " messages");
        assertTrue(Files.size(f) <= 4096, Files.size(f) + " bytes");
    }

    @Test
    void shouldNeverWriteKeyMaterial() throws Exception {
        SessionRecorder r = recorder(".*", "both");
        r.onMessage(Direction.INBOUND, context("s1", "app", true), message(MessageType.INTENT, "", 1, "{}"), 1);
        r.close();
        String text = Files.readString(files().get(0));
        for (String form : List.of(new String(KEY, StandardCharsets.US_ASCII), HexFormat.of().formatHex(KEY),
                Base64.getEncoder().encodeToString(KEY))) {
            assertFalse(text.contains(form));
        }
        assertFalse(text.contains("nonce") || text.contains("proof") || text.contains("key_id"), text);
    }

    @Test
    void shouldRefuseBadConfigurationListingEveryKey() {
        IpcException e = assertThrows(IpcException.class, () -> SessionRecorder.settings(config("relative/dir", "(",
                "sideways", 10, -1, 0, 0)));
        assertEquals(ErrorCode.CONFIG_INVALID, e.code());
        for (String key : List.of("directory", "peerPattern", "side", "maxFileBytes", "maxFiles", "queueCapacity",
                "maxSessions")) {
            assertTrue(e.getMessage().contains(key + "="), e.getMessage());
        }
    }

    private static RecorderConfig config(String d, String peers, String side, long maxBytes, int maxFiles, int queue,
            int sessions) {
        return new RecorderConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return RecorderConfig.class;
            }

            @Override
            public String directory() {
                return d;
            }

            @Override
            public String peerPattern() {
                return peers;
            }

            @Override
            public String side() {
                return side;
            }

            @Override
            public long maxFileBytes() {
                return maxBytes;
            }

            @Override
            public int maxFiles() {
                return maxFiles;
            }

            @Override
            public int queueCapacity() {
                return queue;
            }

            @Override
            public int maxSessions() {
                return sessions;
            }
        };
    }
}
