package org.eipc.bench.transport;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.eipc.spi.transport.Transport;

/**
 * Cross-process transport benchmark (plain Java, not JMH): for each kind, a child JVM with this class path
 * ({@link BenchPeer}) listens and this process connects. In one run it measures, per kind, the 64-byte round trip
 * and one-way throughput of 64 B and 64 KiB messages (EIPC frames signed with HMAC-SHA256 and verified by the
 * receiver for the transports; the same byte counts without MAC over the raw sockets), prints a table with the
 * ratios to the raw sockets and, with {@code --out}, writes a Markdown report. Command: bench/README.md.
 *
 * <pre>
 * TransportBench [--kinds raw-tcp,tcp,raw-unix,unix,shm] [--quick] [--no-jit-wait] [--child-flag FLAG]... [--out FILE]
 * </pre>
 *
 * <p>Before each timed one-way part it waits until the compiler threads of both processes are idle (see
 * {@code CpuMeter.awaitJitQuiet}); {@code --no-jit-wait} times right after the warm-up, as runs before
 * 2026-11-23 (transports-6) did.
 *
 * <p>{@code --child-flag} adds a JVM flag to every child; {@code {run}} in it becomes the child's mode, kind and
 * size (e.g. {@code sink-unix-64}), so that {@code -XX:StartFlightRecording=filename=/tmp/{run}.jfr} keeps one
 * recording per measurement.
 */
public final class TransportBench {
    /** Round trips before the timed ones (on a connection of their own, then a wait for idle compilers). */
    static final int RTT_WARM = 20_000;
    /** Timed round trips per kind. */
    static final int RTT_SAMPLES = 20_000;

    private static final List<String> CHILD_FLAGS = new ArrayList<>();

    private TransportBench() {
    }

