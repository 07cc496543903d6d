package org.eipc.protocol.ipcprims;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.locks.ReentrantLock;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;
import org.eipc.spi.transport.Connection;
import org.eipc.spi.transport.OfferResult;

/**
 * The send side of an {@link IpcprimsPeer}: encodes frames into one buffer per frame (a transport offer is
 * written whole, so a frame never interleaves with another sender's) and keeps the CONTROL replies (pong,
 * shutdown_ack) that met back-pressure, ahead of any later frame. Thread-safe through one lock.
 */
final class PeerOutput {
    /** Scratch buffers up to this size are kept; larger frames use a one-off buffer. */
    private static final int SCRATCH_RETAIN = 64 * 1024;
    /** Bound on CONTROL replies queued while the transport pushes back. */
    private static final int MAX_PENDING_CONTROL = 1024;

    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<byte[]> pending = new ArrayDeque<>(); // guarded by lock
    private ByteBuffer scratch; // guarded by lock
    private boolean shutdownWanted; // guarded by lock
    private boolean shutdownDone; // guarded by lock
    private volatile Connection connection;

    void bind(Connection c) {
        connection = c;
    }

    void lock() {
        lock.lock();
    }

    void unlock() {
        lock.unlock();
    }

    /** Encodes and offers one data frame; the payload's position moves to its limit when accepted. */
    OfferResult offerData(int channel, ByteBuffer payload) {
        lock.lock();
        try {
            if (!flushLocked()) {
                return OfferResult.BACK_PRESSURE;
            }
            final int total = IpcprimsFrame.HEADER_LENGTH + payload.remaining();
            final ByteBuffer buf;
            if (total <= SCRATCH_RETAIN) {
                if (scratch == null || scratch.capacity() < total) {
                    scratch = ByteBuffer.allocate(Math.max(total, 512));
                }
                buf = scratch.clear();
            } else {
                buf = ByteBuffer.allocate(total);
            }
            IpcprimsFrameEncoder.encode(buf, channel, payload, Integer.MAX_VALUE);
            buf.flip();
            final OfferResult r = connection.offer(buf);
            if (r == OfferResult.ACCEPTED) {
                payload.position(payload.limit());
            }
            return r;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Offers a CONTROL frame, or queues it behind back-pressure (then reports ACCEPTED: it will be written
     * before anything else).
     *
     * @throws IpcException {@link ErrorCode#QUOTA_EXCEEDED} when too many replies wait for the peer to read
     */
    OfferResult offerControl(byte[] frame) {
        final Connection c = connection;
        if (c == null) {
            return OfferResult.CLOSED;
        }
        lock.lock();
        try {
            if (flushLocked()) {
                final OfferResult r = c.offer(ByteBuffer.wrap(frame));
                if (r != OfferResult.BACK_PRESSURE) {
                    return r;
                }
            }
            if (pending.size() >= MAX_PENDING_CONTROL) {
                throw new IpcException(ErrorCode.QUOTA_EXCEEDED, "too many CONTROL replies waiting for the peer to read");
            }
            pending.add(frame.clone());
            return OfferResult.ACCEPTED;
        } finally {
            lock.unlock();
        }
    }

    /** Offers a ready frame without queueing; the caller holds the lock and has flushed. */
    OfferResult offerLocked(byte[] frame) {
        return connection.offer(ByteBuffer.wrap(frame));
    }

    /** Writes queued frames; true when none is left. */
    boolean flush() {
        lock.lock();
        try {
            return flushLocked();
        } finally {
            lock.unlock();
        }
    }

    /** Writes queued frames (caller holds the lock); true when none is left. */
    boolean flushLocked() {
        final Connection c = connection;
        while (!pending.isEmpty()) {
            final OfferResult r = c.offer(ByteBuffer.wrap(pending.peek()));
            if (r == OfferResult.BACK_PRESSURE) {
                return false;
            }
            Arrays.fill(pending.poll(), (byte) 0); // a queued request may hold the auth token
        }
        if (shutdownWanted && !shutdownDone) {
            shutdownDone = true;
            c.shutdownOutput();
        }
        return true;
    }

    /** Shuts our output down once every queued frame is written. */
    void shutdownWhenFlushed() {
        lock.lock();
        try {
            shutdownWanted = true;
            flushLocked();
        } finally {
            lock.unlock();
        }
    }
}
