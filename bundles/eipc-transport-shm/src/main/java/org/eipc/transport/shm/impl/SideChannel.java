package org.eipc.transport.shm.impl;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;

/**
 * The Unix domain socket next to the rings: it carries the set-up handshake, then one byte per wake-up and
 * the orderly-close byte. Its end of file is how a dead peer process is noticed (the kernel closes the socket
 * of a killed process).
 *
 * <p>The socket is non-blocking. The I/O thread parks in {@link #await()} on a selector of its own, which is
 * both the wake-up from the peer (a byte arrives) and from this process ({@link #wakeupLocal()}). Writes never
 * block: when the socket buffer is full, the peer has unread bytes and will wake anyway, so a wake-up byte
 * that does not fit is not lost.
 */
final class SideChannel implements AutoCloseable {
    static final byte WAKE = 'W';
    static final byte CLOSE = 'X';

    /** What {@link #drainEvents()} found. */
    enum Event { NONE, PEER_CLOSED, PEER_GONE }

    private final SocketChannel channel;
    private final Selector selector;
    private final ByteBuffer wake = ByteBuffer.allocate(1);
    private final ByteBuffer events = ByteBuffer.allocate(64);

    SideChannel(final SocketChannel channel) throws IOException {
        this.channel = channel;
        channel.configureBlocking(false);
        this.selector = Selector.open();
        try {
            channel.register(selector, SelectionKey.OP_READ);
        } catch (IOException | RuntimeException e) {
            selector.close();
            throw e;
        }
    }

    SocketChannel channel() {
        return channel;
    }

    /** Writes all of {@code src} before {@code deadline} (System.nanoTime) or fails with HANDSHAKE_TIMEOUT. */
    void writeFully(final ByteBuffer src, final long deadline) throws IOException {
        while (src.hasRemaining()) {
            if (channel.write(src) == 0) {
                waitFor(SelectionKey.OP_WRITE, deadline);
            }
        }
    }

    /** Reads exactly {@code dst.remaining()} bytes before {@code deadline} or fails. */
    void readFully(final ByteBuffer dst, final long deadline) throws IOException {
        while (dst.hasRemaining()) {
            final int n = channel.read(dst);
            if (n < 0) {
                throw new IpcException(ErrorCode.CONNECT_FAILED, "peer closed the side channel during set-up");
            }
            if (n == 0) {
                waitFor(SelectionKey.OP_READ, deadline);
            }
        }
    }

    private void waitFor(final int op, final long deadline) throws IOException {
        final long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new IpcException(ErrorCode.HANDSHAKE_TIMEOUT, "shared-memory set-up did not finish in time");
        }
        final SelectionKey key = channel.keyFor(selector);
        key.interestOps(op);
        try {
            selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            selector.selectedKeys().clear();
        } finally {
            key.interestOps(SelectionKey.OP_READ);
        }
    }

    /** Sends one wake-up byte. Never blocks and never throws: a dead peer is noticed by the reading side. */
    void sendWake() {
        synchronized (wake) {
            wake.clear();
            wake.put(0, WAKE);
            try {
                channel.write(wake);
            } catch (IOException e) {
                // peer gone: the I/O thread sees end of file or a reset on its next read
            }
        }
    }

    /** Best effort: tells the peer that the close is orderly. */
    void sendClose() {
        synchronized (wake) {
            wake.clear();
            wake.put(0, CLOSE);
            try {
                channel.write(wake);
            } catch (IOException e) {
                // the peer is gone already
            }
        }
    }

    /** Blocks until a byte arrives or {@link #wakeupLocal()} is called (possibly before this call). */
    void await() throws IOException {
        selector.select();
        selector.selectedKeys().clear();
    }

    /** Like {@link #await()}, but returns after {@code millis} at the latest. */
    void await(final long millis) throws IOException {
        selector.select(millis);
        selector.selectedKeys().clear();
    }

    /** After the peer's close byte: stop selecting on the socket, whose end of file would always be ready. */
    void stopReading() {
        final SelectionKey key = channel.keyFor(selector);
        if (key != null) {
            key.interestOps(0);
        }
    }

    void wakeupLocal() {
        selector.wakeup();
    }

    /**
     * Reads every pending byte without blocking.
     *
     * @throws IpcException {@link ErrorCode#PROTOCOL_VIOLATION} for a byte that is not part of the protocol,
     *         {@link ErrorCode#TRANSPORT_IO} for a socket error (a reset from a dying peer)
     */
    Event drainEvents() {
        Event result = Event.NONE;
        try {
            while (true) {
                events.clear();
                final int n = channel.read(events);
                if (n < 0) {
                    return result == Event.PEER_CLOSED ? result : Event.PEER_GONE;
                }
                if (n == 0) {
                    return result;
                }
                for (int i = 0; i < n; i++) {
                    final byte b = events.get(i);
                    if (CLOSE == b) {
                        result = Event.PEER_CLOSED;
                    } else if (WAKE != b) {
                        throw new IpcException(ErrorCode.PROTOCOL_VIOLATION,
                                "unexpected byte 0x" + Integer.toHexString(b & 0xFF) + " on the side channel");
                    }
                }
            }
        } catch (IOException e) {
            if (result == Event.PEER_CLOSED) {
                return result;
            }
            throw new IpcException(ErrorCode.TRANSPORT_IO, "side channel failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            selector.close();
        } catch (IOException e) {
            // closing anyway
        }
        try {
            channel.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
