package org.eipc.bench.transport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

/** Formats the results: machine, table with ratios to the raw sockets, targets, the Go reference. */
final class Report {
    // the Go reference on this machine (eipc-protocol.md section 7, vectors/eipc-go/bench/summary.txt)
    private static final double GO_TCP_RTT_P50 = 66.6;
    private static final double GO_UNIX_RTT_P50 = 54.0;
    private static final double GO_SHM_RTT_P50 = 2.8;
    private static final double GO_TCP_64 = 78_265;
    private static final double GO_UNIX_64 = 48_730;
    private static final double GO_SHM_64 = 397_179;
    private static final double GO_TCP_64K_MBS = 161.0;
    private static final double GO_UNIX_64K_MBS = 125.6;

    private final String args;
    private final int scale;
    private final ZonedDateTime start = ZonedDateTime.now(ZoneOffset.UTC);
    private final String loadAtStart = read("/proc/loadavg").trim();

    Report(final String args, final int scale) {
        this.args = args;
        this.scale = scale;
    }

    String machine() {
        return "machine: " + Runtime.getRuntime().availableProcessors() + " CPUs (nproc), " + cpuModel() + ", "
                + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version") + "\n"
                + "date: " + start.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME) + ", load average at start: "
                + loadAtStart;
    }

    String table(final List<Result> results) {
        final StringBuilder b = new StringBuilder();
        b.append("Round trip, 64 B (µs)\n\n| kind | p50 | p90 | p99 | p50 / raw | p99 / raw |\n");
        b.append("|---|---:|---:|---:|---:|---:|\n");
        for (Result r : results) {
            final Result raw = find(results, r.kind.baseline());
            b.append(String.format("| %s | %.2f | %.2f | %.2f | %s | %s |%n", r.kind.label, r.p50, r.p90, r.p99,
                    ratio(r.p50, raw == null ? 0 : raw.p50), ratio(r.p99, raw == null ? 0 : raw.p99)));
        }
        b.append("\nOne-way throughput (frames + HMAC: encoded, signed, decoded and verified per message; bytes only:"
                + " the same bytes, no codec work; raw: bytes only)\n\n"
                + "| kind | 64 B msgs/s, frames + HMAC | / raw | 64 B msgs/s, bytes only | / raw |"
                + " 64 KiB GB/s, frames + HMAC | / raw | 64 KiB GB/s, bytes only | / raw |\n");
        b.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Result r : results) {
            final Result raw = find(results, r.kind.baseline());
            b.append(String.format("| %s | %,.0f | %s | %,.0f | %s | %.3f | %s | %.3f | %s |%n", r.kind.label,
                    r.smallMsgs, ratio(r.smallMsgs, raw == null ? 0 : raw.smallMsgs), r.smallMsgsBytes,
                    ratio(r.smallMsgsBytes, raw == null ? 0 : raw.smallMsgsBytes), r.largeGbs,
                    ratio(r.largeGbs, raw == null ? 0 : raw.largeGbs), r.largeGbsBytes,
                    ratio(r.largeGbsBytes, raw == null ? 0 : raw.largeGbsBytes)));
        }
        b.append("\nCPU per message in the timed part (frames + HMAC; raw: bytes), µs: all threads of the sending"
                + " and of the receiving process (GC and JIT threads included; an shm receiver that waits for data"
                + " spins, and that counts too). \"2 free cores\" estimates what these costs allow when each process"
                + " has a core to itself: 1 / max(sender, receiver).\n\n"
                + "| kind | 64 B sender | 64 B receiver | 64 B msgs/s on 2 free cores | 64 KiB sender | 64 KiB receiver"
                + " | 64 KiB GB/s on 2 free cores |\n");
        b.append("|---|---:|---:|---:|---:|---:|---:|\n");
        for (Result r : results) {
            b.append(String.format("| %s | %.2f | %.2f | %,.0f | %.1f | %.1f | %.3f |%n", r.kind.label,
                    r.smallCpuSender, r.smallCpuReceiver, 1e6 / Math.max(r.smallCpuSender, r.smallCpuReceiver),
                    r.largeCpuSender, r.largeCpuReceiver,
                    1e6 / Math.max(r.largeCpuSender, r.largeCpuReceiver) * 65_536 / 1e9));
        }
        b.append("\nCPU per 64 B message by thread (µs, same runs; /proc/<pid>/task, 10 ms ticks): main = the"
                + " sending loop (encode, sign, offer), transport = the transports' threads (I/O loop, shm ring;"
                + " the receiver decodes and verifies there), JIT = C1/C2 compiler threads, other = GC, VM and the"
                + " rest\n\n| kind | sender main | sender transport | sender JIT | sender other | receiver transport"
                + " | receiver JIT | receiver main + other | sender without JIT | receiver without JIT |\n");
        b.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Result r : results) {
            final double[] s = r.smallSenderBy;
            final double[] c = r.smallReceiverBy;
            if (s == null || c == null) {
                continue;
            }
            b.append(String.format("| %s | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f |%n",
                    r.kind.label, s[0], s[1], s[2], s[3], c[1], c[2], c[0] + c[3], s[0] + s[1] + s[3],
                    c[0] + c[1] + c[3]));
        }
        b.append("\nSystem calls per 64 B message in the same runs (/proc/<pid>/io syscw and syscr: reads and writes on"
                + " sockets, pipes and eventfds; a selector wake-up is a write of the waker and a read of the woken)"
                + "\n\n| kind | sender writes | sender reads | receiver writes | receiver reads |\n");
        b.append("|---|---:|---:|---:|---:|\n");
        for (Result r : results) {
            b.append(String.format("| %s | %.3f | %.3f | %.3f | %.3f |%n", r.kind.label, r.smallSenderWrites,
                    r.smallSenderReads, r.smallReceiverWrites, r.smallReceiverReads));
        }
        return b.toString();
    }

    String targets(final Map<Kind, Result> r) {
        final StringBuilder b = new StringBuilder("Targets:\n");
        rttTarget(b, r, Kind.TCP);
        rttTarget(b, r, Kind.UNIX);
        if (r.containsKey(Kind.SHM)) {
            verdict(b, String.format("shm RTT p50 < 5 µs: %.2f µs", r.get(Kind.SHM).p50), r.get(Kind.SHM).p50 < 5);
        }
        for (Kind k : new Kind[] {Kind.UNIX, Kind.SHM}) {
            if (r.containsKey(k)) {
                verdict(b, String.format("%s ≥ 1,000,000 msgs/s one-way 64 B with HMAC: %,.0f (bytes only: %,.0f)",
                        k.label, r.get(k).smallMsgs, r.get(k).smallMsgsBytes), r.get(k).smallMsgs >= 1_000_000);
            }
        }
        if (r.containsKey(Kind.SHM)) {
            verdict(b, String.format("shm ≥ 1 GB/s one-way 64 KiB with HMAC: %.3f GB/s (bytes only: %.3f GB/s)",
                    r.get(Kind.SHM).largeGbs, r.get(Kind.SHM).largeGbsBytes), r.get(Kind.SHM).largeGbs >= 1);
        }
        goTarget(b, r, Kind.TCP, GO_TCP_64);
        goTarget(b, r, Kind.UNIX, GO_UNIX_64);
        goTarget(b, r, Kind.SHM, GO_SHM_64);
        return b.toString();
    }

    String goComparison(final Map<Kind, Result> r) {
        final StringBuilder b = new StringBuilder();
        b.append("| | Go RTT p50 µs | ours | Go 64 B msgs/s | ours | x | Go 64 KiB MB/s | ours | x |\n");
        b.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        goRow(b, r.get(Kind.TCP), "tcp", GO_TCP_RTT_P50, GO_TCP_64, GO_TCP_64K_MBS);
        goRow(b, r.get(Kind.UNIX), "unix", GO_UNIX_RTT_P50, GO_UNIX_64, GO_UNIX_64K_MBS);
        goRow(b, r.get(Kind.SHM), "shm (Go: in-process, no MAC)", GO_SHM_RTT_P50, GO_SHM_64, 0);
        return b.toString();
    }

    String markdown(final String table, final String codec, final String targets, final String go) {
        return "# Cross-process transport benchmark, " + start.toLocalDate() + "\n\n"
                + "- machine: " + Runtime.getRuntime().availableProcessors() + " CPUs (nproc), " + cpuModel() + "\n"
                + "- JDK: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                + ", JVM flags (both processes) " + String.join(" ", PeerProcess.JVM_FLAGS) + "\n"
                + "- date: " + start.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME) + "\n"
                + "- load average (/proc/loadavg) at start: " + loadAtStart + "; at the end: "
                + read("/proc/loadavg").trim() + "\n"
                + "- command (in `bench/`): `java " + String.join(" ", PeerProcess.JVM_FLAGS)
                + " -cp \"target/eipc-bench-0.1.0-SNAPSHOT.jar:$(cat target/classpath.txt)\""
                + " org.eipc.bench.transport.TransportBench " + args + "`\n\n"
                + "RTT: 64-byte messages behind a 4-byte length prefix, echoed byte for byte (no frame, no MAC), "
                + String.format("%,d samples after %,d warm-up round trips on a connection of their own and a wait"
                        + " until the compiler threads of both processes were idle",
                        TransportBench.RTT_SAMPLES / scale, TransportBench.RTT_WARM / scale)
                + ". One-way: EIPC frames (" + Wire.wireLength(64) + " B on the wire with prefix, header and MAC for "
                + "64 B of payload, " + Wire.wireLength(65536) + " B for 64 KiB) "
                + "encoded with `FrameEncoder` and signed with `HmacSha256Provider` per message, decoded and "
                + "verified with `StreamDecoder` (STRICT) by the receiver; "
                + String.format("%,d (64 B) or %,d (64 KiB)", 1_000_000 / scale, 16_384 / scale)
                + String.format(" messages after %,d or %,d warm-up messages,", 200_000 / scale, 2_000 / scale)
                + " timed up to the receiver's acknowledgement of the last one"
                + (CpuMeter.jitQuietMillis > 0 ? ", after waiting until the compiler threads of both processes had"
                        + " been idle for " + CpuMeter.jitQuietMillis + " ms" : "") + ". \"Bytes "
                + "only\" offers one frame encoded beforehand again and again and the receiver only counts "
                + "length-prefixed messages: the transport's own cost. The raw sockets move the same byte counts "
                + "(length prefix + as many bytes, through 64 KiB buffered streams) without MAC. Ratios: shm is "
                + "compared with the raw Unix domain socket.\n\n"
                + table + "\n" + codec + "\n\n"
                + targets.strip().replace("\n", "\n- ").replace("Targets:\n", "Targets:\n\n")
                + "\n\n## The Go reference (same machine, `vectors/eipc-go/bench/summary.txt`)\n\n"
                + "The reference's RTT carries a signed frame both ways; ours measures the transport with "
                + "length-prefixed bytes. Its stream numbers are with HMAC, like ours.\n\n" + go;
    }

    private static void rttTarget(final StringBuilder b, final Map<Kind, Result> r, final Kind k) {
        final Result raw = r.get(k.baseline());
        if (r.containsKey(k) && raw != null) {
            final double ratio = r.get(k).p50 / raw.p50;
            verdict(b, String.format("%s RTT p50 within 1.3x of raw blocking ping-pong: %.2f µs vs %.2f µs = %.2fx",
                    k.label, r.get(k).p50, raw.p50, ratio), ratio <= 1.3);
        }
    }

    private static void goTarget(final StringBuilder b, final Map<Kind, Result> r, final Kind k, final double go) {
        if (r.containsKey(k)) {
            final double x = r.get(k).smallMsgs / go;
            verdict(b, String.format("%s ≥ 10x the Go reference's 64 B msgs/s (%,.0f): %,.0f = %.1fx", k.label, go,
                    r.get(k).smallMsgs, x), x >= 10);
        }
    }

    private static void goRow(final StringBuilder b, final Result r, final String name, final double rtt,
            final double msgs, final double mbs) {
        if (r == null) {
            return;
        }
        b.append(String.format("| %s | %.1f | %.2f | %,.0f | %,.0f | %.1f | %s | %.0f | %s |%n", name, rtt, r.p50,
                msgs, r.smallMsgs, r.smallMsgs / msgs, mbs > 0 ? String.format("%.1f", mbs) : "impossible",
                r.largeGbs * 1000, mbs > 0 ? String.format("%.1f", r.largeGbs * 1000 / mbs) : "-"));
    }

    private static void verdict(final StringBuilder b, final String what, final boolean met) {
        b.append(met ? "MET     " : "NOT MET ").append(what).append('\n');
    }

    private static Result find(final List<Result> results, final Kind k) {
        for (Result r : results) {
            if (r.kind == k) {
                return r;
            }
        }
        return null;
    }

    private static String ratio(final double a, final double b) {
        return b > 0 ? String.format("%.2f", a / b) : "-";
    }

    private static String cpuModel() {
        for (String line : read("/proc/cpuinfo").split("\n")) {
            if (line.startsWith("model name")) {
                return line.substring(line.indexOf(':') + 1).trim();
            }
        }
        return "unknown CPU";
    }

    private static String read(final String file) {
        try {
            return Files.readString(Path.of(file));
        } catch (IOException e) {
            return "";
        }
    }
}
