package org.eipc.bench.broker;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.eipc.api.Header;
import org.eipc.api.Message;
import org.eipc.api.MessageType;
import org.eipc.service.broker.OverflowPolicy;
import org.eipc.service.broker.Subscriber;
import org.eipc.service.broker.SubscriberOptions;
import org.eipc.service.broker.Subscription;
import org.eipc.service.broker.impl.BrokerComponent;

/**
 * Fan-out latency of the broker with and without one slow subscriber, in one run (plain Java, not JMH). One
 * publisher thread publishes at a fixed rate (bursts every millisecond) to {@code fast} in-host subscribers; each
 * message carries its publish time, and every fast subscriber records publish-to-handler latency. Phases
 * alternate: without the slow subscriber, with it, and again, so drift of a shared machine shows. The slow
 * subscriber sleeps {@code slowMillis} in every message (a subscriber stuck on I/O) with a queue of 1,024 and
 * {@code drop_oldest}. The broker runs with its configuration defaults (2 delivery threads).
 *
 * <pre>
 * BrokerFanoutBench [--fast 8] [--rate 20000] [--messages 100000] [--slow-millis 2] [--rounds 2] [--out FILE]
 * </pre>
 */
public final class BrokerFanoutBench {
    private static final String TOPIC = "bench.fanout.prices";

    private BrokerFanoutBench() {
    }

    /** Records publish-to-delivery latency of each message (payload: sequence, publish nanoTime). */
    private static final class Fast implements Subscriber {
        final long[] latency;
        final AtomicInteger count = new AtomicInteger();

        Fast(final int messages) {
            latency = new long[messages];
        }

        @Override
        public void onMessage(final String topic, final Message message) {
            final long now = System.nanoTime();
            final ByteBuffer p = message.payload();
            final int seq = p.getInt(0);
            final long sent = p.getLong(4);
            if (seq >= 0 && seq < latency.length) {
                latency[seq] = now - sent;
            }
            count.incrementAndGet();
        }
    }

    /** A subscriber stuck on I/O: sleeps in every message. */
    private static final class Slow implements Subscriber {
        private final long millis;

        Slow(final long millis) {
            this.millis = millis;
        }

        @Override
        public void onMessage(final String topic, final Message message) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    record Phase(String name, double p50, double p90, double p99, double p999, double max, long slowDelivered,
            long slowDropped, int threads, long gcMillis) {
    }

    private static long gcMillis() {
        long t = 0;
        for (java.lang.management.GarbageCollectorMXBean gc : java.lang.management.ManagementFactory
                .getGarbageCollectorMXBeans()) {
            t += Math.max(0, gc.getCollectionTime());
        }
        return t;
    }

    public static void main(final String[] args) throws Exception {
        int fast = 8;
        int rate = 20_000;
        int messages = 100_000;
        long slowMillis = 2;
        int rounds = 2;
        Path out = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--fast" -> fast = Integer.parseInt(args[++i]);
                case "--rate" -> rate = Integer.parseInt(args[++i]);
                case "--messages" -> messages = Integer.parseInt(args[++i]);
                case "--slow-millis" -> slowMillis = Long.parseLong(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                default -> {
                    System.err.println("usage: BrokerFanoutBench [--fast N] [--rate MSGS_PER_S] [--messages N]"
                            + " [--slow-millis MS] [--rounds N] [--out FILE]");
                    System.exit(2);
                }
            }
        }
        final ZonedDateTime start = ZonedDateTime.now(ZoneOffset.UTC);
        final String loadStart = loadavg();
        final List<Phase> phases = new ArrayList<>();
        try (BrokerComponent broker = new BrokerComponent()) {
            // warm-up: both shapes, not recorded
            run(broker, "warm-up", fast, rate, messages / 2, 0);
            run(broker, "warm-up", fast, rate, messages / 2, slowMillis);
            for (int r = 1; r <= rounds; r++) {
                phases.add(print(run(broker, "without slow subscriber #" + r, fast, rate, messages, 0)));
                phases.add(print(run(broker, "with one slow subscriber #" + r, fast, rate, messages, slowMillis)));
            }
        }
        final String report = report(phases, fast, rate, messages, slowMillis, start, loadStart, loadavg(), args);
        System.out.println(report);
        if (out != null) {
            Files.writeString(out, report);
        }
    }

    private static Phase print(final Phase p) {
        System.out.printf("%-28s p50 %8.1f us  p90 %8.1f  p99 %8.1f  p99.9 %8.1f  max %9.1f  slow: delivered %d,"
                + " dropped %d; delivery threads %d; GC %d ms%n", p.name, p.p50, p.p90, p.p99, p.p999, p.max,
                p.slowDelivered, p.slowDropped, p.threads, p.gcMillis);
        return p;
    }

