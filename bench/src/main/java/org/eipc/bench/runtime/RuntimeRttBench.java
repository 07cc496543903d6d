package org.eipc.bench.runtime;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.eipc.api.Session;
import org.eipc.bench.transport.BenchPeer;
import org.eipc.bench.transport.CpuMeter;
import org.eipc.bench.transport.Kind;
import org.eipc.bench.transport.PeerProcess;
import org.eipc.bench.transport.RawPipe;
import org.eipc.bench.transport.RawRuns;
import org.eipc.bench.transport.Result;
import org.eipc.bench.transport.TransportRuns;
import org.eipc.runtime.EipcRuntimes;
import org.eipc.runtime.StandaloneRuntime;
import org.eipc.security.hmac.impl.HmacSha256Provider;
import org.eipc.spi.transport.Transport;
import org.eipc.transport.tcp.impl.TcpTransport;
import org.eipc.transport.unix.impl.UnixTransport;

/**
 * Cross-process round trip through the full runtime (issue #6) beside the bare transport's in the same run. Per
 * scheme and round, each against a fresh child JVM:
 * <ul>
 * <li>{@code raw}: the raw blocking socket ping-pong of {@code TransportBench} (reference only);</li>
 * <li>{@code bare}: the transport's 64-byte length-prefixed ping-pong of {@code TransportBench}, driven from its I/O
 * thread (the baseline of the 1.5x target);</li>
 * <li>{@code frames}, {@code frames-handoff}: between the two, over the bare transport: signed 64 B frames both
 * ways, decoded and verified, answered from the I/O thread or after one hand-off to a pool thread per side;</li>
 * <li>{@code rt-chained}: {@code session.request} of 64 B against a {@link RuntimePeer} that answers with
 * {@code session.reply} (strict mode: hardened handshake done, every frame HMAC-SHA256 signed and verified, acks,
 * credit, delivery threads), the next request sent from the previous reply's completion;</li>
 * <li>{@code rt-blocking}: the same, an application thread blocking on each request's future.</li>
 * <li>{@code rt-call}: the same with {@code session.call}, which the reply wakes from the I/O thread.</li>
 * </ul>
 *
 * <pre>
 * RuntimeRttBench [--schemes unix,tcp] [--rounds 2] [--warm 20000] [--samples 20000] [--only raw,bare,frames,
 *                 frames-handoff,rt-chained,rt-blocking,rt-call,handoff]
 *                 [--no-jit-wait] [--child-flag FLAG]... [--out FILE]
 * </pre>
 *
 * <p>Each line's timed part starts after its warm-up and a wait until the compiler threads of both processes have
 * been idle for 300 ms (at most 15 s; {@code --no-jit-wait}: right after the warm-up, as before 2026-11-23's
 * runtime-rtt-4): the runtime's hot path is large, and C2 compiling it during the timed part took 40-47 % of
 * both processes' CPU samples on two vCPUs.
 */
public final class RuntimeRttBench {
    static final double TARGET = 1.5;
    /** What runs by default. {@code frames-handoff} only on request: it stalls (see the 2026-11-23 results). */
    static final List<String> ALL = List.of("raw", "bare", "frames", "rt-chained", "rt-blocking", "rt-call",
            "handoff");

    private RuntimeRttBench() {
    }

