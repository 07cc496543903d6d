package org.eipc.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An operator's hot deploy, end to end: a host runs a configured server endpoint on {@code unix://} but has no
 * Unix transport; dropping the transport bundle into the deploy directory makes the endpoint listen and an
 * {@code eipc} client authenticate through it; deleting the bundle takes the address away again.
 */
class HotDeployTransportIT {
    @TempDir
    Path cwd;

    @Test
    void shouldServeAClientThroughATransportBundleDeployedWhileRunning() throws Exception {
        Path keys = Files.createDirectory(cwd.resolve("keys"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path key = keys.resolve("k1");
        assertEquals(0, Dist.run(cwd, "keygen", "--out", key.toString()).exitCode());
        Path socket = cwd.resolve("host.sock");

        Path feature = cwd.resolve("no-transport.json");
        Files.writeString(feature, "{\"feature-resource-version\":\"1.0\",\"id\":\"test:no-transport:1.0\","
                + "\"bundles\":[{\"id\":\"org.eipc:eipc-runtime:" + BuildInfo.version() + "\"},"
                + "{\"id\":\"org.eipc:eipc-security-hmac:" + BuildInfo.version() + "\"},"
                + "{\"id\":\"org.eipc:eipc-security-replay:" + BuildInfo.version() + "\"},"
                + "{\"id\":\"org.eipc:eipc-keyring-file:" + BuildInfo.version() + "\"}],"
                + "\"extensions\":{\"eipc-includes\":{\"type\":\"artifacts\",\"kind\":\"mandatory\","
                + "\"artifacts\":[{\"id\":\"org.eipc:eipc-core:osgifeature:1\"}]}}}");
        Path etc = Files.createDirectories(cwd.resolve("etc"));
        Files.writeString(etc.resolve("org.eipc.keyring.file.cfg"), "directory=" + keys + "\n");
        Files.writeString(etc.resolve("org.eipc.endpoint-demo.cfg"),
                "name=demo\nuri=unix://" + socket + "\nserviceId=eipc-host\n");
        Path deploy = cwd.resolve("deploy");

        Dist.Run host = Dist.start(cwd, "host", "--feature", feature.toString(), "--config", etc.toString(),
                "--deploy", deploy.toString(), "--storage", cwd.resolve("cache").toString());
        try {
            String ready = host.awaitLine(l -> l.startsWith("eipc host ready:"), "ready line");
            assertFalse(ready.contains("NOT"), ready + "\n" + host.out());
            assertEquals(ExitCodes.TRANSPORT, info(socket, key).exitCode(), "no Unix transport yet");

            Path staged = cwd.resolve("unix.jar.part");
            Files.copy(Dist.home().resolve("bundles").resolve("eipc-transport-unix-" + BuildInfo.version() + ".jar"),
                    staged);
            Files.move(staged, deploy.resolve("eipc-transport-unix.jar"), StandardCopyOption.ATOMIC_MOVE);
            host.awaitLine(l -> l.startsWith("bundle STARTED org.eipc.transport.unix"), "transport bundle STARTED");

            Dist.Run info = awaitInfo(socket, key);
            assertEquals(0, info.exitCode(), info.err());
            assertTrue(info.out().contains("peer_service_id: eipc-host"), info.out());
            assertTrue(info.out().contains("key_id: k1"), info.out());

            Files.delete(deploy.resolve("eipc-transport-unix.jar"));
            host.awaitLine(l -> l.startsWith("bundle UNINSTALLED org.eipc.transport.unix"), "transport UNINSTALLED");
            assertEquals(ExitCodes.TRANSPORT, info(socket, key).exitCode(), "the address went with the bundle");
        } finally {
            host.process.destroy(); // SIGTERM
        }
        assertEquals(0, host.exitCode(), host.out() + host.err());
    }

    private Dist.Run info(Path socket, Path key) throws Exception {
        return Dist.run(cwd, "info", "unix://" + socket, "--key-file", key.toString(), "--timeout", "1s");
    }

    /** The endpoint listens a moment after the transport registers: poll, bounded. */
    private Dist.Run awaitInfo(Path socket, Path key) throws Exception {
        long deadline = System.nanoTime() + Dist.TIMEOUT.toNanos();
        Dist.Run r = info(socket, key);
        while (r.exitCode() != 0 && System.nanoTime() < deadline) {
            Thread.sleep(200);
            r = info(socket, key);
        }
        return r;
    }
}