    private static Phase run(final BrokerComponent broker, final String name, final int fastCount, final int rate,
            final int messages, final long slowMillis) throws InterruptedException {
        final List<Fast> fast = new ArrayList<>();
        final List<Subscription> subs = new ArrayList<>();
        for (int i = 0; i < fastCount; i++) {
            final Fast f = new Fast(messages);
            fast.add(f);
            // every fast subscriber's queue holds the whole phase: it never drops, so its latency is all we see
            subs.add(broker.subscribe(i % 2 == 0 ? "bench.fanout.*" : "bench.>", SubscriberOptions.builder()
                    .queueDepth(Math.min(messages, 65_536)).overflow(OverflowPolicy.DROP_NEWEST).build(), f));
        }
        Subscription slow = null;
        if (slowMillis > 0) {
            slow = broker.subscribe(TOPIC, SubscriberOptions.builder().queueDepth(1024)
                    .overflow(OverflowPolicy.DROP_OLDEST).build(), new Slow(slowMillis));
        }
        final long gcBefore = gcMillis();
        final int burst = Math.max(1, rate / 1000);
        final long t0 = System.nanoTime();
        int seq = 0;
        for (long tick = 0; seq < messages; tick++) {
            final long due = t0 + TimeUnit.MILLISECONDS.toNanos(tick);
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            for (int b = 0; b < burst && seq < messages; b++, seq++) {
                final byte[] payload = new byte[64];
                ByteBuffer.wrap(payload).putInt(seq).putLong(System.nanoTime());
                broker.publish(TOPIC, Message.of(MessageType.INTENT, Header.builder().build(), payload));
            }
        }
        final long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        for (Fast f : fast) {
            while (f.count.get() < messages && System.nanoTime() < end) {
                Thread.sleep(1);
            }
        }
        final int threads = threadsNamed("eipc-broker-delivery");
        long slowDelivered = 0;
        long slowDropped = 0;
        if (slow != null) {
            slowDelivered = slow.stats().delivered();
            slowDropped = slow.stats().dropped();
            slow.close();
        }
        subs.forEach(Subscription::close);
        final long[] all = new long[fastCount * messages];
        int n = 0;
        for (Fast f : fast) {
            if (f.count.get() < messages) {
                throw new IllegalStateException(name + ": a fast subscriber got " + f.count.get() + " of " + messages);
            }
            System.arraycopy(f.latency, 0, all, n, messages);
            n += messages;
        }
        Arrays.sort(all);
        return new Phase(name, us(all, 0.50), us(all, 0.90), us(all, 0.99), us(all, 0.999), all[all.length - 1] / 1e3,
                slowDelivered, slowDropped, threads, gcMillis() - gcBefore);
    }

    private static double us(final long[] sorted, final double q) {
        return sorted[(int) Math.min(sorted.length - 1, Math.round(q * (sorted.length - 1)))] / 1e3;
    }

    private static int threadsNamed(final String prefix) {
        int n = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith(prefix)) {
                n++;
            }
        }
        return n;
    }

    private static String loadavg() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String report(final List<Phase> phases, final int fast, final int rate, final int messages,
            final long slowMillis, final ZonedDateTime start, final String loadStart, final String loadEnd,
            final String[] args) {
        final StringBuilder b = new StringBuilder();
        b.append("| phase | p50 µs | p90 µs | p99 µs | p99.9 µs | max µs | slow: delivered | slow: dropped |"
                + " delivery threads at the end | GC ms |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        double withoutP50 = 0;
        double withoutP99 = 0;
        double withP50 = 0;
        double withP99 = 0;
        for (Phase p : phases) {
            b.append(String.format("| %s | %.1f | %.1f | %.1f | %.1f | %.1f | %d | %d | %d | %d |%n", p.name, p.p50,
                    p.p90, p.p99, p.p999, p.max, p.slowDelivered, p.slowDropped, p.threads, p.gcMillis));
            if (p.name.startsWith("without")) {
                withoutP50 = Math.max(withoutP50, p.p50);
                withoutP99 = Math.max(withoutP99, p.p99);
            } else {
                withP50 = Math.max(withP50, p.p50);
                withP99 = Math.max(withP99, p.p99);
            }
        }
        b.append(String.format("%nWorst phase with the slow subscriber against the worst without: p50 %.1f / %.1f ="
                + " %.2fx, p99 %.1f / %.1f = %.2fx%n", withP50, withoutP50, withP50 / withoutP50, withP99, withoutP99,
                withP99 / withoutP99));
        b.append(String.format("Target (fast subscribers' latency with one slow subscriber within 2x of without):"
                + " p50 %s, p99 %s%n", withP50 <= 2 * withoutP50 ? "MET" : "NOT MET",
                withP99 <= 2 * withoutP99 ? "MET" : "NOT MET"));
        b.append(String.format("%nSettings: %d fast subscribers, %,d messages/s in bursts every ms, %,d messages per"
                + " phase (64-byte payload), slow subscriber sleeps %d ms per message (queue 1,024, drop_oldest); "
                + "args: %s%n", fast, rate, messages, slowMillis, String.join(" ", args)));
        b.append("Machine: ").append(Runtime.getRuntime().availableProcessors()).append(" CPUs (availableProcessors), ")
                .append(System.getProperty("java.vm.name")).append(' ').append(System.getProperty("java.runtime.version"))
                .append('\n');
        b.append("Started ").append(start.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)).append("; /proc/loadavg at"
                + " start: ").append(loadStart).append("; at the end: ").append(loadEnd).append('\n');
        return b.toString();
    }
}
