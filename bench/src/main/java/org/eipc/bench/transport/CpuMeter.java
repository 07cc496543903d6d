package org.eipc.bench.transport;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * CPU time per message of both processes over the timed part of a one-way run: all threads of each process
 * (sending or receiving thread, I/O threads, GC, JIT), this process from the JVM, the child from Linux's
 * {@code /proc/<pid>/stat} ({@code utime + stime}, in 10 ms ticks). Unlike messages per second it hardly depends
 * on what else runs on the machine, so it shows what one message costs each side and what two free cores would
 * allow.
 */
public final class CpuMeter {
    private static final double TICK_MICROS = 10_000.0; // USER_HZ = 100 on Linux

    /** {@link #awaitJitQuiet()}: how long the compilers must be idle before a timed part; 0: do not wait. */
    public static long jitQuietMillis = 300;

    private final long childPid;
    private long parentStart;
    private long childStart;
    private final long[] parentIoStart = new long[2];
    private final long[] childIoStart = new long[2];
    /** µs of CPU per message, NaN until {@link #stop} (or where unavailable). */
    double sender = Double.NaN;
    double receiver = Double.NaN;
    /**
     * Read and write system calls per message of each process ({@code syscr}, {@code syscw} of
     * {@code /proc/<pid>/io}: read/readv/write/writev and the like, on sockets, pipes and eventfds, so a selector
     * wake-up counts as a write of the waking and a read of the woken process), NaN where unavailable.
     */
    double senderWrites = Double.NaN;
    double senderReads = Double.NaN;
    double receiverWrites = Double.NaN;
    double receiverReads = Double.NaN;
    /**
     * µs of CPU per message by thread group ({@link Group}), from {@code /proc/<pid>/task/<tid>/stat} (10 ms ticks;
     * threads that ended during the timed part are missing), NaN where unavailable.
     */
    final double[] senderBy = new double[Group.values().length];
    final double[] receiverBy = new double[Group.values().length];
    private final long[] parentByStart = new long[Group.values().length];
    private final long[] childByStart = new long[Group.values().length];

    /** Threads of a process, by what they do. */
    enum Group {
        /** The JVM's main thread: the sender's sending loop (the receiver's main thread only waits). */
        MAIN,
        /** The transports' own threads (eipc-*: I/O loops, shm rings), where a receiver decodes. */
        TRANSPORT,
        /** C1 and C2 compiler threads. */
        JIT,
        /** Everything else: GC, VM thread, reference handling, JFR... */
        OTHER;

        static Group of(final String threadName) {
            if (threadName.equals("java")) {
                return MAIN;
            }
            if (threadName.startsWith("eipc")) {
                return TRANSPORT;
            }
            if (threadName.startsWith("C1 CompilerThre") || threadName.startsWith("C2 CompilerThre")) {
                return JIT;
            }
            return OTHER;
        }
    }

    /** @param childPid the receiving child's process id */
    public CpuMeter(final long childPid) {
        this.childPid = childPid;
    }

    /** {@link #awaitJitQuiet(long, long)} for {@link #jitQuietMillis}, at most 15 s; nothing if that is 0. */
    public void awaitJitQuiet() {
        if (jitQuietMillis > 0) {
            try {
                awaitJitQuiet(jitQuietMillis, 15_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Waits until the compiler threads of both processes have used no CPU for {@code quietMillis} (at most
     * {@code maxMillis}): the compilations the warm-up triggered are done, so the timed part measures compiled
     * code rather than C2 at work beside it. On two loaded cores C2 can take a second for one codec method, and
     * without this the first kind of a run paid for compiling the parent's encoder. Returns the milliseconds
     * waited.
     */
    long awaitJitQuiet(final long quietMillis, final long maxMillis) throws InterruptedException {
        final long t0 = System.nanoTime();
        final long[] p = new long[Group.values().length];
        final long[] c = new long[Group.values().length];
        long last = -2;
        long quietSince = t0;
        while (true) {
            threadTicks("self", p);
            threadTicks(Long.toString(childPid), c);
            final long jit = p[Group.JIT.ordinal()] + c[Group.JIT.ordinal()];
            final long now = System.nanoTime();
            if (jit != last || jit < 0) {
                last = jit;
                quietSince = now;
            }
            if (now - quietSince >= quietMillis * 1_000_000L || now - t0 >= maxMillis * 1_000_000L) {
                return (now - t0) / 1_000_000L;
            }
            Thread.sleep(20);
        }
    }

    void start() {
        parentStart = parentNanos();
        childStart = childTicks();
        syscalls("self", parentIoStart);
        syscalls(Long.toString(childPid), childIoStart);
        threadTicks("self", parentByStart);
        threadTicks(Long.toString(childPid), childByStart);
    }

    void stop(final long messages) {
        final long p = parentNanos();
        final long c = childTicks();
        sender = p < 0 || parentStart < 0 ? Double.NaN : (p - parentStart) / 1e3 / messages;
        receiver = c < 0 || childStart < 0 ? Double.NaN : (c - childStart) * TICK_MICROS / messages;
        final long[] p2 = new long[2];
        final long[] c2 = new long[2];
        syscalls("self", p2);
        syscalls(Long.toString(childPid), c2);
        senderReads = perMessage(parentIoStart[0], p2[0], messages);
        senderWrites = perMessage(parentIoStart[1], p2[1], messages);
        receiverReads = perMessage(childIoStart[0], c2[0], messages);
        receiverWrites = perMessage(childIoStart[1], c2[1], messages);
        final long[] pb = new long[Group.values().length];
        final long[] cb = new long[Group.values().length];
        threadTicks("self", pb);
        threadTicks(Long.toString(childPid), cb);
        for (int g = 0; g < pb.length; g++) {
            senderBy[g] = perMessage(parentByStart[g], pb[g], messages) * TICK_MICROS;
            receiverBy[g] = perMessage(childByStart[g], cb[g], messages) * TICK_MICROS;
        }
    }

    /** utime + stime ticks of the process's threads, summed by {@link Group}; all -1 where unavailable. */
    private static void threadTicks(final String pid, final long[] out) {
        Arrays.fill(out, 0);
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : tasks) {
                try {
                    final String stat = Files.readString(task.resolve("stat"));
                    final String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    final String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    out[Group.of(name).ordinal()] += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                } catch (IOException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException | RuntimeException e) {
            Arrays.fill(out, -1);
        }
    }

    private static double perMessage(final long start, final long end, final long messages) {
        return start < 0 || end < 0 ? Double.NaN : (end - start) / (double) messages;
    }

    /** {@code syscr} and {@code syscw} of {@code /proc/<pid>/io} into {@code out}, -1 where unavailable. */
    private static void syscalls(final String pid, final long[] out) {
        out[0] = -1;
        out[1] = -1;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/io"))) {
                if (line.startsWith("syscr: ")) {
                    out[0] = Long.parseLong(line.substring(7).trim());
                } else if (line.startsWith("syscw: ")) {
                    out[1] = Long.parseLong(line.substring(7).trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            out[0] = -1;
            out[1] = -1;
        }
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
