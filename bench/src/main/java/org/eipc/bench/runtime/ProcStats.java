package org.eipc.bench.runtime;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time and context switches of a process, from Linux's /proc: {@code utime + stime} of {@code stat} (all
 * threads, in clock ticks of 10 ms) and the voluntary and involuntary context switches summed over its threads.
 */
final class ProcStats {
    private static final double TICK_NANOS = 10_000_000.0; // USER_HZ = 100 on Linux

    final long cpuTicks;
    final long voluntary;
    final long involuntary;

    private ProcStats(final long cpuTicks, final long voluntary, final long involuntary) {
        this.cpuTicks = cpuTicks;
        this.voluntary = voluntary;
        this.involuntary = involuntary;
    }

    static ProcStats of(final long pid) {
        try {
            final String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            final String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            final long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14 and 15: utime, stime
            long vol = 0;
            long invol = 0;
            try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/" + pid + "/task"))) {
                for (Path t : tasks) {
                    try {
                        for (String l : Files.readAllLines(t.resolve("status"))) {
                            if (l.startsWith("voluntary_ctxt_switches:")) {
                                vol += Long.parseLong(l.substring(l.indexOf(':') + 1).trim());
                            } else if (l.startsWith("nonvoluntary_ctxt_switches:")) {
                                invol += Long.parseLong(l.substring(l.indexOf(':') + 1).trim());
                            }
                        }
                    } catch (IOException gone) {
                        // the thread ended
                    }
                }
            }
            return new ProcStats(ticks, vol, invol);
        } catch (IOException | RuntimeException e) {
            return new ProcStats(0, 0, 0);
        }
    }

    /** Per round trip between {@code before} and this: CPU µs, voluntary and involuntary switches. */
    double[] perOp(final ProcStats before, final int ops) {
        return new double[] {(cpuTicks - before.cpuTicks) * TICK_NANOS / 1e3 / ops,
            (voluntary - before.voluntary) / (double) ops, (involuntary - before.involuntary) / (double) ops};
    }
}
