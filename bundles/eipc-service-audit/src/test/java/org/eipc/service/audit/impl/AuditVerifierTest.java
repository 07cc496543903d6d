package org.eipc.service.audit.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.eipc.service.audit.AuditEvent;
import org.eipc.service.audit.AuditVerifier;
import org.eipc.service.audit.VerificationResult;
import org.eipc.service.audit.VerificationResult.Problem;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each kind of tampering on a real log file of a genesis line and ten events (lines 1 to 11). */
class AuditVerifierTest {
    @TempDir
    Path dir;

    Path file;
    List<String> lines;

    @BeforeEach
    void writeLog() throws IOException {
        file = dir.resolve("audit.jsonl");
        FileAuditLog log = FileAuditLogTest.open(file, 1 << 20);
        for (int i = 1; i <= 10; i++) {
            log.record(FileAuditLogTest.event(i));
        }
        log.close();
        lines = new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
        assertEquals(11, lines.size());
        assertTrue(AuditVerifier.verify(file).ok());
    }

    private VerificationResult tampered(final List<String> l) throws IOException {
        Files.write(file, (String.join("\n", l) + "\n").getBytes(StandardCharsets.UTF_8));
        return AuditVerifier.verify(file);
    }

    private static void assertBad(final VerificationResult r, final Problem problem, final long line) {
        assertEquals(problem, r.problem(), r.toString());
        assertEquals(line, r.line(), r.toString());
        assertTrue(!r.reason().isEmpty() && r.toString().contains("audit.jsonl:" + line), r.toString());
    }

    @Test
    void shouldDetectAChangedLine() throws IOException {
        lines.set(4, lines.get(4).replace("\"req-4\"", "\"req-X\""));
        assertBad(tampered(lines), Problem.CHANGED, 5);
    }

    @Test
    void shouldDetectAChangedLineWhoseOwnHashWasRecomputed() throws IOException {
        AuditLines.Parsed p = AuditLines.parse(lines.get(4).getBytes(StandardCharsets.UTF_8));
        AuditEvent forged = AuditEvent.builder(AuditEvent.ACTION_HANDSHAKE).decision(AuditEvent.DENIED).build();
        lines.set(4, new String(AuditLines.event(p.seq(), p.prev(), forged), StandardCharsets.UTF_8));
        assertBad(tampered(lines), Problem.CHANGED, 5);
    }

    @Test
    void shouldDetectARemovedLine() throws IOException {
        lines.remove(4);
        assertBad(tampered(lines), Problem.REMOVED, 5);
    }

    @Test
    void shouldDetectRemovedLinesAtTheStart() throws IOException {
        assertBad(tampered(lines.subList(2, lines.size())), Problem.REMOVED, 1);
    }

    @Test
    void shouldDetectAnInsertedCopyOfAnEarlierLine() throws IOException {
        lines.add(5, lines.get(2));
        assertBad(tampered(lines), Problem.INSERTED, 6);
    }

    @Test
    void shouldDetectAnInsertedLineThatLinksToItsPredecessor() throws IOException {
        AuditLines.Parsed p5 = AuditLines.parse(lines.get(4).getBytes(StandardCharsets.UTF_8));
        AuditEvent forged = AuditEvent.builder(AuditEvent.ACTION_POLICY_DECISION).decision(AuditEvent.ALLOWED).build();
        lines.add(5, new String(AuditLines.event(p5.seq() + 1, p5.lineHash(), forged), StandardCharsets.UTF_8));
        assertBad(tampered(lines), Problem.INSERTED, 6);
    }

    @Test
    void shouldDetectAnInsertedForeignLine() throws IOException {
        lines.add(5, "{\"timestamp\":\"2026-11-23T12:00:00Z\",\"action\":\"authenticate\",\"decision\":\"allowed\"}");
        assertBad(tampered(lines), Problem.INSERTED, 6);
    }

    @Test
    void shouldDetectTwoSwappedLines() throws IOException {
        String l5 = lines.get(4);
        lines.set(4, lines.get(5));
        lines.set(5, l5);
        assertBad(tampered(lines), Problem.REORDERED, 5);
    }

    @Test
    void shouldDetectALineMovedEarlier() throws IOException {
        lines.add(3, lines.remove(8));
        assertBad(tampered(lines), Problem.REORDERED, 4);
    }

    @Test
    void shouldDetectTheLastLineMovedEarlier() throws IOException {
        lines.add(3, lines.remove(10));
        assertBad(tampered(lines), Problem.REORDERED, 4);
    }

    @Test
    void shouldDetectAPartialLastLine() throws IOException {
        byte[] all = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(all, all.length - 30));
        assertBad(AuditVerifier.verify(file), Problem.TRUNCATED, 11);
    }

    @Test
    void shouldDetectAnEmptyFile() throws IOException {
        Files.write(file, new byte[0]);
        assertBad(AuditVerifier.verify(file), Problem.TRUNCATED, 1);
    }

    @Test
    void shouldDetectAChangedGenesisLine() throws IOException {
        lines.set(0, lines.get(0).replace("chain start", "chain begin"));
        assertBad(tampered(lines), Problem.CHANGED, 1);
    }

    @Test
    void shouldReportTheHeadSoCutsAtTheEndOfTheNewestFileCanBeFoundWithAnAnchor() throws IOException {
        VerificationResult full = AuditVerifier.verify(file);
        VerificationResult cut = tampered(lines.subList(0, 9));
        assertTrue(cut.ok(), "a keyless chain cannot see its own tail cut");
        assertEquals(9, cut.lastSeq());
        assertNotEquals(full.lastHash(), cut.lastHash());
    }

    @Test
    void shouldDetectLinesCutFromTheEndOfARotatedFile() throws IOException {
        Path log = dir.resolve("rot").resolve("audit.jsonl");
        FileAuditLog w = FileAuditLogTest.open(log, 4096);
        for (int i = 1; i <= 30; i++) {
            w.record(FileAuditLogTest.event(i));
        }
        w.close();
        List<Path> chain = AuditVerifier.chainOf(log);
        assertTrue(chain.size() >= 2);
        assertTrue(AuditVerifier.verify(chain).ok());
        List<String> first = Files.readAllLines(chain.get(0), StandardCharsets.UTF_8);
        Files.write(chain.get(0), (String.join("\n", first.subList(0, first.size() - 2)) + "\n").getBytes(StandardCharsets.UTF_8));
        VerificationResult r = AuditVerifier.verify(chain);
        assertEquals(Problem.TRUNCATED, r.problem(), r.toString());
        assertEquals(chain.get(1), r.file());
        assertEquals(1, r.line());
    }

    @Test
    void shouldDetectRotatedFilesOutOfOrder() throws IOException {
        Path log = dir.resolve("rot").resolve("audit.jsonl");
        FileAuditLog w = FileAuditLogTest.open(log, 4096);
        for (int i = 1; i <= 30; i++) {
            w.record(FileAuditLogTest.event(i));
        }
        w.close();
        List<Path> chain = AuditVerifier.chainOf(log);
        assertTrue(chain.size() >= 3);
        VerificationResult r = AuditVerifier.verify(chain.get(2), chain.get(1), chain.get(0));
        assertTrue(!r.ok(), r.toString());
        assertEquals(chain.get(0), r.file(), r.toString());
        assertEquals(1, r.line());
    }
}
