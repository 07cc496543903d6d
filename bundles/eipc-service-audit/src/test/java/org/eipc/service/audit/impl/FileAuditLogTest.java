package org.eipc.service.audit.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.eipc.service.audit.AuditEvent;
import org.eipc.service.audit.AuditVerifier;
import org.eipc.service.audit.VerificationResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileAuditLogTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-23T12:00:00.123456789Z"), ZoneOffset.UTC);
    private static final ThreadFactory THREADS = r -> new Thread(r, "test-audit-writer");

    @TempDir
    Path dir;

    static AuditEvent event(final int i) {
        return AuditEvent.builder(AuditEvent.ACTION_HANDSHAKE).timestamp(Instant.parse("2026-11-23T12:00:01Z"))
                .decision(AuditEvent.ALLOWED).source("nia.min").target("eipc-server").requestId("req-" + i)
                .result("session created").detail("n", Integer.toString(i)).detail("note", "ü \"q\" \n ✓").build();
    }

    static FileAuditLog open(final Path file, final long maxBytes) {
        return new FileAuditLog(file, maxBytes, 0, FsyncPolicy.BATCH, 1024, CLOCK, THREADS);
    }

    static List<String> lines(final Path f) throws IOException {
        return Files.readAllLines(f, StandardCharsets.UTF_8);
    }

    @Test
    void shouldAppendChainedLinesWithTheReferenceFields() throws IOException {
        Path file = dir.resolve("audit.jsonl");
        FileAuditLog log = open(file, 1 << 20);
        for (int i = 1; i <= 3; i++) {
            assertTrue(log.record(event(i)));
        }
        log.close();
        List<String> lines = lines(file);
        assertEquals(4, lines.size());
        ObjectMapper json = new ObjectMapper();
        JsonNode genesis = json.readTree(lines.get(0));
        assertEquals("audit_genesis", genesis.get("action").asText());
        assertEquals(AuditLines.ZERO_HASH, genesis.get("genesis").asText());
        JsonNode second = json.readTree(lines.get(2));
        assertEquals(3, second.get("seq").asLong());
        for (String field : new String[] {"timestamp", "request_id", "source", "target", "action", "decision", "result"}) {
            assertTrue(second.get(field).isTextual(), field);
        }
        assertEquals("req-2", second.get("request_id").asText());
        assertEquals("ü \"q\" \n ✓", second.get("details").get("note").asText());
        assertEquals(AuditLines.sha256(lines.get(1).getBytes(StandardCharsets.UTF_8)), second.get("prev").asText());
        VerificationResult r = AuditVerifier.verify(file);
        assertTrue(r.ok(), r.toString());
        assertEquals(4, r.linesChecked());
        assertEquals(4, r.lastSeq());
    }

    @Test
    void shouldCreateFilesOwnerOnly() throws IOException {
        Path file = dir.resolve("sub").resolve("audit.jsonl");
        FileAuditLog log = open(file, 1 << 20);
        log.record(event(1));
        log.close();
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
        }
    }

    @Test
    void shouldRotateBySizeAndContinueTheChainAcrossFiles() throws IOException {
        Path file = dir.resolve("audit.jsonl");
        FileAuditLog log = open(file, 4096);
        for (int i = 1; i <= 40; i++) {
            log.record(event(i));
        }
        log.close();
        List<Path> chain = AuditVerifier.chainOf(file);
        assertTrue(chain.size() >= 3, chain.toString());
        assertEquals(dir.resolve("audit.jsonl.000001"), chain.get(0));
        long total = 0;
        for (Path f : chain) {
            assertTrue(Files.size(f) <= 4096, f + " " + Files.size(f));
            assertTrue(lines(f).get(0).contains("\"action\":\"audit_genesis\""), f.toString());
            total += lines(f).size();
        }
        assertEquals(40 + chain.size(), total);
        VerificationResult r = AuditVerifier.verify(chain);
        assertTrue(r.ok(), r.toString());
        assertEquals(total, r.lastSeq());
        // each file also verifies on its own
        for (Path f : chain) {
            assertTrue(AuditVerifier.verify(f).ok(), f.toString());
        }
    }

    @Test
    void shouldKeepOnlyTheNewestRotatedFilesWhichStillVerify() throws IOException {
        Path file = dir.resolve("audit.jsonl");
        FileAuditLog log = new FileAuditLog(file, 4096, 1, FsyncPolicy.ALWAYS, 1024, CLOCK, THREADS);
        for (int i = 1; i <= 40; i++) {
            log.record(event(i));
        }
        log.close();
        List<Path> chain = AuditVerifier.chainOf(file);
        assertEquals(2, chain.size(), chain.toString());
        assertFalse(Files.exists(dir.resolve("audit.jsonl.000001")));
        VerificationResult r = AuditVerifier.verify(chain);
        assertTrue(r.ok(), r.toString());
    }

    @Test
    void shouldContinueTheChainAfterRestart() throws IOException {
        Path file = dir.resolve("audit.jsonl");
        FileAuditLog log = open(file, 1 << 20);
        log.record(event(1));
        log.close();
        log = open(file, 1 << 20);
        log.record(event(2));
        log.close();
        assertEquals(3, lines(file).size());
        assertTrue(AuditVerifier.verify(file).ok());
    }

    @Test
    void shouldMoveAsideAFileWithAPartialLastLineAndLinkTheNewFile() throws IOException {
        Path file = dir.resolve("audit.jsonl");
        FileAuditLog log = open(file, 1 << 20);
        log.record(event(1));
        log.close();
        Files.write(file, "{\"seq\":3,\"pr".getBytes(StandardCharsets.UTF_8), java.nio.file.StandardOpenOption.APPEND);
        log = open(file, 1 << 20);
        log.record(event(2));
        log.close();
        List<Path> chain = AuditVerifier.chainOf(file);
        assertEquals(2, chain.size());
        VerificationResult r = AuditVerifier.verify(chain);
        assertEquals(VerificationResult.Problem.TRUNCATED, r.problem(), r.toString());
        assertEquals(3, r.line());
        assertTrue(AuditVerifier.verify(file).ok());
        assertTrue(lines(file).get(0).startsWith("{\"seq\":3,"), "continues after the last complete line");
        assertEquals(AuditLines.sha256(lines(chain.get(0)).get(1).getBytes(StandardCharsets.UTF_8)),
                new ObjectMapper().readTree(lines(file).get(0)).get("genesis").asText());
    }

    @Test
    void shouldDropAndCountWithoutBlockingWhenTheQueueIsFull() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        CountDownLatch release = new CountDownLatch(1);
        ThreadFactory heldBack = r -> new Thread(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                return;
            }
            r.run();
        }, "held-audit-writer");
        FileAuditLog log = new FileAuditLog(file, 1 << 20, 0, FsyncPolicy.NEVER, 4, CLOCK, heldBack);
        int accepted = 0;
        for (int i = 1; i <= 10; i++) {
            if (log.record(event(i))) {
                accepted++;
            }
        }
        assertEquals(4, accepted);
        assertEquals(6, log.droppedCount());
        release.countDown();
        log.close();
        assertFalse(log.record(event(11)), "closed log takes nothing");
        assertEquals(7, log.droppedCount());
        List<String> lines = lines(file);
        assertEquals(1 + 4 + 1, lines.size());
        assertTrue(lines.get(5).contains("\"action\":\"audit_dropped\""), lines.get(5));
        assertTrue(lines.get(5).contains("\"count\":\"6\""), lines.get(5));
        assertTrue(AuditVerifier.verify(file).ok());
    }

    @Test
    void shouldWriteValidJsonForAnyString() throws IOException {
        Path file = dir.resolve("audit.jsonl");
        FileAuditLog log = open(file, 1 << 20);
        String nasty = "a\u0000b\u001fc\\d\"e\u2028f\uD800g\uDC00h\uD83D\uDE00";
        log.record(AuditEvent.builder("x").source(nasty).detail(nasty, nasty).build());
        log.close();
        JsonNode line = new ObjectMapper().readTree(lines(file).get(1));
        String expected = nasty.replace('\uD800', '\uFFFD').replace('\uDC00', '\uFFFD');
        assertEquals(expected, line.get("source").asText());
        assertEquals(expected, line.get("details").get(expected).asText());
        assertTrue(AuditVerifier.verify(file).ok());
    }

    @Test
    void shouldRedactSecretLookingDetailsAndBoundSizes() {
        AuditEvent e = AuditEvent.builder("x").detail("session_token", "abc").detail("Password", "p")
                .detail("key_id", "k1").result("r".repeat(5000)).build();
        assertEquals(AuditEvent.REDACTED, e.details().get("session_token"));
        assertEquals(AuditEvent.REDACTED, e.details().get("Password"));
        assertEquals("k1", e.details().get("key_id"));
        assertEquals(AuditEvent.MAX_VALUE_LENGTH, e.result().length());
    }
}
