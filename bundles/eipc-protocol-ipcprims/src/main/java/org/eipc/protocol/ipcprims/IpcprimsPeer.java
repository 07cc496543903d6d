package org.eipc.protocol.ipcprims;

import java.nio.ByteBuffer;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;
import org.eipc.protocol.ipcprims.impl.JsonWriter;
import org.eipc.spi.transport.Connection;
import org.eipc.spi.transport.ConnectionHandler;
import org.eipc.spi.transport.OfferResult;

/**
 * One ipcprims connection, client or server side, run over any transport {@link Connection}. Pass it as the
 * {@link ConnectionHandler} to {@code Transport.connect}/{@code listen} (or call {@link #start} and feed it
 * {@link #onData} yourself): it performs the handshake, enforces the negotiated channels, the frame limits and
 * the CONTROL protocol, answers pings, runs the shutdown exchange and hands data frames to an
 * {@link IpcprimsPeerListener}.
 *
 * <p>State machine: {@code NEW -start-> HANDSHAKING -valid handshake frame-> OPEN}; from OPEN,
 * {@link #shutdown()} leads to {@code SHUTTING_DOWN} (closed when the ack arrives), a received
 * {@code shutdown_request} is acknowledged and leads to {@code PEER_SHUTDOWN} (frames that came with it are
 * delivered, later input is discarded, our output is shut down, closed when the other side hangs up). Every
 * protocol error, deadline or hang-up leads to {@code CLOSED}; the connection is then closed without sending
 * anything (like the reference) and {@link IpcprimsPeerListener#onClosed} reports the cause once.
 *
 * <p>Thread safety: transport callbacks must not be concurrent (the SPI guarantees it); {@link #send},
 * {@link #ping()}, {@link #shutdown()}, {@link #checkTimeouts(long)} and {@link #close()} may be called from any
 * thread. Sending never blocks: back-pressure is the {@link OfferResult}.
 */
public final class IpcprimsPeer implements ConnectionHandler {

    /** Life cycle of a peer. */
    public enum State {
        /** Not started. */
        NEW,
        /** Handshake frame sent (client) or awaited (server). */
        HANDSHAKING,
        /** Handshake done; data flows. */
        OPEN,
        /** We asked to shut down and await the acknowledgement. */
        SHUTTING_DOWN,
        /** The other side asked to shut down and we acknowledged. */
        PEER_SHUTDOWN,
        /** Closed; see {@link IpcprimsPeer#failure()}. */
        CLOSED
    }

    private final IpcprimsConfig config;
    private final IpcprimsPeerListener listener;
    private final IpcprimsStreamDecoder decoder;
    private final FrameHandler frameHandler = this::onFrame;
    private final byte[] pingFrame = controlFrame(ControlMessages.PING);
    private final byte[] pongFrame = controlFrame(ControlMessages.PONG);
    private final byte[] ackFrame = controlFrame(ControlMessages.SHUTDOWN_ACK);

    private final PeerOutput output = new PeerOutput();
    private final PingTracker pings = new PingTracker();
    private final Object lock = new Object();
    private long deadline; // guarded by lock
    private ScheduledFuture<?> timerTask; // guarded by lock
    private char[] clientAuthToken; // guarded by lock
    private IpcException failure; // guarded by lock

    private volatile State state = State.NEW;
    private volatile Connection connection;
    private volatile long[] negotiatedBits;
    private volatile int[] negotiated = new int[0];
    private volatile String peerId;
    private volatile ProtocolVersion remoteVersion;

    private int controlInRow; // receive thread only
    private boolean discardInput; // receive thread only

    /**
     * @param config role, channels, limits, ...
     * @param listener receives frames and events
     */
    public IpcprimsPeer(IpcprimsConfig config, IpcprimsPeerListener listener) {
        this.config = config;
        this.listener = listener;
        this.decoder = new IpcprimsStreamDecoder(config.maxHandshakePayload());
    }

