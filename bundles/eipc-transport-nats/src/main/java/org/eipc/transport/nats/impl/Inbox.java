package org.eipc.transport.nats.impl;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;
import org.eipc.spi.transport.ConnectionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receiving half of a {@link StreamConnection}: in-order packets waiting for the handler, the bytes it left
 * unconsumed, and the handler events ({@code onOpen}, {@code onData}, {@code onWritable}, {@code onInputShutdown},
 * {@code onClose}) in the order the SPI promises.
 *
 * <p>Handler calls run one at a time, in order, on whichever thread drains: the NATS dispatcher thread for
 * arriving data, the transport's event thread for everything triggered elsewhere ({@code resumeReads},
 * {@code close}, {@code onOpen} of a connecting side). The handler is never called with a lock held. Bytes a
 * handler leaves in the buffer are delivered again in front of newer ones: at once if it consumed something,
 * else with the next packet or after {@code resumeReads}.
 */
final class Inbox {
    private static final Logger LOG = LoggerFactory.getLogger(Inbox.class);
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    /** {@link #accept} results. */
    static final int OK = 0;
    static final int IGNORED = 1;
    static final int CLOSE_NOW = 2;

    private final StreamConnection conn;
    private final NatsSettings settings;
    private final String id;
    private final CompletableFuture<Void> openDone = new CompletableFuture<>();
    private volatile ConnectionHandler handler;
    private volatile long consumed;

    // guarded by this
    private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
    private long queuedBytes;
    private boolean openReady;
    private boolean opened;
    private boolean suspended;
    private boolean writablePending;
    private boolean eof;
    private boolean peerClosed;
    private boolean inputShutDelivered;
    private boolean closing;
    private boolean closeDelivered;
    private boolean draining;
    private IpcException closeCause;

    // owned by the draining thread
    private ByteBuffer carry = EMPTY;
    private boolean lastProgress = true;

    Inbox(StreamConnection conn, NatsSettings settings, String id) {
        this.conn = conn;
        this.settings = settings;
        this.id = id;
    }

    void handler(ConnectionHandler h) {
        this.handler = h;
    }

    /** Stream bytes the handler consumed so far (the credit reported to the peer). */
    long consumed() {
        return consumed;
    }

    /** Lets onOpen be delivered; the future completes once it returned (or fails if the connection closed). */
    CompletableFuture<Void> openReady() {
        synchronized (this) {
            openReady = true;
        }
        return openDone;
    }

    synchronized void suspend() {
        suspended = true;
    }

    /** True if reads were suspended (the caller then drains). */
    synchronized boolean resume() {
        boolean was = suspended;
        suspended = false;
        return was;
    }

    synchronized void writable() {
        writablePending = true;
    }

    synchronized boolean inputShutDelivered() {
        return inputShutDelivered;
    }

    /** Marks the connection closing (queued data is dropped); false if it already was. */
    boolean beginClose(IpcException cause) {
        synchronized (this) {
            if (closing) {
                return false;
            }
            closing = true;
            closeCause = cause;
            queue.clear();
            queuedBytes = 0;
            return true;
        }
    }

    /**
     * Takes an in-order sequenced packet (data, end of output, close).
     *
     * @return {@link #OK}, {@link #IGNORED} (closing) or {@link #CLOSE_NOW} (the peer closed after everything
     *         was delivered)
     * @throws IpcException a packet the peer must not send (the caller fails the connection)
     */
    int accept(byte kind, byte[] p) {
        synchronized (this) {
            if (closing) {
                return IGNORED;
            }
            if (eof && Packet.CLOSE == kind && !peerClosed) {
                peerClosed = true; // close() after shutdownOutput(): the peer is gone now
                return inputShutDelivered ? CLOSE_NOW : OK;
            }
            if (eof) {
                throw new IpcException(ErrorCode.PROTOCOL_VIOLATION, "NATS connection " + id
                        + ": packet after the peer shut its output down");
            }
            if (Packet.DATA == kind) {
                int n = Packet.payloadLength(p);
                long buffered = queuedBytes + n;
                if (0 == n) {
                    throw new IpcException(ErrorCode.PROTOCOL_VIOLATION, "NATS connection " + id
                            + ": empty data packet");
                }
                if (buffered > settings.window() + NatsSettings.MAX_OFFER) {
                    throw new IpcException(ErrorCode.QUOTA_EXCEEDED, "NATS connection " + id + ": the peer sent "
                            + buffered + " bytes beyond what was consumed, more than its window");
                }
                queue.add(p);
                queuedBytes = buffered;
            } else {
                eof = true;
                peerClosed = Packet.CLOSE == kind;
            }
            return OK;
        }
    }

    // ---- delivering to the handler ---------------------------------------------------------------------------

    private enum Action { OPEN, WRITABLE, DATA, INPUT_SHUTDOWN, CLOSE }

