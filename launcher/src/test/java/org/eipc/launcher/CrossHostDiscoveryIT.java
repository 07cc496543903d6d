package org.eipc.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.eipc.api.Header;
import org.eipc.api.Message;
import org.eipc.api.MessageType;
import org.eipc.api.Session;
import org.eipc.runtime.EipcRuntimes;
import org.eipc.runtime.EndpointOptions;
import org.eipc.runtime.FixedKeyring;
import org.eipc.runtime.StandaloneRuntime;
import org.eipc.security.hmac.impl.HmacSha256Provider;
import org.eipc.transport.unix.impl.UnixTransport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cross-host discovery as an operator sets it up (issue #9): two real {@code eipc host} processes, each with the
 * default features plus {@code transport-nats}, a file keyring, a configured Unix endpoint and
 * {@code org.eipc.registry.nats.cfg} pointing at one real {@code nats-server}. A client registers a service on host
 * B over B's endpoint ({@code registry.register}); a client of host A finds it by name ({@code registry.lookup})
 * with B's transports and {@code eipc.origin=host-b}; when the registering session closes, the entry leaves A too.
 */
class CrossHostDiscoveryIT {
    private static final Duration T = Duration.ofSeconds(10);

    @TempDir
    Path cwd;

    @Test
    void aClientOnHostAFindsAServiceRegisteredOnHostB() throws Exception {
        String natsServer = natsServer();
        assertTrue(natsServer != null, "nats-server is not installed (.ci/run installs it: apt-get install nats-server)");
        int port = freePort();
        Process nats = new ProcessBuilder(natsServer, "-a", "127.0.0.1", "-p", Integer.toString(port))
                .redirectErrorStream(true).redirectOutput(cwd.resolve("nats.log").toFile()).start();
        Dist.Run a = null;
        Dist.Run b = null;
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        try {
            awaitPort(port, nats);
            Path keys = Files.createDirectory(cwd.resolve("keys"),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Files.writeString(keys.resolve("k1"), "hex:" + HexFormat.of().formatHex(key),
                    java.nio.file.StandardOpenOption.CREATE_NEW);
            Files.setPosixFilePermissions(keys.resolve("k1"), PosixFilePermissions.fromString("rw-------"));
            URI socketA = URI.create("unix://" + cwd.resolve("a.sock"));
            URI socketB = URI.create("unix://" + cwd.resolve("b.sock"));
            a = host("host-a", socketA, keys, port);
            b = host("host-b", socketB, keys, port);

            try (UnixTransport unix = new UnixTransport();
                    StandaloneRuntime client = EipcRuntimes.standalone(List.of(unix), new HmacSha256Provider(),
                            new FixedKeyring("k1", key))) {
                Session onB = connect(client, socketB);
                String registered = request(onB, "registry.register", "{\"name\":\"calc\",\"version\":\"1.2.0\","
                        + "\"capabilities\":[\"math\"],\"transports\":[\"" + socketB + "\"]}");
                assertTrue(registered.contains("\"status\":\"ok\""), registered);

                Session onA = connect(client, socketA);
                String found = await(onA, "{\"name\":\"calc\"}", r -> r.contains("\"1.2.0\""));
                assertTrue(found.contains("\"math\""), found);
                assertTrue(found.contains(socketB.toString()), "B's transport in A's answer: " + found);
                assertTrue(found.contains("\"eipc.origin\":\"host-b\""), found);

                onB.close(); // the registering session ends: its entry goes on B, and with it on A
                String gone = await(onA, "{\"name\":\"calc\"}", r -> r.contains("\"entries\":[]"));
                assertTrue(gone.contains("\"status\":\"ok\""), gone);
                onA.close();
            }
        } finally {
            stop(a);
            stop(b);
            nats.destroy();
            nats.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** A host with the NATS bundle, a file keyring, a Unix endpoint granting registration, and federation on. */
    private Dist.Run host(String id, URI socket, Path keys, int natsPort) throws Exception {
        Path etc = Files.createDirectories(cwd.resolve(id + "-etc"));
        Files.writeString(etc.resolve("org.eipc.keyring.file.cfg"), "directory=" + keys + "\n");
        Files.writeString(etc.resolve("org.eipc.endpoint-" + id + ".cfg"), "name=" + id + "\nuri=" + socket
                + "\nserviceId=" + id + "\nservices=app=registry:register\n");
        Files.writeString(etc.resolve("org.eipc.registry.nats.cfg"), "servers=127.0.0.1:" + natsPort + "\nhostId=" + id
                + "\n");
        Dist.Run run = Dist.start(cwd, "host", "--feature", "eipc-default", "--feature", "transport-nats", "--config",
                etc.toString(), "--deploy", Files.createDirectories(cwd.resolve(id + "-deploy")).toString(),
                "--storage", cwd.resolve(id + "-cache").toString());
        String ready = run.awaitLine(l -> l.startsWith("eipc host ready:"), id + " ready line");
        assertFalse(ready.contains("bundles NOT active"), ready + "\n" + run.out());
        return run;
    }

    /** The endpoint listens a moment after the host is ready (configuration is applied asynchronously). */
    private static Session connect(StandaloneRuntime client, URI address) throws Exception {
        long deadline = System.nanoTime() + Dist.TIMEOUT.toNanos();
        while (true) {
            try {
                return client.connect(List.of(address), EndpointOptions.builder().serviceId("app").build(),
                        (s, m) -> { }, T);
            } catch (RuntimeException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }

    private static String request(Session s, String route, String payload) throws Exception {
        Message reply = s.request(Message.of(MessageType.TOOL_REQUEST, Header.builder().route(route).build(),
                payload.getBytes(StandardCharsets.UTF_8)), T).toCompletableFuture().get(15, TimeUnit.SECONDS);
        return new String(reply.payloadBytes(), StandardCharsets.UTF_8);
    }

    /** Federation is eventually consistent (a NATS message away): ask until the answer matches, bounded. */
    private static String await(Session s, String payload, Predicate<String> until) throws Exception {
        long deadline = System.nanoTime() + Dist.TIMEOUT.toNanos();
        String r = request(s, "registry.lookup", payload);
        while (!until.test(r) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            r = request(s, "registry.lookup", payload);
        }
        assertTrue(until.test(r), "never got there: " + r);
        return r;
    }

    private static void stop(Dist.Run host) throws InterruptedException {
        if (host != null) {
            host.process.destroy(); // SIGTERM
            assertEquals(0, host.exitCode(), host.out() + host.err());
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void awaitPort(int port, Process p) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException notYet) {
                assertTrue(p.isAlive() && System.nanoTime() < deadline, "nats-server did not start");
                Thread.sleep(50);
            }
        }
    }

    private static String natsServer() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            File f = new File(dir, "nats-server");
            if (f.canExecute()) {
                return f.getPath();
            }
        }
        File sbin = new File("/usr/sbin/nats-server");
        return sbin.canExecute() ? sbin.getPath() : null;
    }
}
