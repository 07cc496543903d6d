package org.eipc.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client and diagnostic commands ({@code keygen doctor echo listen send request ping info}) as processes: servers
 * are started with {@code --ready-file}, clients run against them, every server is stopped with SIGTERM.
 */
class NetCommandsIT {
    private static final String KEY = "net-commands-it-key-0123456789ab";
    private static final String OTHER_KEY = "a-different-key-the-server-lacks";

    @TempDir
    Path cwd;

    private final List<Dist.Run> servers = new ArrayList<>();

    /** SIGTERM to every server still running; each must stop with exit 0. */
    @AfterEach
    void stopServers() throws InterruptedException {
        for (Dist.Run s : servers) {
            s.process.destroy();
        }
        for (Dist.Run s : servers) {
            // exitCode() waits, and destroys forcibly (and fails) if the server does not stop
            assertEquals(0, s.exitCode(), "a server stopped by SIGTERM exits 0\n" + s.err());
            assertTrue(s.err().contains("stopping") || s.err().contains("handled, stopping"), s.err());
        }
    }

    // ---- keygen and doctor ------------------------------------------------------------------------------------

    @Test
    void shouldCreateOwnerOnlyKeyFileAndPrintOnlyItsIdAndFingerprint() throws Exception {
        Path key = cwd.resolve("host.key");
        Dist.Run r = Dist.run(cwd, "keygen", "--out", key.toString(), "--json");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        String text = Files.readString(key, StandardCharsets.US_ASCII).strip();
        // the key-file format the file keyring and --key-file read: hex: and the hex of the 32 random bytes
        assertTrue(text.matches("hex:[0-9a-f]{64}"), "32 bytes in hex");
        String hex = text.substring("hex:".length());
        JsonObject o = parse(r.out().strip());
        assertEquals("host.key", o.getString("key_id"));
        assertEquals(fingerprint(HexFormat.of().parseHex(hex)), o.getString("fingerprint"));
        assertFalse(r.out().contains(hex) || r.err().contains(hex), "the key must never be printed");

        Dist.Run again = Dist.run(cwd, "keygen", "--out", key.toString());
        assertEquals(1, again.exitCode(), "an existing key file is never overwritten");
        assertEquals(text, Files.readString(key, StandardCharsets.US_ASCII).strip());
        assertEquals(2, Dist.run(cwd, "keygen", "--bytes", "4").exitCode());
    }

    @Test
    void shouldPassDoctorHereAndFailOnAGroupReadableKeyFile() throws Exception {
        Path key = cwd.resolve("ok.key");
        assertEquals(0, Dist.run(cwd, "keygen", "--out", key.toString()).exitCode());
        Dist.Run ok = Dist.run(cwd, "doctor", "--json", "--socket-dir", cwd.toString(), "--key-file", key.toString());
        assertEquals(0, ok.exitCode(), ok.out() + ok.err());
        List<String> lines = ok.outLines();
        assertEquals(7, lines.size(), ok.out());
        for (String l : lines.subList(0, 6)) {
            assertEquals("pass", parse(l).getString("status"), l);
        }
        assertEquals("pass", parse(lines.get(6)).getString("summary"));

        Path loose = cwd.resolve("loose.key");
        Files.writeString(loose, KEY);
        Files.setPosixFilePermissions(loose, PosixFilePermissions.fromString("rw-r--r--"));
        Dist.Run bad = Dist.run(cwd, "doctor", "--socket-dir", cwd.toString(), "--key-file", loose.toString());
        assertEquals(1, bad.exitCode(), bad.out());
        assertTrue(bad.out().contains("[FAIL] key_file"), bad.out());
    }

    // ---- usage and transport errors ------------------------------------------------------------------------------

    @Test
    void shouldExitTwoOnBadAddressesAndThreeWhenNoPeerListens() throws Exception {
        for (String cmd : List.of("send", "request", "ping", "info", "echo", "listen")) {
            Dist.Run r = Dist.run(cwd, cmd, "--key-ascii", KEY, "tcp://no-port");
            assertEquals(2, r.exitCode(), cmd + ": " + r.err());
            assertTrue(r.err().contains("invalid address"), r.err());
        }
        assertEquals(2, Dist.run(cwd, "send", "--key-ascii", KEY, "http://127.0.0.1:80").exitCode());
        assertEquals(2, Dist.run(cwd, "send", "--key-ascii", KEY, "unix://relative/x.sock").exitCode());
        assertEquals(2, Dist.run(cwd, "send", "unix://" + cwd.resolve("none.sock")).exitCode(), "EIPC needs a key");

        String missing = "unix://" + cwd.resolve("missing.sock");
        Dist.Run r = Dist.run(cwd, "send", "--key-ascii", KEY, "--timeout", "1s", "--json", missing);
        assertEquals(3, r.exitCode(), r.out() + r.err());
        assertEquals(3, parse(r.out().strip()).getInt("exit_code"));
        assertEquals(3, Dist.run(cwd, "info", "--protocol", "ipcprims", "--timeout", "1s", missing).exitCode());
        assertEquals(3, Dist.run(cwd, "ping", "--key-ascii", KEY, "--timeout", "1s", "tcp://127.0.0.1:1").exitCode());
    }

