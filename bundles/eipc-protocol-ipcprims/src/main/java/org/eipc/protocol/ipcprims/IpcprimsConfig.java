package org.eipc.protocol.ipcprims;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Settings of {@link IpcprimsPeer}s. Immutable and thread-safe; build one per listener (server) or per
 * connect (client) with {@link #client(int...)} or {@link #server()} and the {@code withXxx} methods. The
 * defaults are those of ipcprims 0.2.1.
 *
 * <p>A server config also numbers its connections: the default peer ids are {@code peer-1}, {@code peer-2}, ...
 * per config object, like the reference's per-listener counter.
 */
public final class IpcprimsConfig {
    /** Default handshake timeout (the reference's 5 s). */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    /** Default limit of CONTROL frames in a row (the reference's 256). */
    public static final int DEFAULT_MAX_CONTROL_FRAMES_IN_ROW = 256;

    private final IpcprimsRole role;
    private final String protocolName;
    private final ProtocolVersion version;
    private final int[] channels;
    private final boolean requireChannelOverlap;
    private final char[] authToken;
    private final Supplier<String> peerIds;
    private final int maxHandshakePayload;
    private final int maxPayload;
    private final Duration handshakeTimeout;
    private final Duration shutdownTimeout;
    private final int maxControlFramesInRow;
    private final boolean allowShutdownForce;
    private final boolean allowUnknownControlMessages;
    private final ChannelValidator validator;
    private final boolean reportValidationErrors;
    private final ScheduledExecutorService timer;
    private final LongSupplier clock;

    private IpcprimsConfig(IpcprimsRole role, String protocolName, ProtocolVersion version, int[] channels,
            boolean requireChannelOverlap, char[] authToken, Supplier<String> peerIds, int maxHandshakePayload,
            int maxPayload, Duration handshakeTimeout, Duration shutdownTimeout, int maxControlFramesInRow,
            boolean allowShutdownForce, boolean allowUnknownControlMessages, ChannelValidator validator,
            boolean reportValidationErrors, ScheduledExecutorService timer, LongSupplier clock) {
        this.role = role;
        this.protocolName = protocolName;
        this.version = version;
        this.channels = channels;
        this.requireChannelOverlap = requireChannelOverlap;
        this.authToken = authToken;
        this.peerIds = peerIds;
        this.maxHandshakePayload = maxHandshakePayload;
        this.maxPayload = maxPayload;
        this.handshakeTimeout = handshakeTimeout;
        this.shutdownTimeout = shutdownTimeout;
        this.maxControlFramesInRow = maxControlFramesInRow;
        this.allowShutdownForce = allowShutdownForce;
        this.allowUnknownControlMessages = allowUnknownControlMessages;
        this.validator = validator;
        this.reportValidationErrors = reportValidationErrors;
        this.timer = timer;
        this.clock = clock;
    }

    private IpcprimsConfig copy(IpcprimsRole r, String p, ProtocolVersion v, int[] ch, boolean overlap, char[] tok,
            Supplier<String> ids, int maxHs, int max, Duration hsT, Duration sdT, int flood, boolean force,
            boolean unknown, ChannelValidator val, boolean report, ScheduledExecutorService t, LongSupplier c) {
        return new IpcprimsConfig(r, p, v, ch, overlap, tok, ids, maxHs, max, hsT, sdT, flood, force, unknown, val,
                report, t, c);
    }

    /**
     * A client config requesting {@code channels} in this order.
     *
     * @throws IllegalArgumentException if a channel is 0 or not a u16, or more than 256 are given
     */
    public static IpcprimsConfig client(int... channels) {
        return new IpcprimsConfig(IpcprimsRole.CLIENT, "ipcprims", ProtocolVersion.CURRENT, checkChannels(channels),
                true, null, null, IpcprimsFrame.DEFAULT_MAX_HANDSHAKE_PAYLOAD, IpcprimsFrame.DEFAULT_MAX_PAYLOAD,
                DEFAULT_TIMEOUT, DEFAULT_TIMEOUT, DEFAULT_MAX_CONTROL_FRAMES_IN_ROW, false, false, null, false, null,
                System::nanoTime);
    }

    /** A server config supporting channels {@code [1,2,3,4]}, numbering peers {@code peer-1, peer-2, ...}. */
    public static IpcprimsConfig server() {
        final AtomicLong counter = new AtomicLong();
        return new IpcprimsConfig(IpcprimsRole.SERVER, "ipcprims", ProtocolVersion.CURRENT,
                IpcprimsChannels.defaultSupported(), true, null, () -> "peer-" + counter.incrementAndGet(),
                IpcprimsFrame.DEFAULT_MAX_HANDSHAKE_PAYLOAD, IpcprimsFrame.DEFAULT_MAX_PAYLOAD, DEFAULT_TIMEOUT,
                DEFAULT_TIMEOUT, DEFAULT_MAX_CONTROL_FRAMES_IN_ROW, false, false, null, false, null, System::nanoTime);
    }

    private static int[] checkChannels(int[] channels) {
        if (channels.length > IpcprimsChannels.MAX_HANDSHAKE_CHANNELS) {
            throw new IllegalArgumentException("channels.length=" + channels.length + " > 256");
        }
        for (final int ch : channels) {
            if (ch <= 0 || ch > IpcprimsFrame.MAX_CHANNEL) {
                throw new IllegalArgumentException("channel=" + ch);
            }
        }
        return channels.clone();
    }

    /** Client: the channels to request, in order. Server: the channels supported. */
    public IpcprimsConfig withChannels(int... ch) {
        return copy(role, protocolName, version, checkChannels(ch), requireChannelOverlap, authToken, peerIds,
                maxHandshakePayload, maxPayload, handshakeTimeout, shutdownTimeout, maxControlFramesInRow,
                allowShutdownForce, allowUnknownControlMessages, validator, reportValidationErrors, timer, clock);
    }

    /**
     * The protocol name to send and require (default {@code "ipcprims"}).
     *
     * @throws IllegalArgumentException unless 1 to 32 UTF-8 bytes
     */
    public IpcprimsConfig withProtocolName(String name) {
        final int n = HandshakeRequest.utf8Length(name);
        if (n < 1 || n > HandshakeRequest.MAX_PROTOCOL_LENGTH) {
            throw new IllegalArgumentException("protocolName length=" + n);
        }
        return copy(role, name, version, channels, requireChannelOverlap, authToken, peerIds, maxHandshakePayload,
                maxPayload, handshakeTimeout, shutdownTimeout, maxControlFramesInRow, allowShutdownForce,
                allowUnknownControlMessages, validator, reportValidationErrors, timer, clock);
    }

    /** The version to send (default 1.0). */
    public IpcprimsConfig withVersion(ProtocolVersion v) {
        return copy(role, protocolName, v, channels, requireChannelOverlap, authToken, peerIds, maxHandshakePayload,
                maxPayload, handshakeTimeout, shutdownTimeout, maxControlFramesInRow, allowShutdownForce,
                allowUnknownControlMessages, validator, reportValidationErrors, timer, clock);
    }

    /** Whether an empty channel intersection fails the handshake (default true). */
    public IpcprimsConfig withRequireChannelOverlap(boolean required) {
        return copy(role, protocolName, version, channels, required, authToken, peerIds, maxHandshakePayload,
                maxPayload, handshakeTimeout, shutdownTimeout, maxControlFramesInRow, allowShutdownForce,
                allowUnknownControlMessages, validator, reportValidationErrors, timer, clock);
    }

    /**
     * Client: the auth token to send (copied; null for none). The config keeps it until the config is dropped.
     *
     * @throws IllegalArgumentException unless 1 to 4096 UTF-8 bytes
     */
    public IpcprimsConfig withAuthToken(char[] token) {
        if (token != null) {
            final int n = HandshakeRequest.utf8Length(java.nio.CharBuffer.wrap(token));
            if (n < 1 || n > HandshakeRequest.MAX_AUTH_TOKEN_LENGTH) {
                throw new IllegalArgumentException("auth token length=" + n);
            }
        }
        return copy(role, protocolName, version, channels, requireChannelOverlap, token == null ? null : token.clone(),
                peerIds, maxHandshakePayload, maxPayload, handshakeTimeout, shutdownTimeout, maxControlFramesInRow,
                allowShutdownForce, allowUnknownControlMessages, validator, reportValidationErrors, timer, clock);
    }

    /** Server: where peer ids come from (each must be 1 to 128 UTF-8 bytes). */
    public IpcprimsConfig withPeerIds(Supplier<String> ids) {
        return copy(role, protocolName, version, channels, requireChannelOverlap, authToken, ids, maxHandshakePayload,
                maxPayload, handshakeTimeout, shutdownTimeout, maxControlFramesInRow, allowShutdownForce,
                allowUnknownControlMessages, validator, reportValidationErrors, timer, clock);
    }

    /**
     * Payload limits: during the handshake (1 to 16 384) and after it (1 to 16 MiB).
     *
     * @throws IllegalArgumentException if out of range (limits can only be lowered)
     */
    public IpcprimsConfig withLimits(int handshakePayload, int payload) {
        if (handshakePayload < 1 || handshakePayload > IpcprimsFrame.DEFAULT_MAX_HANDSHAKE_PAYLOAD) {
            throw new IllegalArgumentException("maxHandshakePayload=" + handshakePayload);
        }
        if (payload < 1 || payload > IpcprimsFrame.DEFAULT_MAX_PAYLOAD) {
            throw new IllegalArgumentException("maxPayload=" + payload);
        }
        return copy(role, protocolName, version, channels, requireChannelOverlap, authToken, peerIds, handshakePayload,
                payload, handshakeTimeout, shutdownTimeout, maxControlFramesInRow, allowShutdownForce,
                allowUnknownControlMessages, validator, reportValidationErrors, timer, clock);
    }

    /**
     * Deadlines for the handshake and for the acknowledgement of our shutdown request (default 5 s each).
     *
     * @throws IllegalArgumentException if not positive
     */
    public IpcprimsConfig withTimeouts(Duration handshake, Duration shutdown) {
        if (handshake.isNegative() || handshake.isZero() || shutdown.isNegative() || shutdown.isZero()) {
            throw new IllegalArgumentException("handshakeTimeout=" + handshake + " shutdownTimeout=" + shutdown);
        }
        return copy(role, protocolName, version, channels, requireChannelOverlap, authToken, peerIds,
                maxHandshakePayload, maxPayload, handshake, shutdown, maxControlFramesInRow, allowShutdownForce,
                allowUnknownControlMessages, validator, reportValidationErrors, timer, clock);
    }

    /**
     * Most CONTROL frames accepted in a row without a data frame in between (default 256; 0 disables). Pongs
     * answering our own pings do not count, so our keepalive cannot trip the other side's guard on itself.
     */
    public IpcprimsConfig withMaxControlFramesInRow(int max) {
        if (max < 0) {
            throw new IllegalArgumentException("maxControlFramesInRow=" + max);
        }
        return copy(role, protocolName, version, channels, requireChannelOverlap, authToken, peerIds,
                maxHandshakePayload, maxPayload, handshakeTimeout, shutdownTimeout, max, allowShutdownForce,
                allowUnknownControlMessages, validator, reportValidationErrors, timer, clock);
    }

    /**
     * Whether {@code shutdown_force} closes as "force shutdown" (true) or as a disallowed message (false,
     * default). The connection closes either way.
     */
    public IpcprimsConfig withAllowShutdownForce(boolean allow) {
        return copy(role, protocolName, version, channels, requireChannelOverlap, authToken, peerIds,
                maxHandshakePayload, maxPayload, handshakeTimeout, shutdownTimeout, maxControlFramesInRow, allow,
                allowUnknownControlMessages, validator, reportValidationErrors, timer, clock);
    }

    /** Whether unknown CONTROL types go to the application on channel 0 (true) or close (false, default). */
    public IpcprimsConfig withAllowUnknownControlMessages(boolean allow) {
        return copy(role, protocolName, version, channels, requireChannelOverlap, authToken, peerIds,
                maxHandshakePayload, maxPayload, handshakeTimeout, shutdownTimeout, maxControlFramesInRow,
                allowShutdownForce, allow, validator, reportValidationErrors, timer, clock);
    }

    /**
     * A payload validator (null for none). With {@code reportOnErrorChannel}, a received frame that fails is
     * also answered with {@code {"error":"schema validation error: ..."}} on channel 4 when it was negotiated,
     * as the reference CLI's echo server does.
     */
    public IpcprimsConfig withValidator(ChannelValidator v, boolean reportOnErrorChannel) {
        return copy(role, protocolName, version, channels, requireChannelOverlap, authToken, peerIds,
                maxHandshakePayload, maxPayload, handshakeTimeout, shutdownTimeout, maxControlFramesInRow,
                allowShutdownForce, allowUnknownControlMessages, v, reportOnErrorChannel, timer, clock);
    }

    /**
     * A scheduler that enforces the deadlines by itself (null: the owner calls
     * {@link IpcprimsPeer#checkTimeouts(long)}), and the clock in nanoseconds (default {@link System#nanoTime}).
     */
    public IpcprimsConfig withTimer(ScheduledExecutorService t, LongSupplier nanoClock) {
        return copy(role, protocolName, version, channels, requireChannelOverlap, authToken, peerIds,
                maxHandshakePayload, maxPayload, handshakeTimeout, shutdownTimeout, maxControlFramesInRow,
                allowShutdownForce, allowUnknownControlMessages, validator, reportValidationErrors, t,
                nanoClock == null ? System::nanoTime : nanoClock);
    }

    /** @return the role */
    public IpcprimsRole role() {
        return role;
    }

    /** @return the protocol name */
    public String protocolName() {
        return protocolName;
    }

    /** @return the local protocol version */
    public ProtocolVersion version() {
        return version;
    }

    /** @return requested (client) or supported (server) channels, a copy */
    public int[] channels() {
        return channels.clone();
    }

    /** @return whether an empty intersection fails */
    public boolean requireChannelOverlap() {
        return requireChannelOverlap;
    }

    char[] authTokenRef() {
        return authToken;
    }

    /** @return true when a client auth token is configured (the token itself is not readable) */
    public boolean hasAuthToken() {
        return authToken != null;
    }

    String nextPeerId() {
        return peerIds == null ? "peer" : peerIds.get();
    }

    /** @return the handshake payload limit */
    public int maxHandshakePayload() {
        return maxHandshakePayload;
    }

    /** @return the payload limit after the handshake */
    public int maxPayload() {
        return maxPayload;
    }

    /** @return the handshake deadline */
    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    /** @return the deadline for the shutdown acknowledgement */
    public Duration shutdownTimeout() {
        return shutdownTimeout;
    }

    /** @return the CONTROL flood limit (0 = none) */
    public int maxControlFramesInRow() {
        return maxControlFramesInRow;
    }

    /** @return whether shutdown_force is allowed */
    public boolean allowShutdownForce() {
        return allowShutdownForce;
    }

    /** @return whether unknown CONTROL messages are delivered */
    public boolean allowUnknownControlMessages() {
        return allowUnknownControlMessages;
    }

    /** @return the validator, or null */
    public ChannelValidator validator() {
        return validator;
    }

    /** @return whether validation failures are reported on channel 4 */
    public boolean reportValidationErrors() {
        return reportValidationErrors;
    }

    /** @return the timer, or null */
    public ScheduledExecutorService timer() {
        return timer;
    }

    /** @return the nanosecond clock */
    public LongSupplier clock() {
        return clock;
    }

    /** Describes the config; an auth token is shown only as present or absent. */
    @Override
    public String toString() {
        return "IpcprimsConfig[role=" + role + " protocol=" + protocolName + " version=" + version + " channels="
                + Arrays.toString(channels) + " auth_token=" + (authToken == null ? "absent" : "<redacted>")
                + " maxHandshakePayload=" + maxHandshakePayload + " maxPayload=" + maxPayload + "]";
    }
}
