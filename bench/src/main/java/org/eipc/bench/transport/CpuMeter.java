package org.eipc.bench.transport;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time per message of both processes over the timed part of a one-way run: all threads of each process
 * (sending or receiving thread, I/O threads, GC, JIT), this process from the JVM, the child from Linux's
 * {@code /proc/<pid>/stat} ({@code utime + stime}, in 10 ms ticks). Unlike messages per second it hardly depends
 * on what else runs on the machine, so it shows what one message costs each side and what two free cores would
 * allow.
 */
final class CpuMeter {
    private static final double TICK_MICROS = 10_000.0; // USER_HZ = 100 on Linux

    private final long childPid;
    private long parentStart;
    private long childStart;
    /** µs of CPU per message, NaN until {@link #stop} (or where unavailable). */
    double sender = Double.NaN;
    double receiver = Double.NaN;

    /** @param childPid the receiving child's process id */
    CpuMeter(final long childPid) {
        this.childPid = childPid;
    }

    void start() {
        parentStart = parentNanos();
        childStart = childTicks();
    }

    void stop(final long messages) {
        final long p = parentNanos();
        final long c = childTicks();
        sender = p < 0 || parentStart < 0 ? Double.NaN : (p - parentStart) / 1e3 / messages;
        receiver = c < 0 || childStart < 0 ? Double.NaN : (c - childStart) * TICK_MICROS / messages;
    }

    private static long parentNanos() {
        final java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean) {
            return ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime();
        }
        return -1;
    }

    private long childTicks() {
        try {
            final String stat = Files.readString(Path.of("/proc/" + childPid + "/stat"));
            final String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14 and 15: utime, stime
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
