package org.eipc.transport.shm.impl;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;
import org.eipc.spi.transport.Connection;
import org.eipc.spi.transport.ConnectionHandler;
import org.eipc.spi.transport.OfferResult;
import org.eipc.spi.transport.PeerCredentials;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One shared-memory connection. Sending happens on the caller's thread (straight into the ring when it has
 * room). Everything else runs on the connection's own I/O thread, which is also the only thread that calls the
 * handler, so handler calls are never concurrent.
 *
 * <p>The I/O thread's idle strategy: busy-spin for {@code spinNanos} (yielding every 8th round, see the loop),
 * yield for {@code yieldNanos}, then park
 * on the side channel after announcing it in the ring header(s) and re-checking the rings (the re-check is
 * what closes the lost-wake-up window: the producer publishes, then reads the flag; we set the flag, then read
 * the tail; with volatile accesses on both sides at least one of us sees the other).
 *
 * <p>Queued bytes are moved into the ring by the sending thread itself on its next offer. While a sender is busy
 * the I/O thread leaves the write queue alone and parks for {@link #BUSY_SENDER_PARK_MILLIS} at a time without
 * asking the consumer for wake-ups; once the sender has been quiet for {@link #BUSY_SENDER_NANOS} it drains the
 * rest and reports onWritable. So a streaming sender costs one busy thread per side, not two on the sending side.
 */
final class ShmConnection implements Connection {
    private static final Logger LOG = LoggerFactory.getLogger(ShmConnection.class);
    private static final int RX_BUFFER = 128 * 1024;
    /**
     * The receive buffer doubles up to this while reads keep filling it (a peer streaming large messages), so a
     * 64 KiB frame is rarely cut at the buffer's end; a cut frame costs the handler a second copy (its decoder
     * assembles it). Back to the initial size when the connection goes idle.
     */
    private static final int RX_BUFFER_MAX = 1 << 20;
    private static final int SPIN_YIELD_MASK = 7;
    /** A sender that offered within this window is busy: it drains the write queue itself on its next offer. */
    private static final long BUSY_SENDER_NANOS = 200_000;
    /**
     * How long the I/O thread parks while a busy sender has bytes queued (instead of having the consumer wake it
     * for every record it frees): then it checks whether the sender stopped and, if so, drains the rest itself.
     * This is also the longest delay before the I/O thread takes over from a sender that stopped (selector
     * timeouts are whole milliseconds).
     */
    private static final long BUSY_SENDER_PARK_MILLIS = 1;

    private final String id;
    private final URI address;
    private final PeerCredentials credentials;
    private final SideChannel side;
    private final RingConsumer in;
    private final WriteQueue out;
    private final long spinNanos;
    private final long yieldNanos;
    private final Consumer<ShmConnection> onFinished;
    private final int rxInitial;
    /** Bytes copied out of the ring, handed to the handler; only replaced while empty. I/O thread only. */
    private ByteBuffer rx;
    private final AtomicBoolean closeRequested = new AtomicBoolean();
    private final AtomicReference<IpcException> failure = new AtomicReference<>();
    private volatile ConnectionHandler handler;
    private volatile boolean suspended;
    /**
     * Set by {@link #resumeReads()}: bytes the handler left in rx before it suspended must be offered again even
     * when nothing new arrives (otherwise a handler that suspends without consuming waits forever).
     */
    private volatile boolean resumed;
    private volatile boolean sleeping;
    private volatile Thread thread;

    // I/O thread state
    private int spins;
    private boolean fresh;
    /** The last read filled rx: the peer writes faster than one rx per round of this loop. */
    private boolean rxFilled;
    private boolean lastCallConsumed;
    private boolean inputEnded;
    private boolean peerClosed;

    ShmConnection(final String id, final URI address, final PeerCredentials credentials, final SideChannel side,
            final RingConsumer in, final RingProducer producer, final ShmSettings settings,
            final Consumer<ShmConnection> onFinished) {
        this.id = id;
        this.address = address;
        this.credentials = credentials;
        this.side = side;
        this.in = in;
        this.out = new WriteQueue(producer, side, settings.writeQueueLimit, this::wakeIo);
        this.spinNanos = settings.spinNanos;
        this.yieldNanos = settings.yieldNanos;
        this.onFinished = onFinished;
        this.rxInitial = Math.min(RX_BUFFER, settings.ringCapacity);
        this.rx = ByteBuffer.allocate(rxInitial);
    }

    // ---- Connection ----------------------------------------------------------------------------------------

    @Override
    public String id() {
        return id;
    }

    @Override
    public String scheme() {
        return ShmAddress.SCHEME;
    }

    @Override
    public URI localAddress() {
        return address;
    }

    @Override
    public URI remoteAddress() {
        return address;
    }

    @Override
    public PeerCredentials peerCredentials() {
        return credentials;
    }

    @Override
    public OfferResult offer(final ByteBuffer bytes) {
        if (closeRequested.get()) {
            return OfferResult.CLOSED;
        }
        final OfferResult r;
        try {
            r = out.offer(bytes);
        } catch (IpcException e) {
            fail(e);
            return OfferResult.CLOSED;
        } catch (InternalError e) {
            // the JVM's translation of SIGBUS: the peer truncated the shared file under our mapping
            fail(truncated(e));
            return OfferResult.CLOSED;
        }
        return r; // the write queue woke the I/O thread if this offer gave it work

    }

    @Override
    public long pendingBytes() {
        return out.pendingBytes();
    }

    @Override
    public long writeQueueLimit() {
        return out.limit();
    }

    @Override
    public void suspendReads() {
        suspended = true;
    }

    @Override
    public void resumeReads() {
        if (suspended) {
            resumed = true;
            suspended = false;
            wakeIo();
        }
    }

    @Override
    public void shutdownOutput() {
        if (out.shutdown()) {
            wakeIo();
        }
    }

    @Override
    public boolean isOpen() {
        return !closeRequested.get();
    }

    @Override
    public void close() {
        if (closeRequested.compareAndSet(false, true)) {
            wakeIo();
        }
    }

    /**
     * Drops the connection like a crashing process would: no orderly-close byte, so the peer reports a cause.
     * Used by tests and by the conformance kit's abrupt-loss check.
     */
    void abort() {
        fail(new IpcException(ErrorCode.CONNECTION_CLOSED, "shm connection " + id + " aborted"));
    }

    /** Closes with a cause (the first cause wins). */
    void fail(final IpcException cause) {
        failure.compareAndSet(null, cause);
        close();
    }

    private IpcException truncated(final InternalError e) {
        return new IpcException(ErrorCode.TRANSPORT_IO, "shm connection " + id
                + ": fault in the shared mapping (file truncated by the peer?)", e);
    }

    private void wakeIo() {
        if (sleeping) {
            side.wakeupLocal();
        }
    }

    // ---- I/O thread ----------------------------------------------------------------------------------------

    /** Starts the I/O thread, which reports onOpen first and onClose last. */
    void start(final ConnectionHandler h, final String threadName) {
        this.handler = h;
        final Thread t = new Thread(this::run, threadName);
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    /** Runs the connection on the current thread (an accepting thread that did the set-up). */
    void runOnCurrentThread(final ConnectionHandler h) {
        this.handler = h;
        thread = Thread.currentThread();
        run();
    }

    Thread thread() {
        return thread;
    }

    private void run() {
        IpcException cause = null;
        Error error = null;
        try {
            handler.onOpen(this);
            loop();
            cause = failure.get();
        } catch (IpcException e) {
            cause = e;
        } catch (IOException e) {
            cause = new IpcException(ErrorCode.TRANSPORT_IO, "shm side channel of " + id + " failed: " + e, e);
        } catch (RuntimeException e) {
            cause = new IpcException(ErrorCode.INTERNAL, "shm connection " + id + " failed: " + e, e);
        } catch (InternalError e) {
            cause = truncated(e); // a fault in the mapping concerns this connection only
        } catch (Error e) {
            error = e;
            cause = new IpcException(ErrorCode.INTERNAL, "shm connection " + id + " failed: " + e, e);
        } finally {
            finish(cause);
        }
        if (error != null) {
            throw error;
        }
    }

    private void loop() throws IOException {
        boolean idle = false;
        long idleSince = 0;
        while (!closeRequested.get()) {
            int work = 0;
            if (out.needsIo()) {
                if (!out.senderBusy(BUSY_SENDER_NANOS)) {
                    work += out.drain(); // nobody is offering: the I/O thread moves the queued bytes
                }
                if (out.takeWritable()) {
                    handler.onWritable(this);
                    work++;
                }
            }
            if (!suspended) {
                work += receive();
                if (peerClosed && (inputEnded || !in.hasData()) && (rx.position() == 0 || !lastCallConsumed)) {
                    return; // orderly close by the peer, everything it sent was delivered
                }
            }
            if (inputEnded && out.endWritten()) {
                return; // both directions shut down (and our end record is behind all our bytes)
            }
            if (work > 0) {
                idle = false;
            } else if (!idle) {
                idle = true;
                idleSince = System.nanoTime();
            } else {
                final long idleFor = System.nanoTime() - idleSince;
                if (idleFor < spinNanos) {
                    // a yield now and then: when the peer's thread was woken onto our CPU (busy machine), a pure
                    // spin would keep it off the CPU for the whole spin phase and every hop would cost spinNanos
                    if ((++spins & SPIN_YIELD_MASK) == 0) {
                        Thread.yield();
                    } else {
                        Thread.onSpinWait();
                    }
                } else if (idleFor < spinNanos + yieldNanos) {
                    Thread.yield();
                } else {
                    // after a timed park for a busy sender, stay idle: park again unless something happened
                    idle = park();
                }
            }
        }
    }

    /** Copies from the ring into rx and hands rx to the handler; returns a measure of progress. */
    private int receive() {
        int work = 0;
        if (rxFilled && rx.position() == 0 && rx.capacity() < RX_BUFFER_MAX) {
            rx = ByteBuffer.allocate(Math.min(rx.capacity() * 2, RX_BUFFER_MAX));
        }
        if (!inputEnded && rx.hasRemaining()) {
            final int n = in.read(rx);
            rxFilled = !rx.hasRemaining();
            if (in.takeHeadMoved() && in.takeWriterWakeup()) {
                side.sendWake(); // the peer's producer parked waiting for the space we just freed
            }
            if (n > 0) {
                fresh = true;
                work += n;
            }
        }
        if (rx.position() > 0 && (fresh || lastCallConsumed || resumed)) {
            resumed = false;
            work += deliver();
        }
        if (in.endSeen() && !inputEnded && (rx.position() == 0 || (!fresh && !lastCallConsumed))) {
            inputEnded = true;
            handler.onInputShutdown(this);
            work++;
        }
        return work;
    }

    private int deliver() {
        rx.flip();
        final int available = rx.limit();
        handler.onData(this, rx);
        // the handler may have moved position or limit: trust only a position inside what we gave it
        final int consumed = Math.min(Math.max(rx.position(), 0), available);
        rx.limit(available).position(consumed);
        rx.compact();
        fresh = false;
        lastCallConsumed = consumed > 0;
        return consumed;
    }

    /** Parks until woken; returns true if it was a short timed park because a sender is busy. */
    private boolean park() throws IOException {
        out.idle();
        rxFilled = false;
        if (rx.position() == 0 && rx.capacity() > rxInitial) {
            rx = ByteBuffer.allocate(rxInitial); // an idle connection holds the small buffer only
        }
        sleeping = true;
        final boolean reading = !suspended && !inputEnded;
        final boolean writing = out.needsIo();
        // a sender that keeps offering drains its own backlog: do not have the consumer wake us for free space
        final boolean senderBusy = writing && out.senderBusy(BUSY_SENDER_NANOS);
        final boolean awaitSpace = writing && !senderBusy;
        try {
            if (reading) {
                in.readerWaiting(true);
            }
            if (awaitSpace) {
                out.writerWaiting(true);
            }
            // resumed: bytes the handler left before it suspended wait in rx, not in the ring, so the ring's
            // emptiness says nothing; read suspended before resumed (resumeReads writes them the other way round)
            if (!closeRequested.get() && !(reading && in.hasData()) && !(awaitSpace && out.canProgress())
                    && reading == (!suspended && !inputEnded) && !resumed) {
                if (senderBusy) {
                    side.await(BUSY_SENDER_PARK_MILLIS);
                } else {
                    side.await();
                }
            }
        } finally {
            sleeping = false;
            if (reading) {
                in.readerWaiting(false);
            }
            if (awaitSpace) {
                out.writerWaiting(false);
            }
        }
        final SideChannel.Event e = side.drainEvents();
        if (SideChannel.Event.PEER_CLOSED == e) {
            peerClosed = true;
            side.stopReading(); // end of file follows; from now on only local events wake this thread
        } else if (SideChannel.Event.PEER_GONE == e && !peerClosed) {
            throw new IpcException(ErrorCode.TRANSPORT_IO, "shm peer of " + id
                    + " closed the side channel without an orderly close (process died?)");
        }
        return senderBusy;
    }

    private void finish(final IpcException cause) {
        closeRequested.set(true);
        out.close();
        if (cause == null) {
            side.sendClose();
        }
        side.close();
        onFinished.accept(this);
        if (cause != null) {
            LOG.debug("shm connection {} closed: {}", id, cause.getMessage());
        }
        try {
            handler.onClose(this, cause);
        } catch (RuntimeException e) {
            LOG.warn("onClose of shm connection {} threw", id, e);
        }
    }

    /** For tests: the outbound ring's producer. */
    WriteQueue writeQueue() {
        return out;
    }

    @Override
    public String toString() {
        return "ShmConnection[" + id + " " + address + "]";
    }
}
