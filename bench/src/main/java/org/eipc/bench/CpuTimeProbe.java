package org.eipc.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * A cross-check for a loaded machine: runs the same operations as {@link FrameCodecBench} but divides the
 * thread's CPU time (not wall time) by the operation count, so time spent preempted by other processes does
 * not count. Cache and frequency effects of the load remain. Not a JMH benchmark; JMH stays the reference.
 *
 * <p>{@code java -cp ... org.eipc.bench.CpuTimeProbe [substring ...]}: with arguments, only the cases whose
 * name contains one of them run (e.g. {@code "decodeVerify jce 64" headerRead}).
 */
public final class CpuTimeProbe {
    private static volatile Object sink;

    private CpuTimeProbe() {
    }

    public static void main(String[] args) throws Exception {
        FrameCodecBench bench = new FrameCodecBench();
        Map<String, Callable<Object>> cases = new LinkedHashMap<>();
        for (String mac : new String[] {"provider", "jce"}) {
            for (int size : new int[] {64, 1024, 65536}) {
                FrameCodecBench.FrameState s = new FrameCodecBench.FrameState();
                s.mac = mac;
                s.payloadSize = size;
                s.setup();
                cases.put("decodeVerify " + mac + " " + size, () -> bench.decodeVerify(s));
                cases.put("encodeSigned " + mac + " " + size, () -> bench.encodeSigned(s));
            }
        }
        FrameCodecBench.HeaderState h = new FrameCodecBench.HeaderState();
        h.setup();
        cases.put("headerReadEipc", () -> bench.headerReadEipc(h));
        cases.put("headerReadJackson", () -> bench.headerReadJackson(h));
        cases.put("headerWriteEipc", () -> bench.headerWriteEipc(h));
        cases.put("headerWriteJackson", () -> bench.headerWriteJackson(h));

        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        System.out.printf("%-28s %12s %12s%n", "case", "min ns/op", "median ns/op");
        for (Map.Entry<String, Callable<Object>> c : cases.entrySet()) {
            if (args.length > 0 && Arrays.stream(args).noneMatch(a -> c.getKey().contains(a))) {
                continue;
            }
            Callable<Object> op = c.getValue();
            run(op, mx, 1_500_000_000L); // warm-up: 1.5 s of CPU
            List<Double> rounds = new ArrayList<>();
            for (int r = 0; r < 7; r++) {
                rounds.add(run(op, mx, 300_000_000L));
            }
            double[] sorted = rounds.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            System.out.printf("%-28s %12.0f %12.0f   %s%n", c.getKey(), sorted[0], sorted[sorted.length / 2],
                    Arrays.toString(Arrays.stream(sorted).mapToLong(Math::round).toArray()));
        }
    }

    /** Runs {@code op} until {@code cpuNanos} of this thread's CPU time have passed; returns CPU ns per op. */
    private static double run(Callable<Object> op, ThreadMXBean mx, long cpuNanos) throws Exception {
        long start = mx.getCurrentThreadCpuTime();
        long ops = 0;
        long now;
        do {
            for (int i = 0; i < 256; i++) {
                sink = op.call();
            }
            ops += 256;
            now = mx.getCurrentThreadCpuTime();
        } while (now - start < cpuNanos);
        return (double) (now - start) / ops;
    }
}