    private static byte[] controlFrame(String type) {
        return IpcprimsFrameEncoder.encodeToArray(IpcprimsChannels.CONTROL, ControlMessages.encode(type));
    }

    // ---- life cycle --------------------------------------------------------------------------------------

    /**
     * Binds the connection and starts the handshake (a client sends its request now) and its deadline.
     * Idempotent; called by {@link #onOpen} and, if that was skipped, by the first {@link #onData}.
     */
    public void start(Connection c) {
        synchronized (lock) {
            if (state != State.NEW) {
                return;
            }
            connection = c;
            output.bind(c);
            state = State.HANDSHAKING;
            deadline = config.clock().getAsLong() + config.handshakeTimeout().toNanos();
            schedule(config.handshakeTimeout().toNanos());
        }
        if (config.role() == IpcprimsRole.CLIENT) {
            final HandshakeRequest req = new HandshakeRequest(config.protocolName(), config.version().toString(),
                    config.channels(), config.authTokenRef());
            final byte[] json = req.encode();
            req.wipe();
            final byte[] frame = IpcprimsFrameEncoder.encodeToArray(IpcprimsChannels.CONTROL, json);
            java.util.Arrays.fill(json, (byte) 0);
            final OfferResult r = output.offerControl(frame);
            java.util.Arrays.fill(frame, (byte) 0); // the request may carry the auth token
            if (r == OfferResult.CLOSED) {
                finish(new IpcException(ErrorCode.CONNECTION_CLOSED, "connection closed before the handshake"));
            }
        }
    }

    private void schedule(long delayNanos) {
        final ScheduledExecutorService t = config.timer();
        if (t != null) {
            if (timerTask != null) {
                timerTask.cancel(false);
            }
            timerTask = t.schedule(() -> checkTimeouts(config.clock().getAsLong()), delayNanos, TimeUnit.NANOSECONDS);
        }
    }

    /**
     * Enforces the handshake deadline ({@link ErrorCode#HANDSHAKE_TIMEOUT}), the deadline of our shutdown
     * request ({@link ErrorCode#REQUEST_TIMEOUT}) and ends an acknowledged peer shutdown whose other side does
     * not hang up. Called by the configured timer, or by the owner when there is none.
     *
     * @param nowNanos the current time of the configured clock
     */
    public void checkTimeouts(long nowNanos) {
        IpcException e = null;
        boolean graceful = false;
        synchronized (lock) {
            final boolean due = nowNanos - deadline >= 0;
            if (due && state == State.HANDSHAKING) {
                e = new IpcException(ErrorCode.HANDSHAKE_TIMEOUT,
                        "request timed out after " + config.handshakeTimeout().toMillis() + " ms");
            } else if (due && state == State.SHUTTING_DOWN) {
                e = new IpcException(ErrorCode.REQUEST_TIMEOUT, "timed out waiting for shutdown acknowledgement");
            } else if (due && state == State.PEER_SHUTDOWN) {
                graceful = true;
            }
        }
        if (e != null) {
            finish(e);
        } else if (graceful) {
            finish(null);
        }
    }

    /** Closes the connection at once (no shutdown exchange); {@code onClosed} gets a null cause. Idempotent. */
    public void close() {
        finish(null);
    }

    private void finish(IpcException cause) {
        final Connection c;
        synchronized (lock) {
            if (state == State.CLOSED) {
                return;
            }
            state = State.CLOSED;
            failure = cause;
            if (timerTask != null) {
                timerTask.cancel(false);
                timerTask = null;
            }
            if (clientAuthToken != null) {
                java.util.Arrays.fill(clientAuthToken, '\0');
                clientAuthToken = null;
            }
            c = connection;
        }
        if (c != null) {
            c.close();
        }
        try {
            listener.onClosed(this, cause);
        } catch (RuntimeException ignored) {
            // the listener's failure cannot change the outcome; never throw into the transport's loop
        }
    }

    // ---- ConnectionHandler ---------------------------------------------------------------------------------

    @Override
    public void onOpen(Connection c) {
        start(c);
    }

