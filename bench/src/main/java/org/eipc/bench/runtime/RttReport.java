package org.eipc.bench.runtime;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

import org.eipc.bench.transport.Result;

/** The rows of one {@link RuntimeRttBench} run and their Markdown: percentiles and the runtime / bare ratios. */
final class RttReport {
    final String machine;
    private final String args;
    private final int warm;
    private final int samples;
    private final List<Row> rows = new ArrayList<>();
    private final List<String> handoffs = new ArrayList<>();

    RttReport(final String args, final String machine, final int warm, final int samples) {
        this.args = args;
        this.machine = machine;
        this.warm = warm;
        this.samples = samples;
    }

    /** One scheme in one round. */
    static final class Row {
        final int round;
        final String scheme;
        Meas raw;
        Meas bare;
        Meas chained;
        Meas blocking;
        Meas call;
        final java.util.Map<String, Meas> ablations = new java.util.LinkedHashMap<>();

        Row(final int round, final String scheme) {
            this.round = round;
            this.scheme = scheme;
        }
    }

    /** One measurement: percentiles, and per round trip the client's and the server's CPU µs and switches. */
    static final class Meas {
        final Result r;
        /** CPU µs, voluntary and involuntary context switches per round trip (this process, the client). */
        final double[] parent;
        /** The same for the child (the echo peer or the runtime server). */
        final double[] child;

        Meas(final Result r, final double[] parent, final double[] child) {
            this.r = r;
            this.parent = parent;
            this.child = child;
        }
    }

    void handoff(final int round, final Meas m) {
        handoffs.add(String.format("| %d | %.2f | %.2f | %.2f | %.2f | %.1f | %.2f + %.2f |", round, m.r.p50, m.r.p90,
                m.r.p99, m.r.mean, m.parent[0], m.parent[1], m.parent[2]));
    }

    Row row(final int round, final String scheme) {
        final Row r = new Row(round, scheme);
        rows.add(r);
        return r;
    }

    static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (Exception e) {
            return "?";
        }
    }

    String markdown() {
        final StringBuilder b = new StringBuilder();
        b.append(machine).append("\nload average at end: ").append(load()).append(", end: ")
                .append(ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME))
                .append("\nargs: `").append(args).append("`; ").append(warm).append(" warm-up and ").append(samples)
                .append(" measured round trips per line\n\n");
        b.append("Round trip, 64 B payload (µs); CPU µs and context switches (voluntary + involuntary) per round trip,"
                + " client and server process (from /proc, 10 ms ticks)\n\n| round | scheme | what | p50 | p90 | p99 |"
                + " mean | p50 / bare | p99 / bare | mean / bare | CPU client | CPU server | switches client |"
                + " switches server |\n|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Row r : rows) {
            line(b, r, "raw", r.raw, r.bare);
            line(b, r, "bare transport", r.bare, r.bare);
            line(b, r, "frames + HMAC on the I/O threads", r.ablations.get("frames"), r.bare);
            line(b, r, "frames + HMAC + one hand-off per side", r.ablations.get("frames-handoff"), r.bare);
            line(b, r, "runtime, chained", r.chained, r.bare);
            line(b, r, "runtime, blocking caller", r.blocking, r.bare);
            line(b, r, "runtime, session.call", r.call, r.bare);
        }
        if (!handoffs.isEmpty()) {
            b.append("\nOne hand-off to an idle thread of a fixed pool of two (execute() until the task starts; in"
                    + " process; the runtime makes two per chained round trip, three with a blocking caller), µs;"
                    + " CPU µs and switches per hand-off for the whole process\n\n| round | p50 | p90 | p99 | mean |"
                    + " CPU | switches |\n|---:|---:|---:|---:|---:|---:|---:|\n");
            for (String h : handoffs) {
                b.append(h).append('\n');
            }
        }
        b.append("\nTarget: runtime round trip within ").append(RuntimeRttBench.TARGET)
                .append("x of the bare transport's (p50):\n\n");
        for (Row r : rows) {
            verdict(b, r, "chained", r.chained);
            verdict(b, r, "blocking caller", r.blocking);
            verdict(b, r, "session.call", r.call);
        }
        return b.toString();
    }

    private static void line(final StringBuilder b, final Row row, final String what, final Meas m,
            final Meas bareM) {
        if (m == null) {
            return;
        }
        final Result r = m.r;
        final Result bare = bareM == null ? null : bareM.r;
        b.append(String.format("| %d | %s | %s | %.2f | %.2f | %.2f | %.2f | %s | %s | %s | %.1f | %.1f | %.2f + %.2f |"
                + " %.2f + %.2f |%n", row.round, row.scheme, what, r.p50, r.p90, r.p99, r.mean,
                ratio(r.p50, bare == null ? 0 : bare.p50), ratio(r.p99, bare == null ? 0 : bare.p99),
                ratio(r.mean, bare == null ? 0 : bare.mean), m.parent[0], m.child[0], m.parent[1], m.parent[2],
                m.child[1], m.child[2]));
    }

    private static void verdict(final StringBuilder b, final Row row, final String what, final Meas m) {
        if (m == null || row.bare == null) {
            return;
        }
        final Result r = m.r;
        final Result bare = row.bare.r;
        final double x = r.p50 / bare.p50;
        b.append(String.format("- %s round %d %s, runtime %s: p50 %.2f µs vs bare %.2f µs = **%.2fx** (mean %.2fx)%n",
                x <= RuntimeRttBench.TARGET ? "MET    " : "NOT MET", row.round, row.scheme, what, r.p50,
                bare.p50, x, r.mean / bare.mean));
    }

    private static String ratio(final double v, final double base) {
        return base <= 0 ? "-" : String.format("%.2f", v / base);
    }
}