    /** Delivers pending events until there is nothing to do; returns at once if another thread delivers. */
    void drain() {
        synchronized (this) {
            if (draining) {
                return;
            }
            draining = true;
        }
        boolean done = false;
        try {
            while (true) {
                Action a;
                byte[] chunk = null;
                synchronized (this) {
                    a = next();
                    if (a == null) {
                        draining = false;
                        done = true;
                        return;
                    }
                    if (Action.DATA == a) {
                        chunk = queue.poll();
                        if (chunk != null) {
                            queuedBytes -= Packet.payloadLength(chunk);
                        }
                    }
                }
                perform(a, chunk);
            }
        } finally {
            if (!done) {
                synchronized (this) {
                    draining = false;
                }
            }
        }
    }

    /** The next thing to deliver, or null; lock held. */
    private Action next() {
        if (closeDelivered) {
            return null;
        }
        if (closing) {
            return Action.CLOSE;
        }
        if (!opened) {
            return openReady ? Action.OPEN : null;
        }
        if (writablePending) {
            writablePending = false;
            return Action.WRITABLE;
        }
        if (suspended) {
            return null;
        }
        if (!queue.isEmpty() || (lastProgress && carry.hasRemaining())) {
            return Action.DATA;
        }
        if (eof && !inputShutDelivered) {
            inputShutDelivered = true;
            return Action.INPUT_SHUTDOWN;
        }
        return null;
    }

    private void perform(Action a, byte[] chunk) {
        ConnectionHandler h = handler;
        try {
            switch (a) {
                case OPEN:
                    synchronized (this) {
                        opened = true;
                    }
                    h.onOpen(conn);
                    openDone.complete(null);
                    break;
                case WRITABLE:
                    h.onWritable(conn);
                    break;
                case DATA:
                    deliver(h, chunk);
                    break;
                case INPUT_SHUTDOWN:
                    h.onInputShutdown(conn);
                    afterInputShutdown();
                    break;
                case CLOSE:
                    deliverClose(h);
                    break;
                default:
                    throw new IllegalStateException("action " + a);
            }
        } catch (IpcException e) {
            if (Action.CLOSE != a) {
                conn.fail(e, false);
            }
        } catch (RuntimeException e) {
            if (Action.CLOSE != a) {
                LOG.debug("handler of NATS connection {} threw", id, e);
                conn.fail(new IpcException(ErrorCode.INTERNAL, "handler of " + id + " threw " + e, e), false);
            }
        }
    }

    private void afterInputShutdown() {
        boolean closeNow = conn.outputShut();
        synchronized (this) {
            closeNow |= peerClosed;
        }
        if (closeNow) {
            conn.close();
        }
    }

    private void deliverClose(ConnectionHandler h) {
        IpcException cause;
        synchronized (this) {
            closeDelivered = true;
            cause = closeCause;
        }
        carry = EMPTY;
        openDone.completeExceptionally(cause != null ? cause
                : new IpcException(ErrorCode.CONNECTION_CLOSED, "NATS connection " + id + " closed"));
        if (h == null) {
            return;
        }
        try {
            h.onClose(conn, cause);
        } catch (RuntimeException e) {
            LOG.warn("onClose of {} threw", id, e);
        }
    }

    /** Hands bytes to the handler; keeps what it left for the next call. Draining thread only. */
    private void deliver(ConnectionHandler h, byte[] chunk) {
        ByteBuffer buf;
        boolean fromCarry = carry.hasRemaining() || chunk == null;
        if (fromCarry) {
            if (chunk != null) {
                appendToCarry(chunk, Packet.HEADER_LENGTH, Packet.payloadLength(chunk));
            }
            buf = carry;
        } else {
            buf = ByteBuffer.wrap(chunk, Packet.HEADER_LENGTH, Packet.payloadLength(chunk)).slice();
        }
        final int start = buf.position();
        try {
            h.onData(conn, buf);
        } finally {
            final int used = buf.position() - start;
            lastProgress = used > 0;
            if (!fromCarry && buf.hasRemaining()) {
                appendToCarry(chunk, Packet.HEADER_LENGTH + used, buf.remaining());
            }
            if (used > 0) {
                consumed += used;
                conn.maybeAck();
            }
        }
    }

    private void appendToCarry(byte[] src, int offset, int length) {
        final int have = carry.remaining();
        final long need = (long) have + length;
        if (need > settings.window() + NatsSettings.MAX_OFFER) {
            // accept() bounds the queue the same way; this only guards the arithmetic
            throw new IpcException(ErrorCode.QUOTA_EXCEEDED, "NATS connection " + id + ": " + need
                    + " unconsumed bytes");
        }
        if (carry.capacity() < need) {
            long grown = Math.max(need, Math.min(2L * carry.capacity(), settings.window() + NatsSettings.MAX_OFFER));
            ByteBuffer n = ByteBuffer.allocate((int) grown);
            n.put(carry);
            n.put(src, offset, length);
            n.flip();
            carry = n;
        } else {
            carry.compact();
            carry.put(src, offset, length);
            carry.flip();
        }
    }
}