    @Override
    public void onData(Connection c, ByteBuffer data) {
        if (state == State.NEW) {
            start(c);
        }
        if (state == State.CLOSED || discardInput) {
            data.position(data.limit());
            return;
        }
        try {
            decoder.feed(data, frameHandler);
        } catch (IpcException e) {
            data.position(data.limit());
            finish(e);
        } catch (RuntimeException e) {
            // a bug of ours must not escape into the transport's loop; it ends this connection only
            data.position(data.limit());
            finish(new IpcException(ErrorCode.INTERNAL, "unexpected failure: " + e.getClass().getName(), e));
        }
        if (state == State.PEER_SHUTDOWN) {
            // the request's chunk is delivered; what comes later is after "shutdown requested"
            discardInput = true;
            data.position(data.limit());
            output.shutdownWhenFlushed();
        }
    }

    @Override
    public void onWritable(Connection c) {
        if (output.flush() && state == State.OPEN) {
            try {
                listener.onWritable(this);
            } catch (RuntimeException e) {
                finish(internal(e));
            }
        }
    }

    @Override
    public void onInputShutdown(Connection c) {
        endOfInput();
    }

    @Override
    public void onClose(Connection c, IpcException cause) {
        if (cause != null) {
            finish(cause);
        } else {
            endOfInput();
        }
    }

    private void endOfInput() {
        final State s = state;
        if (s == State.CLOSED) {
            return;
        }
        if (s == State.PEER_SHUTDOWN) {
            finish(null);
            return;
        }
        try {
            decoder.endOfStream();
        } catch (IpcException e) {
            finish(e);
            return;
        }
        finish(new IpcException(ErrorCode.CONNECTION_CLOSED,
                s == State.OPEN || s == State.SHUTTING_DOWN ? "connection closed"
                        : "connection closed during handshake",
                decoder.position()));
    }

    // ---- receive path ----------------------------------------------------------------------------------------

    private boolean onFrame(int channel, ByteBuffer payload, long frameOffset) {
        switch (state) {
            case HANDSHAKING:
                if (channel != IpcprimsChannels.CONTROL) {
                    throw new IpcException(ErrorCode.HANDSHAKE_FAILED,
                            "expected CONTROL channel 0, got " + channel, frameOffset + IpcprimsFrame.CHANNEL_OFFSET);
                }
                if (config.role() == IpcprimsRole.SERVER) {
                    serverHandshake(payload, frameOffset + IpcprimsFrame.HEADER_LENGTH);
                } else {
                    clientHandshake(payload, frameOffset + IpcprimsFrame.HEADER_LENGTH);
                }
                return state != State.CLOSED;
            case OPEN:
            case SHUTTING_DOWN:
            case PEER_SHUTDOWN:
                if (channel == IpcprimsChannels.CONTROL) {
                    return control(payload, frameOffset);
                }
                return data(channel, payload, frameOffset);
            default:
                return false;
        }
    }

    private void serverHandshake(ByteBuffer payload, long at) {
        final HandshakeRequest req = HandshakeRequest.parse(payload, at);
        try {
            final HandshakeRules.Outcome o = HandshakeRules.server(req, config, at);
            final String id = config.nextPeerId();
            final int idLen = id == null ? 0 : HandshakeRequest.utf8Length(id);
            if (idLen < 1 || idLen > HandshakeResponse.MAX_PEER_ID_LENGTH) {
                throw new IpcException(ErrorCode.CONFIG_INVALID, "peer id supplier gave an id of " + idLen + " bytes");
            }
            final byte[] resp = new HandshakeResponse(config.protocolName(), config.version().toString(),
                    o.channels(), id).encode();
            open(o.channels(), id, o.remoteVersion(), req.authToken());
            output.offerControl(IpcprimsFrameEncoder.encodeToArray(IpcprimsChannels.CONTROL, resp));
        } finally {
            req.wipe();
        }
        handshakeDone();
    }