    // ---- EIPC strict --------------------------------------------------------------------------------------------

    @Test
    void shouldEchoOverUnixInStrictMode() throws Exception {
        String address = startServer("echo", "unix://" + cwd.resolve("echo.sock"), "--key-ascii", KEY);
        exerciseEcho(address, Map.of(), "--key-ascii", KEY);
    }

    @Test
    void shouldEchoOverTcpWithTheKeyFromTheEnvironment() throws Exception {
        String address = startServer("echo", "tcp://127.0.0.1:0", "--key-ascii", KEY);
        assertTrue(address.matches("tcp://127\\.0\\.0\\.1:\\d+"), address);
        exerciseEcho(address, Map.of("EIPC_HMAC_KEY", KEY));
    }

    @Test
    void shouldEchoOverSharedMemory() throws Exception {
        String address = startServer("echo", "shm://" + cwd.resolve("ring"), "--key-ascii", KEY);
        exerciseEcho(address, Map.of(), "--key-ascii", KEY);
    }

    private void exerciseEcho(String address, Map<String, String> env, String... key) throws Exception {
        Dist.Run send = client(env, "send", address, with(key, "--count", "3", "--payload", "{\"n\":1}", "--json"));
        assertEquals(0, send.exitCode(), send.err());
        assertEquals(3, parse(send.out().strip()).getInt("sent"));

        Dist.Run req = client(env, "request", address, with(key, "--type", "tool_request", "--payload",
                "{\"tool\":\"x\"}", "--json"));
        assertEquals(0, req.exitCode(), req.err());
        JsonObject reply = parse(req.out().strip());
        assertEquals("tool_request", reply.getString("type"));
        assertEquals("{\"tool\":\"x\"}", reply.getString("payload"));

        Dist.Run ping = client(env, "ping", address, with(key, "--count", "3", "--json"));
        assertEquals(0, ping.exitCode(), ping.err());
        List<String> lines = ping.outLines();
        assertEquals(4, lines.size(), ping.out());
        JsonObject summary = parse(lines.get(3));
        assertEquals(3, summary.getInt("count"));
        assertTrue(summary.getJsonNumber("min_us").doubleValue() <= summary.getJsonNumber("max_us").doubleValue());

        Dist.Run info = client(env, "info", address, with(key, "--json"));
        assertEquals(0, info.exitCode(), info.err());
        JsonObject i = parse(info.out().strip());
        assertEquals("eipc", i.getString("protocol"));
        assertEquals("strict", i.getString("mode"));
        assertFalse(i.getString("session_id").isEmpty(), info.out());
        assertEquals(fingerprint(KEY), i.getString("key_id"));
        for (Dist.Run r : List.of(send, req, ping, info)) {
            assertFalse(r.out().contains(KEY) || r.err().contains(KEY), "the key must never be printed");
        }
    }

    @Test
    void shouldExitFiftyOnAWrongKey() throws Exception {
        String address = startServer("echo", "unix://" + cwd.resolve("auth.sock"), "--key-ascii", KEY);
        Dist.Run r = client(Map.of(), "request", address, "--key-ascii", OTHER_KEY, "--json");
        assertEquals(50, r.exitCode(), r.out() + r.err());
        assertEquals(50, parse(r.out().strip()).getInt("exit_code"));
        assertFalse(r.out().contains(OTHER_KEY) || r.err().contains(OTHER_KEY));
    }

    @Test
    void shouldExitOneTwentyFourWhenNoReplyComes() throws Exception {
        String address = startServer("listen", "unix://" + cwd.resolve("silent.sock"), "--key-ascii", KEY);
        Dist.Run r = client(Map.of(), "request", address, "--key-ascii", KEY, "--timeout", "3s", "--json"); // room for a cold JVM to connect
        assertEquals(124, r.exitCode(), r.out() + r.err());
        JsonObject e = parse(r.out().strip());
        assertEquals("REQUEST_TIMEOUT", e.getString("error"));
        assertEquals(124, e.getInt("exit_code"));
    }

    @Test
    void shouldPrintWhatListenReceivesAndStopAfterCount() throws Exception {
        Path ready = cwd.resolve("listen.ready");
        Dist.Run listen = Dist.start(cwd, "listen", "unix://" + cwd.resolve("listen.sock"), "--key-ascii", KEY,
                "--count", "2", "--json", "--ready-file", ready.toString());
        servers.add(listen);
        String address = awaitReady(listen, ready);
        Dist.Run send = client(Map.of(), "send", address, "--key-ascii", KEY, "--count", "2", "--type", "f",
                "--payload", "{\"hello\":\"world\"}");
        assertEquals(0, send.exitCode(), send.err());
        assertEquals(0, listen.exitCode(), listen.err());
        List<String> lines = listen.outLines();
        assertEquals(2, lines.size(), listen.out());
        JsonObject first = parse(lines.get(0));
        assertEquals("features", first.getString("type"));
        assertEquals("{\"hello\":\"world\"}", first.getString("payload"));
        assertEquals("eipc-cli", first.getString("peer_service_id"));
    }

