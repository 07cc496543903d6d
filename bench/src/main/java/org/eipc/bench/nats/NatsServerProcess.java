package org.eipc.bench.nats;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A nats-server on a free loopback port for one benchmark run. Its config raises the per-client pending limit
 * (max_pending) and write deadline so that the raw publish/subscribe baseline, which has no flow control, is
 * not cut off as a slow consumer while it measures.
 */
final class NatsServerProcess implements AutoCloseable {
    private final Process process;
    private final int port;
    private final String version;

    private NatsServerProcess(final Process process, final int port, final String version) {
        this.process = process;
        this.port = port;
        this.version = version;
    }

    static NatsServerProcess start(final String binary, final Path dir) throws Exception {
        final int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        final Path conf = dir.resolve("nats.conf");
        Files.writeString(conf, "listen: 127.0.0.1:" + port + "\nmax_pending: 1073741824\nwrite_deadline: \"30s\"\n");
        final Process versionProcess = new ProcessBuilder(binary, "--version").redirectErrorStream(true).start();
        final String version = new String(versionProcess.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                .trim();
        versionProcess.waitFor(10, TimeUnit.SECONDS);
        final Process p = new ProcessBuilder(List.of(binary, "-c", conf.toString())).redirectErrorStream(true)
                .start();
        final CompletableFuture<Void> ready = new CompletableFuture<>();
        final Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.contains("Server is ready")) {
                        ready.complete(null);
                    } else if (line.contains("[ERR]") || line.contains("Slow Consumer")) {
                        System.err.println("nats-server: " + line);
                    }
                }
            } catch (IOException e) {
                // gone
            }
            ready.completeExceptionally(new IllegalStateException("nats-server exited"));
        }, "nats-server-log");
        reader.setDaemon(true);
        reader.start();
        try {
            ready.get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            p.destroyForcibly();
            throw new IllegalStateException("nats-server did not start: " + e, e);
        }
        return new NatsServerProcess(p, port, version);
    }

    String url() {
        return "nats://127.0.0.1:" + port;
    }

    String version() {
        return version;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