    public static void main(final String[] args) throws Exception {
        List<Kind> kinds = List.of(Kind.values());
        boolean quick = false;
        Path outFile = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--kinds":
                    kinds = Stream.of(args[++i].split(",")).map(Kind::of).toList();
                    break;
                case "--quick":
                    quick = true;
                    break;
                case "--out":
                    outFile = Path.of(args[++i]);
                    break;
                case "--no-jit-wait":
                    CpuMeter.jitQuietMillis = 0;
                    break;
                case "--child-flag":
                    CHILD_FLAGS.add(args[++i]);
                    break;
                default:
                    System.err.println("usage: TransportBench [--kinds raw-tcp,tcp,raw-unix,unix,shm] [--quick]"
                            + " [--no-jit-wait] [--child-flag FLAG]... [--out FILE]");
                    System.exit(2);
            }
        }
        final int scale = quick ? 10 : 1;
        final Report report = new Report(String.join(" ", args), scale);
        System.out.println(report.machine());
        final Map<Kind, Result> results = new EnumMap<>(Kind.class);
        final Path dir = Files.createTempDirectory("eipc-bench");
        final Path log = Path.of(System.getProperty("java.io.tmpdir"), "eipc-transport-bench-peer.log");
        try {
            for (Kind kind : kinds) {
                final Result r = new Result(kind);
                rtt(kind, dir, log, RTT_WARM / scale, RTT_SAMPLES / scale, r);
                final CpuMeter[] cpu = new CpuMeter[2];
                r.smallMsgs = oneWay(kind, dir, log, 64, 200_000 / scale, 1_000_000 / scale, true, cpu, 0);
                r.largeGbs = oneWay(kind, dir, log, 64 * 1024, 2_000 / scale, 16_384 / scale, true, cpu, 1)
                        * 65_536 / 1e9;
                r.smallCpuSender = cpu[0].sender;
                r.smallCpuReceiver = cpu[0].receiver;
                r.largeCpuSender = cpu[1].sender;
                r.largeCpuReceiver = cpu[1].receiver;
                r.smallSenderWrites = cpu[0].senderWrites;
                r.smallSenderReads = cpu[0].senderReads;
                r.smallReceiverWrites = cpu[0].receiverWrites;
                r.smallReceiverReads = cpu[0].receiverReads;
                r.smallSenderBy = cpu[0].senderBy;
                r.smallReceiverBy = cpu[0].receiverBy;
                if (kind.raw) {
                    r.smallMsgsBytes = r.smallMsgs;
                    r.largeGbsBytes = r.largeGbs;
                } else {
                    r.smallMsgsBytes = oneWay(kind, dir, log, 64, 200_000 / scale, 1_000_000 / scale, false, cpu, 0);
                    r.largeGbsBytes = oneWay(kind, dir, log, 64 * 1024, 2_000 / scale, 16_384 / scale, false, cpu, 1)
                            * 65_536 / 1e9;
                }
                results.put(kind, r);
                System.out.printf("%-8s RTT p50 %7.2f us  p90 %7.2f  p99 %7.2f  | 64 B %,11.0f msgs/s | 64 KiB %6.3f"
                        + " GB/s | bytes only: 64 B %,11.0f msgs/s, 64 KiB %6.3f GB/s%n", kind.label, r.p50, r.p90,
                        r.p99, r.smallMsgs, r.largeGbs, r.smallMsgsBytes, r.largeGbsBytes);
            }
        } finally {
            deleteTree(dir);
        }
        // last, when this JVM has compiled the encoder (and the warm-up compiles the decoder)
        final CodecCeiling small = CodecCeiling.measure(64, 300_000 / scale);
        final CodecCeiling large = CodecCeiling.measure(64 * 1024, 3_000 / scale);
        final String codec = String.format("Codec alone (one thread, in process): 64 B encode + sign %.2f µs, decode +"
                + " verify %.2f µs, ceiling %,.0f msgs/s; 64 KiB encode + sign %.1f µs, decode + verify %.1f µs,"
                + " ceiling %.3f GB/s", small.encodeNanos / 1e3, small.decodeNanos / 1e3, small.ceiling(),
                large.encodeNanos / 1e3, large.decodeNanos / 1e3, large.ceiling() * 65_536 / 1e9);
        System.out.println(codec);
        final List<Result> list = new ArrayList<>(results.values());
        final String table = report.table(list);
        System.out.println();
        System.out.println(table);
        final String verdicts = report.targets(results);
        System.out.println(verdicts);
        if (outFile != null) {
            Files.writeString(outFile, report.markdown(table, codec, verdicts, report.goComparison(results)));
            System.out.println("written to " + outFile);
        }
    }

    private static void rtt(final Kind kind, final Path dir, final Path log, final int warm, final int samples,
            final Result r) throws Exception {
        try (PeerProcess peer = PeerProcess.start(BenchPeer.class, childFlags("echo-" + kind.label), log, "echo",
                kind.label, dir.toString())) {
            // warm-up, then the same wait for idle compilers as before a timed one-way part (unless --no-jit-wait):
            // C2 finishing the warm-up's compilations takes a core, and two spinning shm threads then share the
            // other, which made the shm round trip bimodal (0.5 us or 5-15 us from run to run)
            final CpuMeter jit = new CpuMeter(peer.pid());
            if (kind.raw) {
                try (RawPipe pipe = RawPipe.connect(kind, peer.address())) {
                    RawRuns.rtt(pipe, warm, 1, new Result(kind));
                    jit.awaitJitQuiet();
                    RawRuns.rtt(pipe, 0, samples, r);
                }
            } else {
                final Transport t = kind.newTransport();
                try {
                    final URI address = URI.create(peer.address());
                    TransportRuns.rtt(t, address, warm, Math.max(10, samples / 10), new Result(kind));
                    jit.awaitJitQuiet();
                    TransportRuns.rtt(t, address, 0, samples, r);
                } finally {
                    ((AutoCloseable) t).close();
                }
            }
        }
    }

    /** One one-way run; leaves its CPU measurement in {@code cpu[slot]}. */
    private static double oneWay(final Kind kind, final Path dir, final Path log, final int size, final long warm,
            final long count, final boolean frames, final CpuMeter[] cpu, final int slot) throws Exception {
        final String mode = frames ? "sink" : "count";
        try (PeerProcess peer = PeerProcess.start(BenchPeer.class, childFlags(mode + "-" + kind.label + "-" + size),
                log, mode, kind.label, dir.toString(), Integer.toString(size), Long.toString(warm),
                Long.toString(count))) {
            cpu[slot] = new CpuMeter(peer.pid());
            if (kind.raw) {
                try (RawPipe pipe = RawPipe.connect(kind, peer.address())) {
                    return RawRuns.oneWay(pipe, size, warm, count, cpu[slot]);
                }
            }
            final Transport t = kind.newTransport();
            try {
                return TransportRuns.oneWay(t, URI.create(peer.address()), size, warm, count, frames, cpu[slot]);
            } finally {
                ((AutoCloseable) t).close();
            }
        }
    }

    private static List<String> childFlags(final String run) {
        return CHILD_FLAGS.stream().map(f -> f.replace("{run}", run)).toList();
    }

    private static void deleteTree(final Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted((a, b) -> b.compareTo(a)).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
