package org.eipc.transport.tck;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

import org.eipc.api.IpcException;
import org.eipc.spi.transport.Connection;
import org.eipc.spi.transport.ConnectionHandler;

/**
 * The kit's connection handler: decodes {@link Records}, records every event and every breach of the handler
 * contract (events before {@code onOpen} or after {@code onClose}, concurrent calls, a second {@code onClose}).
 */
final class Probe implements ConnectionHandler, Records.Sink {
    final String role;
    volatile Connection connection;

    final CountDownLatch opened = new CountDownLatch(1);
    final CountDownLatch closed = new CountDownLatch(1);
    final CountDownLatch inputShutdown = new CountDownLatch(1);
    volatile IpcException closeCause;
    volatile int recordsAtInputShutdown = -1;

    // behaviour switches, set before the connection exists
    volatile boolean closeOnInputShutdown;
    volatile boolean suspendOnOpen;
    volatile IpcException throwOnData;
    /** When set: close the connection from inside the first onData call. */
    volatile boolean closeOnData;
    /** When set: consume one byte per onData; every 16th byte also suspend reads and resume from here. */
    volatile Executor oneByteResumer;
    /** When set: called with each record's id after it is recorded, on the thread that delivered it. */
    volatile IntConsumer onRecord;

    private final AtomicBoolean inCall = new AtomicBoolean();
    private final AtomicInteger closeCalls = new AtomicInteger();
    private final List<String> violations = new ArrayList<>();
    private final Records.Decoder decoder = new Records.Decoder();
    private final Object lock = new Object();
    private int[] ids = new int[1024];
    private int[] lengths = new int[1024];
    private int count;
    private int badChecksums;
    private long writableEpoch;
    private long oneByteCalls;

    Probe(String role) {
        this.role = role;
    }

    // ---- ConnectionHandler -----------------------------------------------------------------------------

    @Override
    public void onOpen(Connection c) {
        enter("onOpen", c);
        try {
            if (opened.getCount() == 0) {
                violation("onOpen called twice");
            }
            opened.countDown();
            if (suspendOnOpen) {
                c.suspendReads();
            }
        } finally {
            exit();
        }
    }

    @Override
    public void onData(Connection c, ByteBuffer data) {
        enter("onData", c);
        try {
            IpcException t = throwOnData;
            if (t != null) {
                throw t;
            }
            if (closeOnData) {
                c.close();
                return;
            }
            if (!data.hasRemaining()) {
                violation("onData with an empty buffer");
            }
            Executor resumer = oneByteResumer;
            if (resumer != null && data.hasRemaining()) {
                decoder.feedOne(data, this);
                if ((++oneByteCalls & 15) == 0) {
                    c.suspendReads();
                    resumer.execute(c::resumeReads);
                }
            } else {
                decoder.feed(data, this);
            }
        } finally {
            exit();
        }
    }

    @Override
    public void onWritable(Connection c) {
        enter("onWritable", c);
        try {
            synchronized (lock) {
                writableEpoch++;
                lock.notifyAll();
            }
        } finally {
            exit();
        }
    }

    @Override
    public void onInputShutdown(Connection c) {
        enter("onInputShutdown", c);
        try {
            if (inputShutdown.getCount() == 0) {
                violation("onInputShutdown called twice");
            }
            recordsAtInputShutdown = records();
            inputShutdown.countDown();
            if (closeOnInputShutdown) {
                c.close();
            }
        } finally {
            exit();
        }
    }

    @Override
    public void onClose(Connection c, IpcException cause) {
        // no enter(): a transport may report the close of a connection it failed to open, before onOpen
        if (!inCall.compareAndSet(false, true)) {
            violation("onClose concurrent with another handler call");
        }
        try {
            if (closeCalls.incrementAndGet() > 1) {
                violation("onClose called more than once");
                return;
            }
            closeCause = cause;
            closed.countDown();
            synchronized (lock) {
                lock.notifyAll();
            }
        } finally {
            inCall.set(false);
        }
    }

    @Override
    public void record(int id, int length, boolean checksumOk) {
        synchronized (lock) {
            if (!checksumOk) {
                badChecksums++;
            }
            if (count == ids.length) {
                ids = Arrays.copyOf(ids, count * 2);
                lengths = Arrays.copyOf(lengths, count * 2);
            }
            ids[count] = id;
            lengths[count] = length;
            count++;
            lock.notifyAll();
        }
        IntConsumer then = onRecord;
        if (then != null) {
            then.accept(id);
        }
    }

    private void enter(String what, Connection c) {
        if (!inCall.compareAndSet(false, true)) {
            violation(what + " concurrent with another handler call");
        }
        if (connection == null) {
            connection = c;
        }
        if (closed.getCount() == 0) {
            violation(what + " after onClose");
        }
        if (opened.getCount() != 0 && !"onOpen".equals(what)) {
            violation(what + " before onOpen");
        }
    }

    private void exit() {
        inCall.set(false);
    }

    private void violation(String v) {
        synchronized (violations) {
            if (violations.size() < 20) {
                violations.add(v);
            }
        }
    }

    // ---- queries from the check thread -------------------------------------------------------------------

    int records() {
        synchronized (lock) {
            return count;
        }
    }

    int[] ids() {
        synchronized (lock) {
            return Arrays.copyOf(ids, count);
        }
    }

    int[] lengths() {
        synchronized (lock) {
            return Arrays.copyOf(lengths, count);
        }
    }

    long writableEpoch() {
        synchronized (lock) {
            return writableEpoch;
        }
    }

    boolean isClosed() {
        return closed.getCount() == 0;
    }

    /** Waits up to {@code millis} for an onWritable after {@code epoch}; true if one came. */
    boolean awaitWritable(long epoch, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        synchronized (lock) {
            while (writableEpoch == epoch) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
            return true;
        }
    }

    /** Waits up to {@code millis} for more than {@code seen} records; returns how many there are. */
    int awaitMore(int seen, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        synchronized (lock) {
            while (count <= seen) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
            return count;
        }
    }

    /** Waits until at least {@code n} records arrived; fails with a description otherwise. */
    void awaitRecords(int n, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        synchronized (lock) {
            while (count < n) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError(role + ": only " + count + " of " + n + " records arrived within "
                            + millis + " ms (" + decoder.bytes() + " bytes)" + state());
                }
                if (closed.getCount() == 0 && count < n) {
                    // give in-flight delivery no chance to matter: a closed connection gets no more data
                    throw new AssertionError(role + ": connection closed after " + count + " of " + n
                            + " records" + state());
                }
                TimeUnit.NANOSECONDS.timedWait(lock, Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)));
            }
        }
    }

    /** Throws if any contract breach or checksum error was seen. */
    void assertClean() {
        synchronized (violations) {
            if (!violations.isEmpty()) {
                throw new AssertionError(role + ": handler contract violated: " + violations);
            }
        }
        synchronized (lock) {
            if (badChecksums > 0) {
                throw new AssertionError(role + ": " + badChecksums + " records arrived corrupted");
            }
        }
    }

    String state() {
        return " [" + role + ": opened=" + (opened.getCount() == 0) + " inputShutdown="
                + (inputShutdown.getCount() == 0) + " closed=" + isClosed()
                + (closeCause != null ? " cause=" + closeCause : "") + "]";
    }
}