    private void clientHandshake(ByteBuffer payload, long at) {
        final HandshakeResponse resp = HandshakeResponse.parse(payload, at);
        final HandshakeRules.Outcome o = HandshakeRules.client(resp, config, at);
        open(o.channels(), resp.peerId(), o.remoteVersion(), null);
        handshakeDone();
    }

    private void open(int[] neg, String id, ProtocolVersion v, char[] token) {
        final long[] bits = new long[(IpcprimsFrame.MAX_CHANNEL + 1) / 64];
        for (final int ch : neg) {
            bits[ch >>> 6] |= 1L << ch;
        }
        synchronized (lock) {
            if (state != State.HANDSHAKING) {
                throw new IpcException(ErrorCode.ILLEGAL_STATE, "handshake finished twice");
            }
            negotiated = neg;
            negotiatedBits = bits;
            peerId = id;
            remoteVersion = v;
            clientAuthToken = token;
            state = State.OPEN;
            if (timerTask != null) {
                timerTask.cancel(false);
                timerTask = null;
            }
        }
        decoder.maxPayload(config.maxPayload());
    }

    private void handshakeDone() {
        try {
            listener.onHandshake(this);
        } catch (RuntimeException e) {
            throw internal(e);
        }
    }

    private boolean data(int channel, ByteBuffer payload, long frameOffset) {
        if (!isNegotiated(channel)) {
            throw new IpcException(ErrorCode.PROTOCOL_VIOLATION, "received frame on unnegotiated channel " + channel,
                    frameOffset + IpcprimsFrame.CHANNEL_OFFSET);
        }
        controlInRow = 0;
        final ChannelValidator v = config.validator();
        try {
            if (v != null) {
                try {
                    v.validate(channel, payload.duplicate());
                } catch (IpcException e) {
                    listener.onValidationFailed(channel, e);
                    reportValidationError(e);
                    return state != State.CLOSED;
                }
            }
            listener.onFrame(channel, payload);
        } catch (RuntimeException e) {
            throw internal(e);
        }
        return state != State.CLOSED;
    }

    private void reportValidationError(IpcException e) {
        if (config.reportValidationErrors() && state == State.OPEN && isNegotiated(IpcprimsChannels.ERROR)) {
            final byte[] json = new JsonWriter(128).beginObject().name("error")
                    .value("schema validation error: " + e.getMessage()).endObject().toByteArray();
            if (json.length <= config.maxPayload()) {
                output.offerControl(IpcprimsFrameEncoder.encodeToArray(IpcprimsChannels.ERROR, json));
            }
        }
    }

    private boolean control(ByteBuffer payload, long frameOffset) {
        final String type = ControlMessages.parseType(payload, frameOffset + IpcprimsFrame.HEADER_LENGTH);
        if (ControlMessages.PONG.equals(type) && matchPong()) {
            return state != State.CLOSED; // an answer to our own ping is not flooding
        }
        final int limit = config.maxControlFramesInRow();
        if (limit > 0 && ++controlInRow > limit) {
            throw new IpcException(ErrorCode.QUOTA_EXCEEDED, "control frame flood detected (more than " + limit
                    + " CONTROL frames in a row)", frameOffset);
        }
        switch (type) {
            case ControlMessages.PING:
                output.offerControl(pongFrame);
                return true;
            case ControlMessages.PONG:
                return true; // unsolicited: ignored, like the reference
            case ControlMessages.SHUTDOWN_REQUEST:
                return peerShutdownRequest();
            case ControlMessages.SHUTDOWN_ACK:
                if (state == State.SHUTTING_DOWN) {
                    finish(null);
                    return false;
                }
                // the reference treats an unsolicited ack as an unknown type; it is a violation either way
                throw new IpcException(ErrorCode.PROTOCOL_VIOLATION,
                        "unsolicited shutdown_ack (unknown CONTROL message type)", frameOffset);
            case ControlMessages.SHUTDOWN_FORCE:
                if (config.allowShutdownForce()) {
                    throw new IpcException(ErrorCode.CONNECTION_CLOSED, "force shutdown", frameOffset);
                }
                throw new IpcException(ErrorCode.PROTOCOL_VIOLATION, "received disallowed SHUTDOWN_FORCE",
                        frameOffset);
            default:
                if (!config.allowUnknownControlMessages()) {
                    throw ControlMessages.unknownType(type, frameOffset);
                }
                try {
                    listener.onFrame(IpcprimsChannels.CONTROL, payload);
                } catch (RuntimeException e) {
                    throw internal(e);
                }
                return state != State.CLOSED;
        }
    }