    public static void main(final String[] args) throws Exception {
        List<String> schemes = List.of("unix", "tcp");
        List<String> only = ALL;
        int rounds = 2;
        int warm = 20_000;
        int samples = 20_000;
        Path out = null;
        final List<String> childFlags = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--schemes" -> schemes = List.of(args[++i].split(","));
                case "--only" -> only = List.of(args[++i].split(","));
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--warm" -> warm = Integer.parseInt(args[++i]);
                case "--samples" -> samples = Integer.parseInt(args[++i]);
                case "--no-jit-wait" -> CpuMeter.jitQuietMillis = 0;
                case "--child-flag" -> childFlags.add(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                default -> {
                    System.err.println("usage: RuntimeRttBench [--schemes unix,tcp] [--rounds N] [--warm N]"
                            + " [--samples N] [--only raw,bare,frames,frames-handoff,rt-chained,rt-blocking,rt-call,handoff]"
                            + " [--no-jit-wait] [--child-flag F]... [--out F]");
                    System.exit(2);
                }
            }
        }
        final RttReport report = new RttReport(String.join(" ", args), machine(), warm, samples);
        System.out.println(report.machine);
        final Path dir = Files.createTempDirectory("eipc-rt-bench");
        final Path log = Path.of(System.getProperty("java.io.tmpdir"), "eipc-runtime-bench-peer.log");
        try (TcpTransport tcp = new TcpTransport(); UnixTransport unix = new UnixTransport();
                StandaloneRuntime client = EipcRuntimes.standalone(List.of(tcp, unix), new HmacSha256Provider(),
                        new org.eipc.runtime.FixedKeyring("bench", "eipc-runtime-rtt-bench-key-32by!".getBytes(java.nio.charset.StandardCharsets.US_ASCII)))) {
            for (int round = 1; round <= rounds; round++) {
                for (String scheme : schemes) {
                    final boolean isTcp = "tcp".equals(scheme);
                    final RttReport.Row row = report.row(round, scheme);
                    if (only.contains("raw")) {
                        row.raw = raw(isTcp ? Kind.RAW_TCP : Kind.RAW_UNIX, dir, log, warm, samples);
                        print(round, scheme, "raw", row.raw);
                    }
                    if (only.contains("bare")) {
                        row.bare = bare(isTcp ? Kind.TCP : Kind.UNIX, dir, log, warm, samples);
                        print(round, scheme, "bare", row.bare);
                    }
                    for (String ab : List.of("frames", "frames-handoff")) {
                        if (only.contains(ab)) {
                            final RttReport.Meas m = ablation(isTcp ? Kind.TCP : Kind.UNIX, dir, log,
                                    "frames-handoff".equals(ab), warm, samples);
                            row.ablations.put(ab, m);
                            print(round, scheme, ab, m);
                        }
                    }
                    if (only.contains("rt-chained") || only.contains("rt-blocking") || only.contains("rt-call")) {
                        runtime(client, scheme, dir, log, childFlags, warm, samples, only, round, row);
                    }
                }
                if (only.contains("handoff")) {
                    final Snapshot snap = new Snapshot(ProcessHandle.current().pid());
                    final RttReport.Meas h = snap.done(HandoffProbe.measure(warm, samples));
                    report.handoff(round, h);
                    print(round, "-", "handoff", h);
                }
            }
        } finally {
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.sorted((a, b) -> b.compareTo(a)).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
        final String md = report.markdown();
        System.out.println();
        System.out.println(md);
        if (out != null) {
            Files.writeString(out, md);
            System.out.println("written to " + out);
        }
    }

    /** The raw blocking socket ping-pong of TransportBench (RawRuns.rtt against a BenchPeer echo child). */
    private static RttReport.Meas raw(final Kind kind, final Path dir, final Path log, final int warm,
            final int samples) throws Exception {
        try (PeerProcess peer = PeerProcess.start(BenchPeer.class, List.of(), log, "echo", kind.label,
                dir.toString()); RawPipe pipe = RawPipe.connect(kind, peer.address())) {
            RawRuns.rtt(pipe, warm, 1, new Result(kind));
            new CpuMeter(peer.pid()).awaitJitQuiet();
            final Snapshot s = new Snapshot(peer.pid());
            final Result r = new Result(kind);
            RawRuns.rtt(pipe, 0, samples, r);
            return s.done(r);
        }
    }

    /** The bare transport's ping-pong of TransportBench (TransportRuns.rtt, on its I/O thread). */
    private static RttReport.Meas bare(final Kind kind, final Path dir, final Path log, final int warm,
            final int samples) throws Exception {
        try (PeerProcess peer = PeerProcess.start(BenchPeer.class, List.of(), log, "echo", kind.label,
                dir.toString())) {
            final Transport t = kind.newTransport();
            try {
                final URI uri = URI.create(peer.address());
                TransportRuns.rtt(t, uri, warm, Math.max(10, samples / 10), new Result(kind));
                new CpuMeter(peer.pid()).awaitJitQuiet();
                final Snapshot s = new Snapshot(peer.pid());
                final Result r = new Result(kind);
                TransportRuns.rtt(t, uri, 0, samples, r);
                return s.done(r);
            } finally {
                ((AutoCloseable) t).close();
            }
        }
    }

