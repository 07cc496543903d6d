package org.eipc.transport.shm.impl;

import java.nio.ByteBuffer;
import java.util.concurrent.locks.ReentrantLock;

import org.eipc.spi.transport.OfferResult;

/**
 * The sending side of a connection: the ring producer behind the single-producer lock, plus a bounded
 * {@link OverflowRing} for what does not fit into the ring right now.
 *
 * <p>An offer first moves queued bytes into the ring (the sending thread drains its own backlog, so a busy
 * sender needs no help from the I/O thread), then writes straight into the ring when nothing is queued; the part
 * that does not fit (a 1 MiB message into a 1 MiB ring) is copied into the overflow ring, whose size never
 * exceeds the write-queue limit. The decision is taken before any of the offer's bytes are written, so an offer
 * is accepted whole or refused whole. When the sender stops offering, the I/O thread moves the rest as the
 * consumer frees space.
 */
final class WriteQueue {
    private final RingProducer producer;
    private final SideChannel side;
    private final long limit;
    private final OverflowRing overflow;
    private final ReentrantLock lock = new ReentrantLock();
    /** Tells the I/O thread that there is write work (queued bytes or a refusal to report on). */
    private final Runnable wakeIo;
    private volatile long pendingBytes;
    /** System.nanoTime() of the latest offer, to tell the I/O thread whether a sender is busy. Written under lock. */
    private volatile long lastOfferNanos;
    /** Set by a refused offer; cleared when the I/O thread reports onWritable. Guarded by lock. */
    private volatile boolean backPressured;
    private volatile boolean endRequested;
    private volatile boolean endWritten;
    private boolean closed;
    /** The overflow ring took bytes since the I/O thread last went idle. Guarded by lock. */
    private boolean overflowUsed;

    WriteQueue(final RingProducer producer, final SideChannel side, final long limit, final Runnable wakeIo) {
        this.producer = producer;
        this.side = side;
        this.limit = limit;
        this.wakeIo = wakeIo;
        this.lastOfferNanos = System.nanoTime() - (1L << 62); // long ago
        this.overflow = new OverflowRing((int) Math.min(limit, Integer.MAX_VALUE));
    }

    long pendingBytes() {
        return pendingBytes;
    }

    long limit() {
        return limit;
    }

    /**
     * True while some thread offered within the last {@code windowNanos}: such a sender drains the queue itself
     * on its next offer, so the I/O thread leaves the queue to it.
     */
    boolean senderBusy(final long windowNanos) {
        return System.nanoTime() - lastOfferNanos < windowNanos;
    }

    /**
     * Whole or nothing. Runs on any thread.
     *
     * @throws org.eipc.api.IpcException when the consumer's position in shared memory is corrupt
     */
    OfferResult offer(final ByteBuffer src) {
        final int n = src.remaining();
        final OfferResult result;
        final boolean nudge;
        lock.lock();
        try {
            if (closed || endRequested) {
                return OfferResult.CLOSED;
            }
            lastOfferNanos = System.nanoTime();
            final boolean quiet = overflow.isEmpty() && !backPressured;
            // The consumer's position only grows, so the one read last time is a lower bound on the free space:
            // read the shared cache line (which the consumer keeps writing) only when that bound is too small.
            if (!quiet || producer.measure(n) < n) {
                producer.refreshHead();
            }
            if (!quiet) {
                overflow.drainTo(producer);
            }
            result = overflow.isEmpty() ? offerDirect(src, n) : offerQueued(src, n);
            pendingBytes = overflow.size();
            if (producer.publish()) {
                side.sendWake();
            }
            // only the step from "nothing to do" to "write work" needs the I/O thread; after that it watches
            // on its own, and waking it for every offer of a busy sender would cost a wake-up each
            nudge = quiet && !(overflow.isEmpty() && !backPressured);
        } finally {
            lock.unlock();
        }
        if (nudge) {
            wakeIo.run();
        }
        return result;
    }