    private boolean peerShutdownRequest() {
        output.offerControl(ackFrame);
        boolean notify = false;
        synchronized (lock) {
            if (state == State.OPEN) {
                state = State.PEER_SHUTDOWN;
                deadline = config.clock().getAsLong() + config.shutdownTimeout().toNanos();
                schedule(config.shutdownTimeout().toNanos());
                notify = true;
            }
        }
        if (notify) {
            try {
                listener.onShutdownRequested(this);
            } catch (RuntimeException e) {
                throw internal(e);
            }
        }
        return state != State.CLOSED;
    }

    private boolean matchPong() {
        final long[] m = pings.match(config.clock().getAsLong());
        if (m == null) {
            return false;
        }
        try {
            listener.onPong(m[0], m[1]);
        } catch (RuntimeException e) {
            throw internal(e);
        }
        return true;
    }

    private static IpcException internal(RuntimeException e) {
        return e instanceof IpcException ? (IpcException) e
                : new IpcException(ErrorCode.INTERNAL, "listener failed: " + e.getClass().getName(), e);
    }

    private boolean isNegotiated(int channel) {
        final long[] bits = negotiatedBits;
        return bits != null && channel >= 0 && channel <= IpcprimsFrame.MAX_CHANNEL
                && (bits[channel >>> 6] & (1L << channel)) != 0;
    }

    // ---- send path -----------------------------------------------------------------------------------------

    /**
     * Sends {@code payload}'s remaining bytes as one frame on {@code channel}. On {@link OfferResult#ACCEPTED}
     * the payload's position moves to its limit; otherwise nothing is written and it is unchanged.
     *
     * @return ACCEPTED, BACK_PRESSURE (retry after {@link IpcprimsPeerListener#onWritable}) or CLOSED (also
     *         after a shutdown began)
     * @throws IpcException {@link ErrorCode#ILLEGAL_STATE} before the handshake completed;
     *         {@link ErrorCode#PROTOCOL_VIOLATION} for channel 0 or a channel that was not negotiated;
     *         {@link ErrorCode#FRAME_TOO_LARGE} above the payload limit; {@link ErrorCode#SCHEMA_INVALID} from
     *         the validator. Nothing is written in these cases.
     */
    public OfferResult send(int channel, ByteBuffer payload) {
        final State s = state;
        if (s == State.NEW || s == State.HANDSHAKING) {
            throw new IpcException(ErrorCode.ILLEGAL_STATE, "handshake not complete");
        }
        if (s != State.OPEN) {
            return OfferResult.CLOSED;
        }
        if (channel == IpcprimsChannels.CONTROL) {
            throw new IpcException(ErrorCode.PROTOCOL_VIOLATION, "channel 0 carries only CONTROL messages");
        }
        if (!isNegotiated(channel)) {
            throw new IpcException(ErrorCode.PROTOCOL_VIOLATION, "channel " + channel + " not supported by peer");
        }
        final int n = payload.remaining();
        if (n > config.maxPayload()) {
            throw new IpcException(ErrorCode.FRAME_TOO_LARGE,
                    "payload too large (" + n + " bytes, max " + config.maxPayload() + ")");
        }
        final ChannelValidator v = config.validator();
        if (v != null) {
            v.validate(channel, payload.duplicate());
        }
        return output.offerData(channel, payload);
    }

