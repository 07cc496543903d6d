package org.eipc.runtime.impl;

import java.nio.ByteBuffer;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.eipc.api.ErrorCode;
import org.eipc.api.Header;
import org.eipc.api.IpcException;
import org.eipc.protocol.Frame;
import org.eipc.protocol.FrameDecoder;
import org.eipc.protocol.FrameEncoder;
import org.eipc.protocol.FrameFlags;
import org.eipc.protocol.FrameListener;
import org.eipc.protocol.ProtocolLimits;
import org.eipc.protocol.ProtocolMode;
import org.eipc.protocol.StreamDecoder;
import org.eipc.spi.security.FrameMac;
import org.eipc.spi.transport.Connection;
import org.eipc.spi.transport.ConnectionHandler;
import org.eipc.spi.transport.OfferResult;
import org.eipc.spi.transport.Transport;

/**
 * One connection as the runtime sees it: a replaceable carrier of a session. It owns the connection's stream
 * decoder (with a {@link SwitchableMac} so the handshake and then the session can change the receive key) and
 * hands frames to its current {@link FrameSink}. A bad frame closes this carrier only.
 */
final class Carrier implements ConnectionHandler, FrameListener {
    /** How long a connection that got a denial stays half-closed before it is closed for good. */
    private static final long LINGER_MILLIS = 1000;

    private final Transport transport;
    private final ScheduledExecutorService timer;
    private final SwitchableMac verifier;
    private final StreamDecoder decoder;
    private final FrameEncoder encoder = new FrameEncoder();
    private final AtomicBoolean closedReported = new AtomicBoolean();
    private volatile FrameSink sink;
    private volatile Connection connection;
    private volatile IpcException closeCause;
    private volatile Runnable closeHook;
    private IpcException sinkFailure; // I/O thread only

    Carrier(Transport transport, ProtocolMode mode, FrameMac initialVerifier, FrameSink sink,
            ScheduledExecutorService timer) {
        this.transport = transport;
        this.timer = timer;
        this.verifier = new SwitchableMac(initialVerifier);
        this.decoder = new StreamDecoder(new FrameDecoder(mode), verifier, this);
        this.sink = sink;
    }

    Transport transport() {
        return transport;
    }

    Connection connection() {
        return connection;
    }

    /** Switches the receive key; call on the connection's I/O thread (inside {@link FrameSink#onFrame}). */
    void switchVerifier(FrameMac next) {
        verifier.switchTo(next);
    }

    FrameMac verifier() {
        return verifier.current();
    }

    /** Runs once when the connection closes, before the sink hears of it (endpoints untrack the carrier). */
    void closeHook(Runnable hook) {
        this.closeHook = hook;
    }

    void sink(FrameSink next) {
        this.sink = next;
    }

    FrameSink sink() {
        return sink;
    }

    void bind(Connection c) {
        if (connection == null) {
            connection = c;
        }
    }

    boolean isOpen() {
        Connection c = connection;
        return c != null && c.isOpen() && closeCause == null;
    }

    @Override
    public void onOpen(Connection c) {
        bind(c);
    }

    @Override
    public void onData(Connection c, ByteBuffer data) {
        bind(c);
        if (closeCause != null) {
            data.position(data.limit());
            return;
        }
        try {
            decoder.feed(data);
        } catch (IpcException e) {
            data.position(data.limit());
            if (e != sinkFailure) {
                try {
                    sink.onDecodeFailure(this, e);
                } catch (RuntimeException ignored) {
                    // the carrier closes anyway
                }
            }
            if (closeCause == null) {
                close(e);
            }
        } catch (RuntimeException e) {
            data.position(data.limit());
            close(new IpcException(ErrorCode.INTERNAL, "frame handling failed: " + e, e));
        }
    }

    @Override
    public void onFrame(Frame frame, long streamOffset) {
        try {
            sink.onFrame(this, frame);
        } catch (IpcException e) {
            sinkFailure = e;
            throw e;
        }
    }