    /**
     * Between bare and runtime: signed 64 B frames both ways over the bare transport, decoded and verified on the
     * I/O thread, answered from it or after one hand-off to a pool thread per side (AblationPeer, AblationRuns).
     */
    private static RttReport.Meas ablation(final Kind kind, final Path dir, final Path log, final boolean handoff,
            final int warm, final int samples) throws Exception {
        try (PeerProcess peer = PeerProcess.start(AblationPeer.class, List.of(), log, kind.label, dir.toString(),
                handoff ? "handoff" : "io")) {
            final Transport t = kind.newTransport();
            try {
                final URI uri = URI.create(peer.address());
                AblationRuns.rtt(t, uri, handoff, warm, 1, new Result(kind));
                new CpuMeter(peer.pid()).awaitJitQuiet();
                final Snapshot s = new Snapshot(peer.pid());
                final Result r = new Result(kind);
                AblationRuns.rtt(t, uri, handoff, 0, samples, r);
                return s.done(r);
            } finally {
                ((AutoCloseable) t).close();
            }
        }
    }

    @FunctionalInterface
    private interface Run {
        void run(Session s, int warm, int samples, Result r) throws Exception;
    }

    private static void runtime(final StandaloneRuntime client, final String scheme, final Path dir, final Path log,
            final List<String> childFlags, final int warm, final int samples, final List<String> only,
            final int round, final RttReport.Row row) throws Exception {
        try (PeerProcess peer = PeerProcess.start(RuntimePeer.class, childFlags, log, scheme, dir.toString())) {
            final URI uri = URI.create(peer.address());
            final Kind kind = Kind.of(scheme);
            if (only.contains("rt-chained")) {
                row.chained = session(client, uri, peer.pid(), kind, RuntimeRuns::chained, warm, samples);
                print(round, scheme, "rt-chained", row.chained);
            }
            if (only.contains("rt-blocking")) {
                row.blocking = session(client, uri, peer.pid(), kind, RuntimeRuns::blocking, warm, samples);
                print(round, scheme, "rt-blocking", row.blocking);
            }
            if (only.contains("rt-call")) {
                row.call = session(client, uri, peer.pid(), kind, RuntimeRuns::call, warm, samples);
                print(round, scheme, "rt-call", row.call);
            }
        }
    }

    /** One session: {@code warm} round trips, then {@code samples} measured ones with the CPU time around them. */
    private static RttReport.Meas session(final StandaloneRuntime client, final URI uri, final long childPid,
            final Kind kind, final Run run, final int warm, final int samples) throws Exception {
        try (Session s = client.connect(List.of(uri), RuntimePeer.clientOptions(), (x, m) -> { },
                Duration.ofSeconds(20))) {
            run.run(s, warm, 1, new Result(kind));
            new CpuMeter(childPid).awaitJitQuiet(); // as TransportBench: time compiled code, not C2 at work beside it
            final Snapshot snap = new Snapshot(childPid);
            final Result r = new Result(kind);
            run.run(s, 0, samples, r);
            return snap.done(r);
        }
    }

    /** CPU time and context switches of both processes at the start of a measurement. */
    private static final class Snapshot {
        private final long childPid;
        private final ProcStats parent;
        private final ProcStats child;

        Snapshot(final long childPid) {
            this.childPid = childPid;
            this.parent = ProcStats.of(ProcessHandle.current().pid());
            this.child = ProcStats.of(childPid);
        }

        RttReport.Meas done(final Result r) {
            return new RttReport.Meas(r, ProcStats.of(ProcessHandle.current().pid()).perOp(parent, r.samples),
                    ProcStats.of(childPid).perOp(child, r.samples));
        }
    }

    private static void print(final int round, final String scheme, final String what, final RttReport.Meas m) {
        final Result r = m.r;
        System.out.printf("round %d %-5s %-12s p50 %7.2f us  p90 %7.2f  p99 %7.2f  mean %7.2f  | CPU/rt us: client"
                + " %.1f server %.1f | ctx switches/rt: client %.2f+%.2f server %.2f+%.2f  (n=%d, load %s)%n",
                round, scheme, what, r.p50, r.p90, r.p99, r.mean, m.parent[0], m.child[0], m.parent[1], m.parent[2],
                m.child[1], m.child[2], r.samples, RttReport.load());
    }

    private static String machine() {
        String cpu = "?";
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            cpu = lines.filter(l -> l.startsWith("model name")).findFirst().map(l -> l.replaceFirst(".*:\\s*", ""))
                    .orElse("?");
        } catch (Exception e) {
            // not Linux
        }
        return "machine: " + Runtime.getRuntime().availableProcessors() + " CPUs (nproc), " + cpu + ", "
                + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                + "\nJVM flags (parent): " + java.lang.management.ManagementFactory.getRuntimeMXBean()
                        .getInputArguments()
                + ", children: " + PeerProcess.JVM_FLAGS + "\ndate: "
                + ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                + ", load average at start: " + RttReport.load();
    }
}