    // ---- EIPC compat --------------------------------------------------------------------------------------------

    @Test
    void shouldAcknowledgeAnIntentInCompatModeLikeTheReference() throws Exception {
        String address = startServer("echo", "tcp://127.0.0.1:0", "--compat", "--key-ascii", KEY,
                "--grant", "nia.min=ui:control,device:read");
        Dist.Run r = client(Map.of(), "request", address, "--compat", "--key-ascii", KEY, "--service-id", "nia.min",
                "--payload", "{\"intent\":\"move_left\",\"confidence\":0.91}", "--json");
        assertEquals(0, r.exitCode(), r.out() + r.err());
        JsonObject reply = parse(r.out().strip());
        assertEquals("ack", reply.getString("type"));
        JsonObject ack = parse(reply.getString("payload"));
        assertEquals("ok", ack.getString("status"));
        assertEquals(reply.getString("request_id"), ack.getString("request_id"));

        Dist.Run info = client(Map.of(), "info", address, "--compat", "--key-ascii", KEY, "--service-id", "nia.min",
                "--json");
        assertEquals(0, info.exitCode(), info.err());
        JsonObject i = parse(info.out().strip());
        assertEquals("compat", i.getString("mode"));
        assertEquals("nia.min", i.getString("service_id"));
        assertEquals("eipc-server", i.getString("peer_service_id"));

        Dist.Run unknown = client(Map.of(), "info", address, "--compat", "--key-ascii", KEY, "--service-id", "nobody");
        assertEquals(50, unknown.exitCode(), "the reference denies an unknown service: " + unknown.err());
    }

    // ---- ipcprims -----------------------------------------------------------------------------------------------

    @Test
    void shouldEchoIpcprimsFramesOverUnix() throws Exception {
        String address = startServer("echo", "unix://" + cwd.resolve("prims.sock"), "--protocol", "ipcprims");
        Dist.Run send = client(Map.of(), "send", address, "--protocol", "ipcprims", "--count", "5", "--json");
        assertEquals(0, send.exitCode(), send.err());
        assertEquals(5, parse(send.out().strip()).getInt("sent"));

        Dist.Run req = client(Map.of(), "request", address, "--protocol", "ipcprims", "--type", "2", "--payload",
                "{\"cmd\":\"status\"}", "--json");
        assertEquals(0, req.exitCode(), req.err());
        JsonObject reply = parse(req.out().strip());
        assertEquals(2, reply.getInt("channel"));
        assertEquals("{\"cmd\":\"status\"}", reply.getString("payload"));

        Dist.Run stdin = Dist.start(cwd, "request", address, "--protocol", "ipcprims", "--payload", "-");
        try (var in = stdin.process.getOutputStream()) {
            in.write("from stdin".getBytes(StandardCharsets.UTF_8));
        }
        assertEquals(0, stdin.exitCode(), stdin.err());
        assertEquals("from stdin", stdin.out().strip());

        Dist.Run ping = client(Map.of(), "ping", address, "--protocol", "ipcprims", "--count", "2");
        assertEquals(0, ping.exitCode(), ping.err());
        assertTrue(ping.out().contains("2 round trips: min"), ping.out());

        Dist.Run info = client(Map.of(), "info", address, "--protocol", "ipcprims", "--json");
        assertEquals(0, info.exitCode(), info.err());
        JsonObject i = parse(info.out().strip());
        assertEquals("ipcprims", i.getString("protocol"));
        assertTrue(i.getString("peer_id").startsWith("peer-"), info.out());
        assertTrue(i.getJsonArray("channels").size() == 1, info.out());
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    /** Starts a server command and returns the address from its ready file. */
    private String startServer(String command, String address, String... options) throws Exception {
        Path ready = cwd.resolve(command + "-" + servers.size() + ".ready");
        List<String> args = new ArrayList<>(List.of(command, address, "--ready-file", ready.toString()));
        args.addAll(List.of(options));
        Dist.Run server = Dist.start(cwd, args.toArray(String[]::new));
        servers.add(server);
        String bound = awaitReady(server, ready);
        assertTrue(server.err().contains("listening on " + bound), server.err());
        return bound;
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

    private Dist.Run client(Map<String, String> env, String command, String address, String... options)
            throws Exception {
        List<String> args = new ArrayList<>(List.of(command, address));
        args.addAll(List.of(options));
        Dist.Run r = Dist.start(cwd, env, args.toArray(String[]::new));
        r.exitCode();
        return r;
    }

    private static String[] with(String[] key, String... options) {
        List<String> all = new ArrayList<>(List.of(options));
        all.addAll(List.of(key));
        return all.toArray(String[]::new);
    }

    private static String fingerprint(String key) throws Exception {
        return fingerprint(key.getBytes(StandardCharsets.US_ASCII));
    }

    private static String fingerprint(byte[] key) throws Exception {
        byte[] d = MessageDigest.getInstance("SHA-256").digest(key);
        return HexFormat.of().formatHex(d, 0, 8);
    }

    private static JsonObject parse(String json) {
        try (var r = Json.createReader(new StringReader(json))) {
            return r.readObject();
        }
    }
}
