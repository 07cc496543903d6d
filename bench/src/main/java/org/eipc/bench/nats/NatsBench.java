package org.eipc.bench.nats;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.eipc.bench.transport.PeerProcess;
import org.eipc.transport.nats.impl.NatsTransport;

import io.nats.client.Nats;
import io.nats.client.Options;

/**
 * Cross-process NATS benchmark (plain Java, not JMH), in the style of {@code TransportBench}: one nats-server on
 * loopback, and for every measurement a child JVM ({@link NatsBenchPeer}) that serves it. In one run it measures
 * the 64-byte round trip and one-way throughput of 64 B and 64 KiB messages through the EIPC NATS transport
 * (default configuration, bytes only: the transport's own cost, no frames or MAC) and, beside each, the same
 * through jnats directly (request/reply, publish/subscribe). Command: bench/README.md.
 *
 * <pre>
 * NatsBench [--nats-server PATH] [--quick] [--out FILE]
 * </pre>
 */
public final class NatsBench {
    private NatsBench() {
    }

    public static void main(final String[] args) throws Exception {
        String binary = "nats-server";
        boolean quick = false;
        Path outFile = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--nats-server":
                    binary = args[++i];
                    break;
                case "--quick":
                    quick = true;
                    break;
                case "--out":
                    outFile = Path.of(args[++i]);
                    break;
                default:
                    System.err.println("usage: NatsBench [--nats-server PATH] [--quick] [--out FILE]");
                    System.exit(2);
            }
        }
        final int scale = quick ? 10 : 1;
        final StringBuilder md = new StringBuilder();
        final Path dir = Files.createTempDirectory("eipc-nats-bench");
        final Path log = Path.of(System.getProperty("java.io.tmpdir"), "eipc-nats-bench-peer.log");
        final String loadStart = load();
        final String started = Instant.now().toString();
        try (NatsServerProcess server = NatsServerProcess.start(binary, dir);
             NatsTransport transport = new NatsTransport()) {
            // the raw publisher's only flow control: a bounded outgoing queue that blocks publish when full
            final io.nats.client.Connection nc = Nats.connect(new Options.Builder().server(server.url()).build());
            try {
                md.append(header(String.join(" ", args), server.version(), started, loadStart));
                final long[] raw = rawRtt(server, nc, log, 5_000 / scale, 20_000 / scale);
                final long[] ours = transportRtt(server, transport, log, 5_000 / scale, 20_000 / scale);
                md.append(rttTable(raw, ours));
                final double raw64 = rawOneWay(server, log, 64, 200_000 / scale, 1_000_000 / scale);
                final double ours64 = transportOneWay(server, transport, log, 64, 200_000 / scale,
                        1_000_000 / scale);
                final double raw64k = rawOneWay(server, log, 65_536, 2_000 / scale, 16_384 / scale);
                final double ours64k = transportOneWay(server, transport, log, 65_536, 2_000 / scale,
                        16_384 / scale);
                md.append(throughputTable(raw64, ours64, raw64k, ours64k));
                md.append(targets(raw, ours, raw64, ours64, raw64k, ours64k));
            } finally {
                nc.close();
            }
        }
        Files.deleteIfExists(dir.resolve("nats.conf"));
        Files.deleteIfExists(dir);
        md.append("\n- load average at the end: ").append(load()).append('\n');
        System.out.println(md);
        if (outFile != null) {
            Files.writeString(outFile, md.toString());
        }
    }

    private static long[] rawRtt(final NatsServerProcess s, final io.nats.client.Connection nc, final Path log,
            final int warm, final int samples) throws Exception {
        try (PeerProcess peer = PeerProcess.start(NatsBenchPeer.class, List.of(), log, "raw-echo", s.url(),
                "bench.raw.echo")) {
            return NatsRuns.rawRtt(nc, peer.address(), warm, samples);
        }
    }

    private static long[] transportRtt(final NatsServerProcess s, final NatsTransport t, final Path log,
            final int warm, final int samples) throws Exception {
        try (PeerProcess peer = PeerProcess.start(NatsBenchPeer.class, List.of(), log, "echo",
                s.url() + "/bench.echo")) {
            return NatsRuns.transportRtt(t, URI.create(peer.address()), warm, samples);
        }
    }

    private static double rawOneWay(final NatsServerProcess s, final Path log, final int size, final long warm,
            final long count) throws Exception {
        final String subject = "bench.raw.sink" + size;
        // the raw publisher's only flow control: a bounded outgoing queue (about 4 MiB, the transport's default
        // window) that blocks publish while it is full
        final io.nats.client.Connection pub = Nats.connect(new Options.Builder().server(s.url())
                .maxMessagesInOutgoingQueue(Math.max(64, (4 << 20) / size))
                .writeQueuePushTimeout(java.time.Duration.ofSeconds(30)).build());
        try (PeerProcess peer = PeerProcess.start(NatsBenchPeer.class, List.of(), log, "raw-sink", s.url(),
                subject, String.valueOf(warm), String.valueOf(count))) {
            return NatsRuns.rawOneWay(pub, peer.address(), size, warm, count);
        } finally {
            pub.close();
        }
    }

    private static double transportOneWay(final NatsServerProcess s, final NatsTransport t, final Path log,
            final int size, final long warm, final long count) throws Exception {
        try (PeerProcess peer = PeerProcess.start(NatsBenchPeer.class, List.of(), log, "sink",
                s.url() + "/bench.sink" + size, String.valueOf(size), String.valueOf(warm), String.valueOf(count))) {
            return NatsRuns.transportOneWay(t, URI.create(peer.address()), size, warm, count);
        }
    }

    private static String header(final String args, final String version, final String date, final String load)
            throws IOException {
        return "# NATS transport benchmark, 2026-11-23\n\n"
                + "- machine: " + Runtime.getRuntime().availableProcessors() + " CPUs, " + cpuModel() + "\n"
                + "- JDK: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version")
                + ", JVM flags (both processes) " + String.join(" ", ManagementFactory.getRuntimeMXBean()
                        .getInputArguments()) + "\n"
                + "- NATS: " + version + " on loopback (max_pending 1 GiB, write_deadline 30s), jnats 2.26.2\n"
                + "- date: " + date + "\n"
                + "- load average (/proc/loadavg) at start: " + load + "\n"
                + "- command (in `bench/`): `java -Xms256m -Xmx256m -XX:+UseParallelGC -cp \"target/eipc-bench-"
                + "0.1.0-SNAPSHOT.jar:$(cat target/classpath.txt)\" org.eipc.bench.nats.NatsBench " + args + "`\n\n"
                + "RTT: 64-byte messages. `nats` is the EIPC NATS transport (a child JVM echoes every byte; the ping"
                + " is sent from the delivery thread of the reply), `raw-jnats` is `Connection.request` with a child"
                + " that replies with the payload. One-way: `nats` offers 4-byte-prefixed messages (bytes only, no"
                + " frame or MAC: the transport's own cost; flow control by the transport's credit) to a child that"
                + " counts them; `raw-jnats` publishes the same payload sizes to a child that counts them (its only"
                + " flow control: a bounded outgoing queue of about 4 MiB that blocks publish). Each timed to the"
                + " receiver's acknowledgement of the last message.\n\n";
    }

    private static String rttTable(final long[] raw, final long[] ours) {
        Arrays.sort(raw);
        Arrays.sort(ours);
        final StringBuilder b = new StringBuilder("Round trip, 64 B (µs)\n\n| kind | p50 | p90 | p99 | p50 / raw |"
                + " p99 / raw |\n|---|---:|---:|---:|---:|---:|\n");
        b.append(row("raw-jnats", raw, raw)).append(row("nats", ours, raw)).append('\n');
        return b.toString();
    }

    private static String row(final String kind, final long[] r, final long[] base) {
        return String.format(Locale.ROOT, "| %s | %.2f | %.2f | %.2f | %.2f | %.2f |\n", kind, p(r, 0.5), p(r, 0.9),
                p(r, 0.99), p(r, 0.5) / p(base, 0.5), p(r, 0.99) / p(base, 0.99));
    }

    private static double p(final long[] sorted, final double q) {
        return sorted[(int) (sorted.length * q)] / 1e3;
    }

    private static String throughputTable(final double raw64, final double ours64, final double raw64k,
            final double ours64k) {
        return String.format(Locale.ROOT, "One-way throughput\n\n| kind | 64 B msgs/s | raw / ours | 64 KiB msgs/s |"
                + " 64 KiB GB/s | raw / ours |\n|---|---:|---:|---:|---:|---:|\n"
                + "| raw-jnats | %,.0f | 1.00 | %,.0f | %.3f | 1.00 |\n"
                + "| nats | %,.0f | %.2f | %,.0f | %.3f | %.2f |\n\n",
                raw64, raw64k, raw64k * 65_536 / 1e9, ours64, raw64 / ours64, ours64k, ours64k * 65_536 / 1e9,
                raw64k / ours64k);
    }

    private static String targets(final long[] raw, final long[] ours, final double raw64, final double ours64,
            final double raw64k, final double ours64k) {
        final List<String> l = new ArrayList<>();
        l.add(target("RTT p50 within 1.3x of raw jnats request/reply", p(ours, 0.5) / p(raw, 0.5)));
        l.add(target("64 B one-way within 1.3x of raw jnats publish/subscribe", raw64 / ours64));
        l.add(target("64 KiB one-way within 1.3x of raw jnats publish/subscribe", raw64k / ours64k));
        return "Targets (overhead over raw jnats at most 1.3x):\n\n" + String.join("\n", l) + "\n";
    }

    private static String target(final String what, final double overhead) {
        return String.format(Locale.ROOT, "- %s %s: %.2fx", overhead <= 1.3 ? "MET    " : "NOT MET", what, overhead);
    }

    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String cpuModel() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
            if (line.startsWith("model name")) {
                return line.substring(line.indexOf(':') + 1).trim();
            }
        }
        return "unknown CPU";
    }
}
