package org.eipc.bench.runtime;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.eipc.api.Endpoint;
import org.eipc.api.Header;
import org.eipc.api.Message;
import org.eipc.api.MessageType;
import org.eipc.api.SendResult;
import org.eipc.api.Session;
import org.eipc.runtime.EipcRuntimes;
import org.eipc.runtime.EndpointOptions;
import org.eipc.runtime.FixedKeyring;
import org.eipc.runtime.StandaloneRuntime;
import org.eipc.security.hmac.impl.HmacSha256Provider;
import org.eipc.spi.transport.Transport;
import org.eipc.transport.tcp.impl.TcpTransport;
import org.eipc.transport.unix.impl.UnixTransport;

/**
 * How long a session pauses when the server's transport leaves under a stream, with the transport drain (make before
 * break: {@code transportDrainTimeout} 1 s, the default) against break before make ({@code transportDrainTimeout} 0,
 * what the runtime did before), in the same run, in alternating blocks.
 *
 * <p>Two standalone runtimes in one JVM, each with its own TCP and Unix transports (as two processes would have):
 * the server listens on both; the client streams numbered 64 B messages (HMAC on, strict) as fast as the window
 * lets it. Each swap binds the other transport on the server and unbinds the one carrying the session, the way DS
 * does for a bundle stopped while its replacement is bound. The pause of a swap is the longest gap between two
 * consecutive arrivals at the server's handler from 5 ms before the unbind to 300 ms after it returned. The noise
 * floor is the same statistic over windows of the same length with no swap, from the same stream.
 *
 * <pre>
 * SwapPauseBench [--swaps 20] [--blocks 2] [--out FILE]
 * </pre>
 */
public final class SwapPauseBench {
    private static final int CAPACITY = 4_000_000;
    private static final long WINDOW_BEFORE = TimeUnit.MILLISECONDS.toNanos(5);
    private static final long WINDOW_AFTER = TimeUnit.MILLISECONDS.toNanos(300);
    private static final long BETWEEN = TimeUnit.MILLISECONDS.toNanos(400);

    private SwapPauseBench() {
    }

