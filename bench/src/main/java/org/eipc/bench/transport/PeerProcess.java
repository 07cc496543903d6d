package org.eipc.bench.transport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A child JVM running {@link BenchPeer} (or another bench main) on this process's class path. */
public final class PeerProcess implements AutoCloseable {
    /** Heap and GC of the child; the parent is started with the same (README.md). */
    public static final List<String> JVM_FLAGS = List.of("-Xms256m", "-Xmx256m", "-XX:+UseParallelGC");

    private final Process process;
    private final String address;

    private PeerProcess(final Process process, final String address) {
        this.process = process;
        this.address = address;
    }

    static PeerProcess start(final Path log, final String... args) throws Exception {
        return start(BenchPeer.class, List.of(), log, args);
    }

    /**
     * Starts {@code main} in a child JVM with {@link #JVM_FLAGS} plus {@code extraFlags}; it must print
     * {@code READY <address>} on stdout, then serve until its stdin closes.
     */
    public static PeerProcess start(final Class<?> main, final List<String> extraFlags, final Path log,
            final String... args) throws Exception {
        final List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(JVM_FLAGS);
        cmd.addAll(extraFlags);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(main.getName());
        cmd.addAll(List.of(args));
        final Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        final BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8));
        String line = null;
        try {
            line = CompletableFuture.supplyAsync(() -> {
                try {
                    String l;
                    do { // skip what the JVM itself may print first (e.g. -XX:StartFlightRecording's banner)
                        l = out.readLine();
                    } while (l != null && !l.startsWith("READY "));
                    return l;
                } catch (IOException e) {
                    return null;
                }
            }).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            p.destroyForcibly();
            throw new IllegalStateException("peer did not start: " + e + "; see " + log, e);
        }
        if (line == null || !line.startsWith("READY ")) {
            p.destroyForcibly();
            throw new IllegalStateException("peer did not start, said " + line + "; see " + log);
        }
        return new PeerProcess(p, line.substring("READY ".length()));
    }

    /** The child's process id (for its CPU time and context switches in /proc). */
    public long pid() {
        return process.pid();
    }

    public String address() {
        return address;
    }

    @Override
    public void close() {
        try {
            process.getOutputStream().close(); // a transport peer ends at the end of its stdin
        } catch (IOException e) {
            // gone already
        }
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