    /** Nothing queued: as much as fits goes into the ring, the rest (within the limit) into the overflow ring. */
    private OfferResult offerDirect(final ByteBuffer src, final int n) {
        final int fit = producer.measure(n);
        if (n - fit > overflow.room()) {
            backPressured = true;
            return OfferResult.BACK_PRESSURE;
        }
        if (fit > 0) {
            producer.write(src, fit);
        }
        if (src.hasRemaining()) {
            append(src);
        }
        return OfferResult.ACCEPTED;
    }

    /** Bytes are still queued: this offer goes behind them, so the order holds. */
    private OfferResult offerQueued(final ByteBuffer src, final int n) {
        if (n > overflow.room()) {
            backPressured = true;
            return OfferResult.BACK_PRESSURE;
        }
        append(src);
        return OfferResult.ACCEPTED;
    }

    private void append(final ByteBuffer src) {
        overflow.append(src);
        overflowUsed = true;
    }

    /** Queues end of stream behind the queued bytes; false if it was already requested or closed. */
    boolean shutdown() {
        lock.lock();
        try {
            if (closed || endRequested) {
                return false;
            }
            endRequested = true;
            return true;
        } finally {
            lock.unlock();
        }
    }

    boolean outputShutdown() {
        return endRequested;
    }

    /** True once the end record is in the ring, behind every byte offered before shutdown. */
    boolean endWritten() {
        return endWritten;
    }

    /** True while the I/O thread has to watch the ring for free space. */
    boolean needsIo() {
        return pendingBytes > 0 || backPressured || (endRequested && !endWritten);
    }

    /**
     * Moves queued bytes (then the end record) into the ring; returns the bytes moved. I/O thread only. Returns
     * 0 without waiting while an offer holds the lock: that offer drains the queue itself.
     */
    int drain() {
        if (!lock.tryLock()) {
            return 0;
        }
        try {
            if (closed) {
                return 0;
            }
            producer.refreshHead();
            int moved = overflow.drainTo(producer);
            pendingBytes = overflow.size();
            if (endRequested && !endWritten && overflow.isEmpty() && producer.writeEnd()) {
                endWritten = true;
                moved++;
            }
            if (producer.publish()) {
                side.sendWake();
            }
            return moved;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The I/O thread is about to park: gives the overflow array back to the heap when it has been empty and
     * unused since the previous park, so a busy sender keeps it and an idle connection holds none.
     */
    void idle() {
        lock.lock();
        try {
            if (!overflowUsed) {
                overflow.release();
            }
            overflowUsed = false;
        } finally {
            lock.unlock();
        }
    }

    /**
     * True once after a refused offer when room is back: the queue is at most half full, and when it is empty
     * the ring is at least half free (so a retry of a large offer has a chance).
     */
    boolean takeWritable() {
        if (!backPressured || pendingBytes > limit / 2) {
            return false; // the common answer without the lock, which a busy sender holds most of the time
        }
        lock.lock();
        try {
            if (!backPressured || pendingBytes > limit / 2
                    || (pendingBytes == 0 && producer.free() < producer.capacity() / 2)) {
                return false;
            }
            backPressured = false;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Whether {@link #drain()} or {@link #takeWritable()} could make progress now (re-reads the head). */
    boolean canProgress() {
        lock.lock();
        try {
            if (closed) {
                return false;
            }
            final boolean space = producer.hasSpace();
            if (!overflow.isEmpty() || (endRequested && !endWritten)) {
                return space;
            }
            return backPressured && producer.free() >= producer.capacity() / 2;
        } finally {
            lock.unlock();
        }
    }

    void writerWaiting(final boolean waiting) {
        producer.writerWaiting(waiting);
    }

    /** Drops queued bytes; later offers get CLOSED. */
    void close() {
        lock.lock();
        try {
            closed = true;
            overflow.clear();
            overflow.release();
            pendingBytes = 0;
        } finally {
            lock.unlock();
        }
    }

    /** For tests: publishes a corrupt record header (see {@link RingProducer#stageRawForTest}). */
    void injectForTest(final int length, final int type, final int advance) {
        lock.lock();
        try {
            producer.stageRawForTest(length, type, advance);
            if (producer.publish()) {
                side.sendWake();
            }
        } finally {
            lock.unlock();
        }
    }
}