    /** {@link #send(int, ByteBuffer)} for an array. */
    public OfferResult send(int channel, byte[] payload) {
        return send(channel, ByteBuffer.wrap(payload));
    }

    /**
     * Sends {@code {"type":"ping"}}. The answer arrives as {@link IpcprimsPeerListener#onPong} with the ping's
     * number (1, 2, ... in the order of accepted pings).
     *
     * @return ACCEPTED, BACK_PRESSURE (also when {@value PingTracker#MAX_OUTSTANDING} pings await their pong)
     *         or CLOSED
     * @throws IpcException {@link ErrorCode#ILLEGAL_STATE} before the handshake completed
     */
    public OfferResult ping() {
        final State s = state;
        if (s == State.NEW || s == State.HANDSHAKING) {
            throw new IpcException(ErrorCode.ILLEGAL_STATE, "handshake not complete");
        }
        if (s != State.OPEN) {
            return OfferResult.CLOSED;
        }
        output.lock();
        try {
            if (!output.flushLocked() || !pings.record(config.clock().getAsLong())) {
                return OfferResult.BACK_PRESSURE;
            }
            // recorded before the offer: the pong may arrive before offer() returns
            final OfferResult r = output.offerLocked(pingFrame);
            if (r != OfferResult.ACCEPTED) {
                pings.rollback();
            }
            return r;
        } finally {
            output.unlock();
        }
    }

    /**
     * Starts the shutdown exchange: sends {@code {"type":"shutdown_request"}}; the connection closes when the
     * ack arrives ({@code onClosed} with a null cause) or fails with {@link ErrorCode#REQUEST_TIMEOUT} at the
     * shutdown deadline. Frames arriving meanwhile are still delivered; sending is over.
     *
     * @return ACCEPTED (possibly queued behind back-pressure) or CLOSED
     * @throws IpcException {@link ErrorCode#ILLEGAL_STATE} before the handshake completed
     */
    public OfferResult shutdown() {
        synchronized (lock) {
            if (state == State.NEW || state == State.HANDSHAKING) {
                throw new IpcException(ErrorCode.ILLEGAL_STATE, "handshake not complete");
            }
            if (state != State.OPEN) {
                return OfferResult.CLOSED;
            }
            // before the offer: the ack may arrive before offer() returns
            state = State.SHUTTING_DOWN;
            deadline = config.clock().getAsLong() + config.shutdownTimeout().toNanos();
            schedule(config.shutdownTimeout().toNanos());
        }
        return output.offerControl(controlFrame(ControlMessages.SHUTDOWN_REQUEST));
    }

    // ---- accessors -----------------------------------------------------------------------------------------

    /** The current state. */
    public State state() {
        return state;
    }

    /** This peer's role. */
    public IpcprimsRole role() {
        return config.role();
    }

    /** The negotiated channels in the client's order (empty before the handshake). */
    public int[] negotiatedChannels() {
        return negotiated.clone();
    }

    /** The peer id the server assigned (null before the handshake). */
    public String peerId() {
        return peerId;
    }

    /** The other side's protocol version (null before the handshake). */
    public ProtocolVersion remoteVersion() {
        return remoteVersion;
    }

    /** Why the peer closed, or null (open, or closed in an orderly way). */
    public IpcException failure() {
        synchronized (lock) {
            return failure;
        }
    }

    /** The connection (null before {@link #start}). */
    public Connection connection() {
        return connection;
    }

    /** Bytes of the stream received so far (for error offsets and metrics). */
    public long bytesReceived() {
        return decoder.position();
    }

    /**
     * Server: hands out the client's auth token once (the caller should zero it after use); null if none was
     * sent, it was taken already or the peer closed.
     */
    public char[] takeClientAuthToken() {
        synchronized (lock) {
            final char[] t = clientAuthToken;
            clientAuthToken = null;
            return t;
        }
    }

    @Override
    public String toString() {
        return "IpcprimsPeer[role=" + config.role() + " state=" + state + " peerId=" + peerId + "]";
    }
}
