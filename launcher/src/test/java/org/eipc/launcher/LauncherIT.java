package org.eipc.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringReader;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the assembled distribution as a process, as an operator would. */
class LauncherIT {
    private static final String KEY = "EIPC-golden-vector-key-32-bytes!";

    @TempDir
    Path cwd;

    @Test
    void shouldPrintVersionAndExitZero() throws Exception {
        Dist.Run r = Dist.run(cwd, "version");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().strip().matches("eipc \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?"), r.out());
        Dist.Run json = Dist.run(cwd, "version", "--json");
        assertEquals(0, json.exitCode(), json.err());
        assertEquals("eipc", parse(json.out().strip()).getString("name"));
    }

    @Test
    void shouldExitTwoOnUsageErrors() throws Exception {
        assertEquals(2, Dist.run(cwd, "no-such-command").exitCode());
        assertEquals(2, Dist.run(cwd, "decode", "--frame").exitCode());
        assertEquals(2, Dist.run(cwd, "decode", "--frame", "--stream", vector("frames/bad-magic.bin")).exitCode());
        assertEquals(2, Dist.run(cwd, "decode", "--key-hex", "zz", "--frame", vector("frames/bad-magic.bin")).exitCode());
        assertEquals(2, Dist.run(cwd, "host", "--feature", "no-such-feature").exitCode());
    }

    @Test
    void shouldDecodeGoldenFramesWithKey() throws Exception {
        Dist.Run r = Dist.run(cwd, "decode", "--key-ascii", KEY, "--frame",
                vector("frames/payload-small-json-hmac.bin"), vector("frames/header-all-fields-max-seq.bin"));
        assertEquals(0, r.exitCode(), r.err());
        List<String> lines = r.outLines();
        assertEquals(2, lines.size(), r.out());
        JsonObject first = parse(lines.get(0));
        assertEquals("intent", first.getString("type"));
        assertEquals(105, first.getInt("type_byte"));
        assertEquals(1, first.getInt("flags"));
        assertEquals(183, first.getInt("header_length"));
        assertEquals(40, first.getInt("payload_length"));
        assertEquals("req-payload-small-json", first.getString("request_id"));
        assertEquals(7, first.getInt("sequence"));
        assertTrue(first.getBoolean("mac_ok"));
        JsonObject second = parse(lines.get(1));
        assertEquals(new BigInteger("18446744073709551615"), second.getJsonNumber("sequence").bigIntegerValueExact());
        assertEquals("device:write", second.getString("capability"));
        assertEquals("eai.main", second.getString("route"));
        assertFalse(r.out().contains(KEY), "the key must never be printed");
    }

    @Test
    void shouldDecodeStreamFramesWithOffsets() throws Exception {
        Dist.Run r = Dist.run(cwd, "decode", "--key-ascii", KEY, "--stream", vector("streams/handshake-scripted-c2s.bin"));
        assertEquals(0, r.exitCode(), r.err());
        List<String> lines = r.outLines();
        assertEquals(4, lines.size(), r.out());
        assertEquals(List.of("auth", "auth_response", "intent", "heartbeat"),
                lines.stream().map(l -> parse(l).getString("type")).toList());
        assertEquals(0, parse(lines.get(0)).getInt("offset"));
        assertEquals(3, parse(lines.get(3)).getInt("index"));
    }

    @Test
    void shouldReportBadFrameWithOffsetAndExitSixty() throws Exception {
        Dist.Run r = Dist.run(cwd, "decode", "--frame", vector("frames/bad-magic.bin"));
        assertEquals(60, r.exitCode(), r.err());
        JsonObject e = parse(r.out().strip());
        assertEquals("BAD_MAGIC", e.getString("error"));
        assertEquals(0, e.getInt("error_offset"));
        assertTrue(e.getString("file").endsWith("bad-magic.bin"));
    }

    @Test
    void shouldReportBadStreamPrefixAndExitSixty() throws Exception {
        Dist.Run r = Dist.run(cwd, "decode", "--stream", vector("streams/stream-prefix-zero.bin"));
        assertEquals(60, r.exitCode(), r.err());
        assertEquals("STREAM_PREFIX_ZERO", parse(r.out().strip()).getString("error"));
    }

    @Test
    void shouldRejectBadMacWithKeyFromEnvironmentOrHex() throws Exception {
        Dist.Run r = Dist.run(cwd, "decode", "--key-hex", hex(KEY), "--frame", vector("frames/bad-mac-bit-flipped.bin"));
        assertEquals(60, r.exitCode(), r.err());
        assertEquals("MAC_INVALID", parse(r.out().strip()).getString("error"));
    }

    @Test
    void shouldRejectStrippedMacInStrictModeButAcceptItInCompatMode() throws Exception {
        String weak = vector("frames/weak-hmac-flag-stripped.bin");
        Dist.Run strict = Dist.run(cwd, "decode", "--key-ascii", KEY, "--frame", weak);
        assertEquals(60, strict.exitCode(), strict.err());
        assertEquals("MAC_MISSING", parse(strict.out().strip()).getString("error"));
        Dist.Run compat = Dist.run(cwd, "decode", "--key-ascii", KEY, "--compat", "--frame", weak);
        assertEquals(0, compat.exitCode(), compat.err());
        assertFalse(parse(compat.out().strip()).getBoolean("mac_ok"));
    }

    @Test
    void shouldExitOneWhenFileCannotBeRead() throws Exception {
        assertEquals(1, Dist.run(cwd, "decode", "--frame", cwd.resolve("missing.bin").toString()).exitCode());
    }

    @Test
    void shouldHotDeployAndUndeployBundlesAndConfigurationsAndStopCleanlyOnSigterm() throws Exception {
        Path deploy = cwd.resolve("deploy");
        Dist.Run host = Dist.start(cwd, "host", "--deploy", deploy.toString(), "--storage",
                cwd.resolve("cache").toString());
        try {
            String ready = host.awaitLine(l -> l.startsWith("eipc host ready:"), "ready line");
            assertFalse(ready.contains("NOT"), ready + "\n" + host.out());
            Path staged = cwd.resolve("dropin.jar.part");
            writeBundle(staged, "test.dropin");
            Files.move(staged, deploy.resolve("dropin.jar"), StandardCopyOption.ATOMIC_MOVE);
            host.awaitLine(l -> l.startsWith("bundle STARTED test.dropin"), "drop-in bundle STARTED");
            Files.delete(deploy.resolve("dropin.jar"));
            host.awaitLine(l -> l.startsWith("bundle UNINSTALLED test.dropin"), "drop-in bundle UNINSTALLED");

            Path cfg = cwd.resolve("hot.cfg.part");
            Files.writeString(cfg, "answer=42\n");
            Files.move(cfg, deploy.resolve("org.eipc.test.hot.cfg"), StandardCopyOption.ATOMIC_MOVE);
            host.awaitLine(l -> l.equals("configuration CREATED org.eipc.test.hot"), "configuration CREATED");
            Files.delete(deploy.resolve("org.eipc.test.hot.cfg"));
            host.awaitLine(l -> l.equals("configuration DELETED org.eipc.test.hot"), "configuration DELETED");
        } finally {
            host.process.destroy(); // SIGTERM
        }
        assertEquals(0, host.exitCode(), host.out() + host.err());
        assertTrue(host.out().contains("eipc host stopped"), host.out());
    }

    @Test
    void shouldExitOneWhenAFeatureBundleIsNotInTheDistribution() throws Exception {
        Path feature = cwd.resolve("broken.json");
        Files.writeString(feature, "{\"feature-resource-version\":\"1.0\",\"id\":\"test:broken:1.0\","
                + "\"bundles\":[{\"id\":\"test:no-such-bundle:1.0\"}]}");
        Dist.Run r = Dist.run(cwd, "host", "--feature", feature.toString(), "--deploy", cwd.resolve("d").toString(),
                "--storage", cwd.resolve("s").toString());
        assertEquals(1, r.exitCode(), r.err());
        assertTrue(r.err().contains("test:no-such-bundle:1.0"), r.err());
    }

    @Test
    void shouldApplyFeatureAndDirectoryConfigurationsAtStart() throws Exception {
        Path feature = cwd.resolve("configured.json");
        Files.writeString(feature, "{\"feature-resource-version\":\"1.0\",\"id\":\"test:configured:1.0\","
                + "\"extensions\":{\"eipc-includes\":{\"type\":\"artifacts\",\"kind\":\"mandatory\","
                + "\"artifacts\":[{\"id\":\"org.eipc:eipc-core:osgifeature:1\"}]}},"
                + "\"configurations\":{\"org.eipc.test.typed\":{\"port:Integer\":4242,\"names\":[\"a\",\"b\"]},"
                + "\"org.eipc.test.factory~one\":{\"x\":\"y\"}}}");
        Path configDir = Files.createDirectories(cwd.resolve("etc"));
        Files.writeString(configDir.resolve("org.eipc.test.fromdir.cfg"), "answer=42\n");
        Dist.Run host = Dist.start(cwd, "host", "--feature", feature.toString(), "--config", configDir.toString(),
                "--deploy", cwd.resolve("deploy").toString(), "--storage", cwd.resolve("cache").toString());
        try {
            host.awaitLine(l -> l.startsWith("eipc host ready:"), "ready line");
            List<String> lines = host.outLines();
            assertTrue(lines.contains("  org.eipc.test.typed"), host.out());
            assertTrue(lines.contains("  org.eipc.test.factory~one"), host.out());
            assertTrue(lines.contains("  org.eipc.test.fromdir"), host.out());
        } finally {
            host.process.destroy();
        }
        assertEquals(0, host.exitCode(), host.err());
    }

    @Test
    void shouldNameTheMissingRequirementAndExitOneWhenAFeatureBundleDoesNotResolve() throws Exception {
        Path feature = cwd.resolve("unresolvable.json");
        // the protocol bundle without the API bundle it imports
        Files.writeString(feature, "{\"feature-resource-version\":\"1.0\",\"id\":\"test:unresolvable:1.0\","
                + "\"bundles\":[{\"id\":\"org.eipc:eipc-protocol:" + System.getProperty("eipc.version") + "\"}]}");
        String[] args = {"host", "--feature", feature.toString(), "--deploy", cwd.resolve("d").toString(),
            "--storage", cwd.resolve("s").toString()};
        Dist.Run r = Dist.run(cwd, args);
        assertEquals(1, r.exitCode(), r.err());
        assertTrue(r.err().contains("org.eipc:eipc-protocol") && r.err().contains("missing requirement")
                && r.err().contains("org.eipc.api"), r.err());

        List<String> keepGoing = new java.util.ArrayList<>(List.of(args));
        keepGoing.add("--keep-going");
        Dist.Run kept = Dist.start(cwd, keepGoing.toArray(String[]::new));
        try {
            String ready = kept.awaitLine(l -> l.startsWith("eipc host ready:"), "ready line");
            assertTrue(ready.contains("1 bundles NOT active"), ready);
        } finally {
            kept.process.destroy();
        }
        assertEquals(0, kept.exitCode(), kept.err());
    }

    private static void writeBundle(Path jar, String bsn) throws IOException {
        Manifest m = new Manifest();
        Attributes a = m.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", bsn);
        a.putValue("Bundle-Version", "1.0.0");
        try (OutputStream os = Files.newOutputStream(jar); JarOutputStream jos = new JarOutputStream(os, m)) {
            jos.flush();
        }
    }

    private static String vector(String name) {
        return Dist.vectors().resolve(name).toAbsolutePath().toString();
    }

    private static String hex(String ascii) {
        StringBuilder s = new StringBuilder();
        for (byte b : ascii.getBytes(java.nio.charset.StandardCharsets.US_ASCII)) {
            s.append(String.format("%02x", b));
        }
        return s.toString();
    }

    private static JsonObject parse(String line) {
        return Json.createReader(new StringReader(line)).readObject();
    }
}
