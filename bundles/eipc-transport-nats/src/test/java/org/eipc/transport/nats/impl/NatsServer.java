package org.eipc.transport.nats.impl;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real {@code nats-server} process on loopback, on free ports, for tests. Fails (never skips) when the binary
 * is missing: CI installs it. Always {@link #close()} it, also when a test fails.
 */
final class NatsServer implements AutoCloseable {
    private static final Pattern NUM_ROUTES = Pattern.compile("\"num_routes\"\\s*:\\s*(\\d+)");

    private final String name;
    private final int port;
    private final int clusterPort;
    private final int monitorPort;
    private final List<Integer> routes;
    /** JetStream's store directory, or {@code null} without JetStream. */
    private Path storeDir;
    private final Deque<String> log = new ArrayDeque<>();
    private long lines;
    private Process process;

    private NatsServer(String name, int port, int clusterPort, int monitorPort, List<Integer> routes) {
        this.name = name;
        this.port = port;
        this.clusterPort = clusterPort;
        this.monitorPort = monitorPort;
        this.routes = routes;
    }

    /** One server, no cluster. */
    static NatsServer single() {
        NatsServer s = new NatsServer("single", freePort(), 0, 0, List.of());
        s.start();
        return s;
    }

    /**
     * One server with JetStream ({@code -js}) storing into {@code storeDir}: {@link #kill()} and {@link #start()}
     * restart it on the same port with the same store, like a crashed and restarted node.
     */
    static NatsServer jetStream(Path storeDir) {
        NatsServer s = new NatsServer("js", freePort(), 0, 0, List.of());
        s.storeDir = storeDir;
        s.start();
        return s;
    }

    /** A full mesh of {@code n} nodes with routes; returns once every node sees the others. */
    static List<NatsServer> cluster(int n) {
        List<Integer> clusterPorts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            clusterPorts.add(freePort());
        }
        List<NatsServer> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                List<Integer> others = new ArrayList<>(clusterPorts);
                others.remove(i);
                NatsServer s = new NatsServer("n" + i, freePort(), clusterPorts.get(i), freePort(), others);
                nodes.add(s);
                s.start();
            }
            for (NatsServer s : nodes) {
                s.awaitRoutes(n - 1, Duration.ofSeconds(20));
            }
            return nodes;
        } catch (RuntimeException | Error e) {
            nodes.forEach(NatsServer::close);
            throw e;
        }
    }

    static String binary() {
        String path = System.getenv("PATH");
        for (String dir : (path == null ? "" : path).split(File.pathSeparator)) {
            for (String candidate : new String[] {"nats-server"}) {
                File f = new File(dir, candidate);
                if (f.canExecute()) {
                    return f.getAbsolutePath();
                }
            }
        }
        File sbin = new File("/usr/sbin/nats-server");
        if (sbin.canExecute()) {
            return sbin.getAbsolutePath();
        }
        throw new AssertionError("nats-server not found on PATH or in /usr/sbin: these tests need a real NATS "
                + "server (Debian/Ubuntu: apt-get install -y nats-server; .ci/run installs it)");
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int port() {
        return port;
    }

    URI uri(String prefix) {
        return URI.create("nats://127.0.0.1:" + port + "/" + prefix);
    }

    /** Starts (or restarts after {@link #kill()}) the process and waits until it says it is ready. */
    synchronized void start() {
        List<String> cmd = new ArrayList<>(List.of(binary(), "-a", "127.0.0.1", "-p", String.valueOf(port),
                "-n", name));
        if (storeDir != null) {
            cmd.addAll(List.of("-js", "-sd", storeDir.toString()));
        }
        if (clusterPort > 0) {
            StringBuilder r = new StringBuilder();
            for (int p : routes) {
                r.append(r.length() == 0 ? "" : ",").append("nats://127.0.0.1:").append(p);
            }
            cmd.addAll(List.of("--cluster_name", "eipc-test", "--cluster", "nats://127.0.0.1:" + clusterPort,
                    "--routes", r.toString(), "-m", String.valueOf(monitorPort)));
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        CompletableFuture<Void> ready = new CompletableFuture<>();
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + cmd, e);
        }
        Process p = process;
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    synchronized (log) {
                        log.add(line);
                        if (log.size() > 200) {
                            log.removeFirst();
                        }
                        lines++;
                        log.notifyAll();
                    }
                    if (line.contains("Server is ready")) {
                        ready.complete(null);
                    }
                }
            } catch (IOException ignored) {
                // process gone
            }
            ready.completeExceptionally(new AssertionError("nats-server " + name + " exited: " + tail()));
        }, "nats-server-" + name + "-log");
        reader.setDaemon(true);
        reader.start();
        try {
            ready.get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            close();
            throw new AssertionError("nats-server " + name + " on port " + port + " not ready: " + tail(), e);
        }
    }

    /** kill -9. */
    synchronized void kill() throws InterruptedException {
        Process p = process;
        if (p != null && p.isAlive()) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /**
     * Waits until this node has at least {@code n} routes: asks the monitoring endpoint, and again each time the
     * server logs something (a route logs "Route connection created"), never on a timer.
     */
    void awaitRoutes(int n, Duration timeout) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        int seen = -1;
        while (System.nanoTime() < deadline) {
            long before;
            synchronized (log) {
                before = lines;
            }
            try {
                String body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + monitorPort
                        + "/routez")).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString())
                        .body();
                Matcher m = NUM_ROUTES.matcher(body);
                if (m.find()) {
                    seen = Integer.parseInt(m.group(1));
                    if (seen >= n) {
                        return;
                    }
                }
                synchronized (log) {
                    while (lines == before && System.nanoTime() < deadline) {
                        TimeUnit.NANOSECONDS.timedWait(log, deadline - System.nanoTime());
                    }
                }
            } catch (IOException e) {
                seen = -1;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
        throw new AssertionError("nats-server " + name + " has " + seen + " of " + n + " routes after " + timeout
                + ": " + tail());
    }

    String tail() {
        synchronized (log) {
            return String.join("\n", log);
        }
    }

    @Override
    public synchronized void close() {
        Process p = process;
        if (p == null) {
            return;
        }
        p.destroy();
        try {
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
