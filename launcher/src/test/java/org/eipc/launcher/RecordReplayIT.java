package org.eipc.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import org.eipc.api.Header;
import org.eipc.api.Message;
import org.eipc.api.MessageType;
import org.eipc.service.trace.record.Flow;
import org.eipc.service.trace.record.RecordReader;
import org.eipc.service.trace.record.RecordWriter;
import org.eipc.service.trace.record.Recording;
import org.eipc.service.trace.record.SessionInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code eipc record} and {@code eipc replay} as processes: a real session (an {@code eipc ping} client) recorded
 * through the recording proxy in front of an {@code eipc echo} host replays to the same replies (exit 0); replayed
 * into a host that answers differently it exits 60 and shows the difference; a cut-off file, an unreachable host
 * and bad options give 60, 3 and 2.
 */
class RecordReplayIT {
    private static final String KEY = "record-replay-it-key-0123456789ab";

    @TempDir
    Path cwd;

    private final List<Dist.Run> servers = new ArrayList<>();

    @AfterEach
    void stopServers() throws InterruptedException {
        for (Dist.Run s : servers) {
            s.process.destroy();
        }
        for (Dist.Run s : servers) {
            assertEquals(0, s.exitCode(), "a server stopped by SIGTERM exits 0\n" + s.err());
        }
    }

    @Test
    void shouldReplayARecordedSessionToTheSameRepliesAndShowWhatDiffersOnAnotherHost() throws Exception {
        String host = startServer("echo", "unix://" + cwd.resolve("host.sock"), "--service-id", "host");
        Path file = cwd.resolve("session.jsonl");
        Path ready = cwd.resolve("record.ready");
        Dist.Run record = Dist.start(cwd, "record", "--listen", "unix://" + cwd.resolve("rec.sock"), "--to", host,
                "--out", file.toString(), "--ready-file", ready.toString(), "--key-ascii", KEY);
        String proxy = awaitReady(record, ready);

        Dist.Run ping = Dist.run(cwd, "ping", proxy, "--count", "5", "--service-id", "app", "--key-ascii", KEY);
        assertEquals(0, ping.exitCode(), ping.err());
        assertEquals(0, record.exitCode(), "the recording ends with the session\n" + record.err());
        assertTrue(record.err().contains("10 message(s) written"), record.err());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        Recording rec = RecordReader.read(file);
        assertEquals("app", rec.info().peerServiceId());
        assertEquals("client closed", rec.endReason());
        assertEquals(5, rec.of(Flow.C2S).size());
        assertEquals(5, rec.of(Flow.S2C).size());
        assertTrue(!Files.readString(file).contains(KEY), "no key material in a recording");

        Dist.Run same = Dist.run(cwd, "replay", file.toString(), "--to", host, "--json", "--key-ascii", KEY);
        assertEquals(0, same.exitCode(), same.out() + same.err());
        JsonObject o = parse(same.out().strip());
        assertTrue(o.getBoolean("ok"), o.toString());
        assertEquals(5, o.getInt("sent"));
        assertEquals(5, o.getInt("matched"));

        Dist.Run fast = Dist.run(cwd, "replay", file.toString(), "--to", host, "--timing", "fast", "--key-ascii", KEY);
        assertEquals(0, fast.exitCode(), fast.out() + fast.err());
        assertTrue(fast.out().startsWith("ok: 5 message(s) sent"), fast.out());

        String other = startServer("echo", "unix://" + cwd.resolve("other.sock"), "--service-id", "other-host");
        Dist.Run differs = Dist.run(cwd, "replay", file.toString(), "--to", other, "--key-ascii", KEY);
        assertEquals(60, differs.exitCode(), differs.out() + differs.err());
        assertTrue(differs.out().startsWith("MISMATCH"), differs.out());
        assertTrue(differs.out().contains("DIFFERENT service_id of request req-1 (line 3): expected \"host\", got "
                + "\"other-host\""), differs.out());
        Dist.Run ignored = Dist.run(cwd, "replay", file.toString(), "--to", other, "--ignore", "service_id",
                "--key-ascii", KEY);
        assertEquals(0, ignored.exitCode(), ignored.out() + ignored.err());
    }

