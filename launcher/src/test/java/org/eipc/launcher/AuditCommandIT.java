package org.eipc.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code eipc audit verify} as a process against a hash-chained log written by {@code eipc-service-audit} (the
 * fixture {@code audit/audit.jsonl}: a genesis line and five security events), intact and tampered with.
 */
class AuditCommandIT {
    @TempDir
    Path cwd;

    @Test
    void shouldAcceptAnIntactLog() throws Exception {
        Path log = copy(lines());
        Dist.Run r = Dist.run(cwd, "audit", "verify", "--json", log.toString());
        assertEquals(0, r.exitCode(), r.err() + r.out());
        JsonObject o = parse(r.out());
        assertTrue(o.getBoolean("ok"));
        assertEquals(6, o.getInt("lines"));
        assertEquals(0, Dist.run(cwd, "audit", "verify", log.toString()).exitCode());
    }

    @Test
    void shouldDetectAChangedLine() throws Exception {
        List<String> lines = lines();
        String denial = lines.get(2);
        assertTrue(denial.contains("\"decision\":\"denied\""), denial);
        lines.set(2, denial.replace("\"decision\":\"denied\"", "\"decision\":\"allowed\""));
        assertTampered(copy(lines), 3);
    }

    @Test
    void shouldDetectARemovedLine() throws Exception {
        List<String> lines = lines();
        lines.remove(2);
        assertTampered(copy(lines), 3);
    }

    @Test
    void shouldDetectReorderedLines() throws Exception {
        List<String> lines = lines();
        Collections.swap(lines, 2, 3);
        assertTampered(copy(lines), 3);
    }

    @Test
    void shouldReportAMissingFileAsFailure() throws Exception {
        assertEquals(1, Dist.run(cwd, "audit", "verify", cwd.resolve("nope.jsonl").toString()).exitCode());
        assertEquals(2, Dist.run(cwd, "audit", "verify").exitCode());
    }

    private void assertTampered(Path log, int expectedLine) throws Exception {
        Dist.Run r = Dist.run(cwd, "audit", "verify", "--json", log.toString());
        assertEquals(ExitCodes.DATA_INVALID, r.exitCode(), r.err() + r.out());
        JsonObject o = parse(r.out());
        assertFalse(o.getBoolean("ok"));
        assertEquals(expectedLine, o.getInt("line"), r.out());
    }

    private static List<String> lines() throws IOException, URISyntaxException {
        Path fixture = Path.of(AuditCommandIT.class.getResource("/audit/audit.jsonl").toURI());
        return new ArrayList<>(Files.readAllLines(fixture, StandardCharsets.UTF_8));
    }

    private Path copy(List<String> lines) throws IOException {
        Path log = cwd.resolve("audit.jsonl");
        Files.write(log, (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
        return log;
    }

    private static JsonObject parse(String out) {
        return Json.createReader(new StringReader(out.strip())).readObject();
    }
}
