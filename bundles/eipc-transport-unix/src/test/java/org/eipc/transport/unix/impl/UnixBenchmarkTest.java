package org.eipc.transport.unix.impl;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Throwaway numbers, excluded from the normal build: {@code -Dbench.excluded=none -Dgroups=benchmark}. */
@Tag("benchmark")
class UnixBenchmarkTest {

    @Test
    void twoProcesses() throws Exception {
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "eipc-b2");
        Process server = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), BenchServer.class.getName(),
                dir.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        UnixTransport ct = new UnixTransport(4L << 20, 64 * 1024, 1);
        try (java.io.BufferedReader r = new java.io.BufferedReader(
                new java.io.InputStreamReader(server.getInputStream()))) {
            if (!"READY".equals(r.readLine())) {
                throw new AssertionError("bench server did not start");
            }
            Supplier<SocketChannel> rawSink = () -> rawConnect(dir.resolve("rawsink.sock"));
            Supplier<SocketChannel> rawEcho = () -> rawConnect(dir.resolve("rawecho.sock"));
            URI sink = URI.create("unix://" + dir.resolve("sink.sock"));
            URI echo = URI.create("unix://" + dir.resolve("echo.sock"));
            for (int round = 0; round < 3; round++) {
                long msgs = 5_000_000;
                double eipc = TwoProcess.oneWay(ct, sink, msgs);
                double base = TwoProcess.rawOneWay(rawSink, msgs);
                double rtt = TwoProcess.pingPong(ct, echo, 100_000);
                double rawRtt = TwoProcess.rawPingPong(rawEcho, 100_000);
                System.err.printf("unix 2 processes round %d: one-way 64B eipc %.0f msg/s, raw blocking %.0f msg/s; "
                        + "ping-pong 64B eipc %.2f us, raw blocking %.2f us (ratio %.2f)%n", round, eipc, base, rtt,
                        rawRtt, rtt / rawRtt);
            }
        } finally {
            ct.close();
            server.getOutputStream().close();
            if (!server.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
            try (java.util.stream.Stream<Path> s = Files.list(dir)) {
                s.forEach(p -> p.toFile().delete());
            }
            Files.deleteIfExists(dir);
        }
    }

    private static SocketChannel rawConnect(Path p) {
        try {
            return SocketChannel.open(UnixDomainSocketAddress.of(p));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void unixNumbers() throws Exception {
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "eipc-bench");
        UnixTransport t = new UnixTransport(4L << 20, 64 * 1024, 1);
        // a second instance for the client end: its own I/O thread, as a separate process would have
        UnixTransport ct = new UnixTransport(4L << 20, 64 * 1024, 1);
        int[] n = {0};
        Supplier<URI> fresh = () -> URI.create("unix://" + dir.resolve("b" + (++n[0]) + ".sock"));
        try {
            for (int round = 0; round < 3; round++) {
                Path raw = dir.resolve("raw" + round + ".sock");
                Supplier<ServerSocketChannel> open = () -> {
                    try {
                        Files.deleteIfExists(raw);
                        ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
                        s.bind(UnixDomainSocketAddress.of(raw));
                        return s;
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                };
                Supplier<SocketChannel> connect = () -> {
                    try {
                        return SocketChannel.open(UnixDomainSocketAddress.of(raw));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                };
                long msgs = 5_000_000;
                double eipc = StreamBench.oneWay(t, ct, fresh.get(), msgs);
                double base = StreamBench.rawOneWay(open, null, connect, msgs);
                double rtt = StreamBench.pingPong(t, ct, fresh.get(), 100_000);
                double rawRtt = StreamBench.rawPingPong(open, connect, 100_000);
                System.err.printf("unix round %d: one-way 64B eipc %.0f msg/s, raw blocking %.0f msg/s; "
                        + "ping-pong 64B eipc %.2f us, raw blocking %.2f us (ratio %.2f)%n", round, eipc, base, rtt,
                        rawRtt, rtt / rawRtt);
            }
        } finally {
            t.close();
            ct.close();
            try (java.util.stream.Stream<Path> s = Files.list(dir)) {
                s.forEach(p -> p.toFile().delete());
            }
            Files.deleteIfExists(dir);
        }
    }
}