    public static void main(String[] args) throws Exception {
        int swaps = 20;
        int blocks = 2;
        Path out = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--swaps" -> swaps = Integer.parseInt(args[++i]);
                case "--blocks" -> blocks = Integer.parseInt(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                default -> {
                    System.err.println("usage: SwapPauseBench [--swaps N] [--blocks N] [--out FILE]");
                    System.exit(2);
                }
            }
        }
        String start = header();
        System.out.println(start);
        List<double[]> drain = new ArrayList<>();
        List<double[]> cut = new ArrayList<>();
        List<double[]> noise = new ArrayList<>();
        byte[] key = "eipc-swap-pause-bench-key-32byte".getBytes(StandardCharsets.US_ASCII);
        for (int b = 0; b < blocks; b++) {
            for (boolean makeBeforeBreak : new boolean[] {true, false}) {
                double[][] r = block(makeBeforeBreak, swaps, key);
                (makeBeforeBreak ? drain : cut).add(r[0]);
                System.out.printf(Locale.ROOT, "block %d %-18s pauses p50 %6.2f ms max %7.2f ms | no swap p50 %6.2f"
                        + " max %6.2f ms (load %s)%n", b + 1, makeBeforeBreak ? "drain (1 s)" : "no drain (0)",
                        pct(r[0], 50), pct(r[0], 100), pct(r[1], 50), pct(r[1], 100), load());
                noise.add(r[1]);
            }
        }
        String report = report(start, swaps, blocks, drain, cut, noise);
        System.out.println(report);
        if (out != null) {
            Files.writeString(out, report);
            System.out.println("written to " + out);
        }
    }

    /** One block: a fresh server endpoint and session, {@code swaps} swaps; pauses and no-swap windows in ms. */
    private static double[][] block(boolean makeBeforeBreak, int swaps, byte[] key) throws Exception {
        Path dir = Files.createTempDirectory("eipc-swap-bench");
        URI unix = URI.create("unix://" + dir.resolve("host.sock"));
        URI tcp = URI.create("tcp://127.0.0.1:" + freePort());
        long[] at = new long[CAPACITY + 2];
        AtomicInteger n = new AtomicInteger();
        try (TcpTransport sTcp = new TcpTransport(); UnixTransport sUnix = new UnixTransport();
                TcpTransport cTcp = new TcpTransport(); UnixTransport cUnix = new UnixTransport();
                StandaloneRuntime server = EipcRuntimes.standalone(List.of(sUnix, sTcp), new HmacSha256Provider(),
                        new FixedKeyring("k1", key));
                StandaloneRuntime client = EipcRuntimes.standalone(List.of(cUnix, cTcp), new HmacSha256Provider(),
                        new FixedKeyring("k1", key))) {
            Endpoint host = server.listen(List.of(unix, tcp), EndpointOptions.builder().serviceId("host")
                    .transportDrainTimeout(makeBeforeBreak ? Duration.ofSeconds(1) : Duration.ZERO).build(),
                    (s, m) -> {
                        int i = n.incrementAndGet();
                        if (i < at.length) {
                            at[i] = System.nanoTime();
                        }
                    });
            Session s = client.connect(List.of(unix, tcp), EndpointOptions.builder().serviceId("app").build(),
                    (x, m) -> { }, Duration.ofSeconds(10));
            stopStream = false;
            CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> stream(s));
            Thread.sleep(1500); // warm: the stream and both transports' code paths
            Transport[] on = {sUnix, sTcp}; // the session starts on unix (first address)
            long[] swapAt = new long[swaps];
            long[] swapEnd = new long[swaps];
            for (int k = 0; k < swaps; k++) {
                Transport leaving = on[k % 2];
                Transport staying = on[(k + 1) % 2];
                server.addTransport(staying); // bound before the other leaves, as DS binds a replacement first
                swapAt[k] = System.nanoTime();
                server.removeTransport(leaving);
                swapEnd[k] = System.nanoTime();
                Thread.sleep(TimeUnit.NANOSECONDS.toMillis(BETWEEN));
            }
            stopStream = true;
            sender.get(30, TimeUnit.SECONDS);
            s.close();
            host.close();
            int count = Math.min(n.get(), CAPACITY);
            long[] ts = Arrays.copyOfRange(at, 1, count + 1);
            double[] pauses = new double[swaps];
            double[] quiet = new double[swaps];
            for (int k = 0; k < swaps; k++) {
                pauses[k] = longestGap(ts, swapAt[k] - WINDOW_BEFORE, swapEnd[k] + WINDOW_AFTER) / 1e6;
                // the same window length, ending just before the next swap's: no swap inside it
                long len = swapEnd[k] - swapAt[k] + WINDOW_BEFORE + WINDOW_AFTER;
                long to = swapAt[k] + BETWEEN - TimeUnit.MILLISECONDS.toNanos(10);
                quiet[k] = longestGap(ts, to - len, to) / 1e6;
            }
            return new double[][] {pauses, quiet};
        }
    }

    private static volatile boolean stopStream;

    private static void stream(Session s) {
        try {
            for (long i = 1; !stopStream; ) {
                byte[] p = ByteBuffer.allocate(64).putLong(i).array();
                SendResult r = s.send(Message.of(MessageType.FEATURES, Header.builder().build(), p));
                if (r == SendResult.OK) {
                    i++;
                } else if (r == SendResult.BACK_PRESSURE) {
                    s.whenWritable().toCompletableFuture().get(30, TimeUnit.SECONDS);
                } else {
                    throw new IllegalStateException("session closed at message " + i);
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The longest gap between consecutive arrivals with the later one in [from, to] (ts ascending, ns). */
    private static long longestGap(long[] ts, long from, long to) {
        long gap = 0;
        for (int i = 1; i < ts.length; i++) {
            if (ts[i] < from) {
                continue;
            }
            if (ts[i] > to) {
                gap = Math.max(gap, Math.min(ts[i], to) - ts[i - 1]);
                break;
            }
            gap = Math.max(gap, ts[i] - ts[i - 1]);
        }
        return gap;
    }

    private static double pct(double[] v, int p) {
        double[] s = v.clone();
        Arrays.sort(s);
        int i = p >= 100 ? s.length - 1 : (int) Math.ceil(p / 100.0 * s.length) - 1;
        return s[Math.max(0, i)];
    }

    private static double[] all(List<double[]> blocks) {
        return blocks.stream().flatMapToDouble(Arrays::stream).toArray();
    }

    private static String report(String start, int swaps, int blocks, List<double[]> drain, List<double[]> cut,
            List<double[]> noise) {
        double[] d = all(drain);
        double[] c = all(cut);
        double[] q = all(noise);
        StringBuilder sb = new StringBuilder();
        sb.append("# Session pause during a transport swap, runtime level\n\n").append(start).append("\n\n");
        sb.append(String.format(Locale.ROOT, "%d blocks per mode, %d swaps each (unix <-> tcp on the server, "
                + "alternating), modes alternate block by block; load at the end: %s%n%n", blocks, swaps, load()));
        sb.append("| mode | swaps | p50 ms | p90 ms | max ms |\n|---|---:|---:|---:|---:|\n");
        row(sb, "drain, make before break (transportDrainTimeout 1 s)", d);
        row(sb, "no drain, break before make (transportDrainTimeout 0)", c);
        row(sb, "noise floor: same windows without a swap", q);
        sb.append(String.format(Locale.ROOT, "%nTarget (issue #6): pause p50 and max under 50 ms. Drain: p50 %.2f,"
                + " max %.2f ms: %s.%n", pct(d, 50), pct(d, 100),
                pct(d, 50) < 50 && pct(d, 100) < 50 ? "MET" : "NOT MET"));
        return sb.toString();
    }

    private static void row(StringBuilder sb, String what, double[] v) {
        sb.append(String.format(Locale.ROOT, "| %s | %d | %.2f | %.2f | %.2f |%n", what, v.length, pct(v, 50),
                pct(v, 90), pct(v, 100)));
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (Exception e) {
            return "?";
        }
    }

    private static String header() {
        return "machine: " + Runtime.getRuntime().availableProcessors() + " CPUs, "
                + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                + ", JVM flags: " + java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()
                + "\ndate: " + ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                + ", load average at start: " + load();
    }
}
