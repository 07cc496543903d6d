package org.eipc.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.function.Predicate;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code eipc health} against a real {@code eipc host} (feature {@code eipc-default}, which carries the health
 * bundle) with a configured server endpoint on {@code unix://}: the human report and the JSON report of a healthy
 * host (exit 0); a client endpoint dropped into the deploy directory that cannot connect makes the host DEGRADED
 * (exit 30, but still ready: {@code --readiness} exits 0); removing it makes it UP again; an address nobody
 * serves is exit 3, also as a JSON error object; no address is a usage error (exit 2).
 */
class HealthCommandIT {
    @TempDir
    Path cwd;

    private Path socket;
    private Path key;

    @Test
    void shouldReportTheHostsHealthAndExitByItsStatus() throws Exception {
        Path keys = Files.createDirectory(cwd.resolve("keys"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        key = keys.resolve("k1");
        assertEquals(0, Dist.run(cwd, "keygen", "--out", key.toString()).exitCode());
        socket = cwd.resolve("host.sock");
        Path etc = Files.createDirectories(cwd.resolve("etc"));
        Files.writeString(etc.resolve("org.eipc.keyring.file.cfg"), "directory=" + keys + "\n");
        Files.writeString(etc.resolve("org.eipc.endpoint-demo.cfg"),
                "name=demo\nuri=unix://" + socket + "\nserviceId=eipc-host\n");
        Path deploy = Files.createDirectories(cwd.resolve("deploy"));

        Dist.Run host = Dist.start(cwd, "host", "--config", etc.toString(), "--deploy", deploy.toString(),
                "--storage", cwd.resolve("cache").toString());
        try {
            String ready = host.awaitLine(l -> l.startsWith("eipc host ready:"), "ready line");
            assertFalse(ready.contains("bundles NOT active"), ready + "\n" + host.out());
            assertFalse(host.out().lines().anyMatch(l -> l.contains("[org.eipc.service.health]") && l.contains("UNSATISFIED")),
                    host.out());

            // healthy: human form, exit 0
            Dist.Run up = awaitHealth(r -> r.out().startsWith("status: UP"));
            assertEquals(0, up.exitCode(), up.out() + up.err());
            String text = up.out();
            assertTrue(text.contains("(live, ready)"), text);
            for (String check : new String[] {"framework", "runtime", "transports", "endpoints", "keyring",
                "sessions", "failures"}) {
                assertTrue(text.lines().anyMatch(l -> l.matches("\\s+UP\\s+" + check + "\\s.*")), check + "\n" + text);
            }
            assertTrue(text.contains("server  unix://" + socket + "  listening"), text);
            assertTrue(text.contains("k1"), "the keyring's current key id\n" + text);

            // the JSON report: one object, the documented fields
            Dist.Run json = health("--json");
            assertEquals(0, json.exitCode(), json.err());
            JsonObject report = parse(json.out().strip());
            assertEquals(1, report.getInt("format"));
            assertEquals("UP", report.getString("status"));
            assertTrue(report.getBoolean("live") && report.getBoolean("ready"));
            JsonObject metrics = report.getJsonObject("metrics");
            assertTrue(metrics.getJsonArray("schemes").toString().contains("\"unix\""), metrics.toString());
            assertEquals("unix://" + socket, metrics.getJsonArray("endpoints").getJsonObject(0)
                    .getJsonArray("addresses").getString(0));
            assertTrue(metrics.getJsonObject("counters").containsKey("sessions_opened"), metrics.toString());
            assertEquals(60, report.getJsonObject("failures").getInt("window_seconds"));

            // a client endpoint that finds no server: DEGRADED, exit 30, yet ready
            Path staged = cwd.resolve("client.cfg.part");
            Files.writeString(staged, "name=lonely\nrole=client\nuri=unix://" + cwd.resolve("nobody.sock") + "\n");
            Files.move(staged, deploy.resolve("org.eipc.endpoint-lonely.cfg"), StandardCopyOption.ATOMIC_MOVE);
            Dist.Run degraded = awaitHealth(r -> r.out().startsWith("status: DEGRADED"));
            assertEquals(ExitCodes.HEALTH_CHECK_FAILED, degraded.exitCode(), degraded.out());
            assertTrue(degraded.out().lines().anyMatch(l -> l.matches("\\s+DEGRADED\\s+endpoints\\s+.*not connected.*")),
                    degraded.out());
            assertEquals(0, health("--readiness").exitCode(), "degraded is still ready");
            assertEquals(0, health("--liveness").exitCode());

            Files.delete(deploy.resolve("org.eipc.endpoint-lonely.cfg"));
            assertEquals(0, awaitHealth(r -> r.out().startsWith("status: UP")).exitCode());
        } finally {
            host.process.destroy(); // SIGTERM
        }
        assertEquals(0, host.exitCode(), host.out() + host.err());

        // nobody serves the address now: exit 3, with --json also on stdout
        Dist.Run gone = health("--json", "--timeout", "1s");
        assertEquals(ExitCodes.TRANSPORT, gone.exitCode(), gone.out() + gone.err());
        assertEquals(3, parse(gone.out().strip()).getInt("exit_code"));
        assertEquals(ExitCodes.USAGE, Dist.run(cwd, "health", "--key-file", key.toString()).exitCode());
    }

    private Dist.Run health(String... extra) throws Exception {
        String[] args = new String[3 + extra.length];
        args[0] = "health";
        args[1] = "--to=unix://" + socket;
        args[2] = "--key-file=" + key;
        System.arraycopy(extra, 0, args, 3, extra.length);
        return Dist.run(cwd, args);
    }

    /** The endpoint listens, and configuration changes land, a moment after they are made: poll, bounded. */
    private Dist.Run awaitHealth(Predicate<Dist.Run> until, String... extra) throws Exception {
        long deadline = System.nanoTime() + Dist.TIMEOUT.toNanos();
        Dist.Run r = health(extra);
        while (!until.test(r) && System.nanoTime() < deadline) {
            Thread.sleep(200);
            r = health(extra);
        }
        assertTrue(until.test(r), "health never got there:\n" + r.out() + r.err());
        return r;
    }

    private static JsonObject parse(String line) {
        return Json.createReader(new StringReader(line)).readObject();
    }
}