    /** The in-host recorder's view: a server-side file, headers as the host received and sent them. */
    @Test
    void shouldReplayAServerSideRecordingAndReportAChangedReply() throws Exception {
        String host = startServer("echo", "tcp://127.0.0.1:0");
        Path file = cwd.resolve("server-side.jsonl");
        try (RecordWriter w = new RecordWriter(Files.newOutputStream(file))) {
            w.session(new SessionInfo("org.eipc.service.trace.recorder", Instant.now(), "tcp://127.0.0.1:1", "s-1",
                    "server", "plugin"));
            for (int i = 1; i <= 3; i++) {
                String body = "{\"n\":" + i + "}";
                w.message(Flow.C2S, i * 1_000_000L, msg("plugin", "r-" + i, i, body));
                w.message(Flow.S2C, i * 1_000_000L + 500, msg("eipc-server", "r-" + i, i, i == 2 ? "{\"n\":20}"
                        : body));
            }
            w.end(4_000_000L, 0, "session closed");
        }
        Dist.Run r = Dist.run(cwd, "replay", file.toString(), "--to", host, "--key-ascii", KEY);
        assertEquals(60, r.exitCode(), r.out() + r.err());
        assertTrue(r.out().contains("3 repl(ies) expected, 3 received, 2 equal, 1 difference(s)"), r.out());
        assertTrue(r.out().contains("DIFFERENT payload of request r-2 (line 5): expected \"{\\\"n\\\":20}\", got "
                + "\"{\\\"n\\\":2}\""), r.out());
    }

    @Test
    void shouldExit60OnACutOffFile3WithoutHostAnd2OnBadOptions() throws Exception {
        Path file = cwd.resolve("cut.jsonl");
        try (RecordWriter w = new RecordWriter(Files.newOutputStream(file))) {
            w.session(new SessionInfo("eipc record", Instant.now(), "unix:///x", "s", "proxy", "app"));
            w.message(Flow.C2S, 0, msg("app", "r", 1, "{}"));
        }
        byte[] all = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(all, all.length - 10));
        Dist.Run cut = Dist.run(cwd, "replay", file.toString(), "--to", "unix://" + cwd.resolve("none.sock"),
                "--key-ascii", KEY);
        assertEquals(60, cut.exitCode(), cut.err());
        assertTrue(cut.err().contains("line 2") && cut.err().contains("truncated"), cut.err());

        Path ok = cwd.resolve("ok.jsonl");
        Files.write(ok, Arrays.copyOf(all, all.length));
        Dist.Run none = Dist.run(cwd, "replay", ok.toString(), "--to", "unix://" + cwd.resolve("none.sock"),
                "--timeout", "1s", "--key-ascii", KEY);
        assertEquals(3, none.exitCode(), none.err());
        assertEquals(2, Dist.run(cwd, "replay", ok.toString(), "--to", "unix:///x", "--timing", "slow",
                "--key-ascii", KEY).exitCode());
        assertEquals(2, Dist.run(cwd, "replay", ok.toString(), "--to", "unix:///x", "--ignore", "sequence",
                "--key-ascii", KEY).exitCode());
        assertEquals(2, Dist.run(cwd, "record", "--listen", "unix:///x", "--to", "unix:///y", "--out", ok.toString(),
                "--key-ascii", KEY).exitCode(), "an existing recording is never overwritten");
        assertEquals(1, Dist.run(cwd, "replay", cwd.resolve("missing.jsonl").toString(), "--to", "unix:///x",
                "--key-ascii", KEY).exitCode());
    }

    private static Message msg(String service, String rid, long seq, String payload) {
        return Message.of(MessageType.TOOL_REQUEST, Header.builder().serviceId(service).sessionId("s-1").requestId(rid)
                .sequence(seq).timestamp("2025-01-01T00:00:00Z").build(), payload.getBytes(StandardCharsets.UTF_8));
    }

    private String startServer(String command, String address, String... options) throws Exception {
        Path ready = cwd.resolve(command + "-" + servers.size() + ".ready");
        List<String> args = new ArrayList<>(List.of(command, address, "--ready-file", ready.toString(),
                "--key-ascii", KEY));
        args.addAll(List.of(options));
        Dist.Run server = Dist.start(cwd, args.toArray(String[]::new));
        servers.add(server);
        return awaitReady(server, ready);
    }

    private static String awaitReady(Dist.Run server, Path ready) throws Exception {
        long deadline = System.nanoTime() + Dist.TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(ready)) {
                return Files.readString(ready).strip();
            }
            if (!server.process.isAlive()) {
                break;
            }
            Thread.sleep(50);
        }
        return fail("server not ready (alive=" + server.process.isAlive() + ")\nstdout:\n" + server.out()
                + "\nstderr:\n" + server.err());
    }

    private static JsonObject parse(String json) {
        try (var r = Json.createReader(new StringReader(json))) {
            return r.readObject();
        }
    }
}
