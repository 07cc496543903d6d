package org.eipc.transport.shm.impl;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A second JVM running {@link ShmPeerMain} on the test class path. */
final class ChildProcess implements AutoCloseable {
    final Process process;

    private ChildProcess(final Process process) {
        this.process = process;
    }

    static ChildProcess start(final Path log, final String... args) throws Exception {
        final List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx128m");
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(ShmPeerMain.class.getName());
        cmd.addAll(List.of(args));
        final Process p = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
        final ChildProcess child = new ChildProcess(p);
        final BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8));
        final String line;
        try {
            line = CompletableFuture.supplyAsync(() -> {
                try {
                    return out.readLine();
                } catch (IOException e) {
                    return null;
                }
            }).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            child.close();
            throw new AssertionError("child did not start: " + e, e);
        }
        if (!"READY".equals(line)) {
            child.close();
            throw new AssertionError("child did not start, said " + line + "; see " + log);
        }
        return child;
    }

    /** Kills the child like a crash would (SIGKILL): no close handshake, no cleanup. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            throw new AssertionError("child did not die");
        }
    }

    @Override
    public void close() throws InterruptedException {
        try {
            process.getOutputStream().close(); // the child ends on end of stdin
        } catch (IOException e) {
            // already gone
        }
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