    /** EIPC has no use for a half-open stream: the peer's end of input ends the carrier. */
    @Override
    public void onInputShutdown(Connection c) {
        bind(c);
        close(new IpcException(ErrorCode.CONNECTION_CLOSED, "the peer closed the connection"));
    }

    @Override
    public void onWritable(Connection c) {
        sink.onWritable(this);
    }

    @Override
    public void onClose(Connection c, IpcException cause) {
        bind(c);
        reportClosed(cause);
    }

    /** Tells the sink (once, whoever comes first: the transport or {@link #closeNow}) that this carrier closed. */
    private void reportClosed(IpcException cause) {
        if (closedReported.compareAndSet(false, true)) {
            IpcException why = closeCause != null ? closeCause : cause;
            Runnable hook = closeHook;
            if (hook != null) {
                hook.run();
            }
            sink.onClosed(this, why);
        }
    }

    /**
     * Encodes and offers one frame now (handshake and control frames). Thread-safe.
     *
     * @return the transport's answer
     */
    synchronized OfferResult sendFrame(byte type, Header header, byte[] payload, FrameMac signer) {
        int len = encoder.encodedLength(header, payload.length, true) + ProtocolLimits.PREFIX;
        ByteBuffer out = ByteBuffer.allocate(len);
        encoder.encodeWithPrefix(type, FrameFlags.HMAC, header, ByteBuffer.wrap(payload), signer, out);
        out.flip();
        Connection c = connection;
        return c == null ? OfferResult.CLOSED : c.offer(out);
    }

    /** True once the connection reported its close (to whichever sink it had then). */
    boolean closeReported() {
        return closedReported.get();
    }

    /** Offers already encoded bytes (prefix included). */
    OfferResult offer(ByteBuffer encoded) {
        Connection c = connection;
        return c == null ? OfferResult.CLOSED : c.offer(encoded);
    }

    /** Closes the connection now, remembering why. Idempotent. */
    void close(IpcException cause) {
        if (closeCause == null && cause != null) {
            closeCause = cause;
        }
        Connection c = connection;
        if (c != null) {
            // Not inline, although the NIO engine's read-buffer NPE is fixed: close() may run onClose (and so the
            // session's onClosed, which takes the session's locks) synchronously on the calling thread, and callers
            // hold session locks in either order. The hop through the timer keeps lock order out of it.
            runOffThread(c::close);
        }
    }

    /**
     * Closes the connection on the calling thread and tells the sink before returning, unless the transport told it
     * first (then it may still be at it: a caller that must know the session let go checks the session). Only for
     * a caller that holds no session lock: a transport's unbind, so the session detaches now instead of after a hop
     * through the timer and the transport's I/O thread.
     */
    void closeNow(IpcException cause) {
        if (closeCause == null && cause != null) {
            closeCause = cause;
        }
        Connection c = connection;
        if (c != null) {
            c.close();
        }
        reportClosed(cause);
    }

    private void runOffThread(Runnable r) {
        try {
            timer.execute(r);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            r.run(); // the runtime is shutting down
        }
    }

    /** Why this carrier was closed by our side ({@link #close(IpcException)}), or null. */
    IpcException closeCause() {
        return closeCause;
    }

    /** Ends output after what is queued (a denial), then closes a little later. */
    void closeAfterFlush(IpcException cause) {
        if (closeCause == null) {
            closeCause = cause;
        }
        Connection c = connection;
        if (c == null) {
            return;
        }
        runOffThread(() -> {
            try {
                c.shutdownOutput();
            } catch (RuntimeException e) {
                c.close();
                return;
            }
            timer.schedule(c::close, LINGER_MILLIS, TimeUnit.MILLISECONDS);
        });
    }

    @Override
    public String toString() {
        Connection c = connection;
        return "Carrier[" + (c == null ? "unconnected" : c.scheme() + ":" + c.id()) + "]";
    }
}
