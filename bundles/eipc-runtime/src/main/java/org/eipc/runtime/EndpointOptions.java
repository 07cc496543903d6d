package org.eipc.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;

/**
 * What one endpoint runs with: immutable, built with {@link #builder()}; every value has the default of the
 * {@code org.eipc.endpoint} configuration (see {@code docs/runtime.md}).
 *
 * <pre>
 * EndpointOptions o = EndpointOptions.builder().serviceId("billing").idleTimeout(Duration.ofSeconds(10)).build();
 * </pre>
 */
public final class EndpointOptions {

    /** The protocol mode of an endpoint. */
    public enum Mode {
        /** Hardened handshake {@code eipc-h1}, MAC on every frame, per-session keys, acknowledgements, resume. */
        STRICT,
        /** The Go reference's handshake and frames; no resume. */
        COMPAT
    }

    /** Strict mode: whether a full handshake adds an ephemeral X25519 exchange to the key schedule. */
    public enum ForwardSecrecy {
        /** Never. */
        OFF,
        /** When the peer offers or accepts it (the default); a peer without it still connects. */
        PREFER,
        /** Always: a peer without it is refused with {@code HANDSHAKE_FAILED}. */
        REQUIRE
    }

    private static final EndpointOptions DEFAULTS = new Builder().build();

    private final Mode mode;
    private final String serviceId;
    private final Map<String, List<String>> services;
    private final Duration handshakeTimeout;
    private final Duration connectTimeout;
    private final int maxPendingHandshakes;
    private final int maxUnacked;
    private final long maxUnackedBytes;
    private final int maxQueued;
    private final long maxQueuedBytes;
    private final int starvationLimit;
    private final int receiveWindow;
    private final int ackEvery;
    private final Duration ackDelay;
    private final Duration resumeTimeout;
    private final Duration idleTimeout;
    private final Duration closeDrainTimeout;
    private final Duration transportDrainTimeout;
    private final List<String> quotas;
    private final List<String> latencyBudgets;
    private final ForwardSecrecy forwardSecrecy;
    private final boolean deliverOnIoThread;

    private EndpointOptions(Builder b) {
        this.mode = b.mode;
        this.serviceId = b.serviceId;
        Map<String, List<String>> m = new LinkedHashMap<>();
        b.services.forEach((k, v) -> m.put(k, List.copyOf(v)));
        this.services = java.util.Collections.unmodifiableMap(m);
        this.handshakeTimeout = b.handshakeTimeout;
        this.connectTimeout = b.connectTimeout;
        this.maxPendingHandshakes = b.maxPendingHandshakes;
        this.maxUnacked = b.maxUnacked;
        this.maxUnackedBytes = b.maxUnackedBytes;
        this.maxQueued = b.maxQueued;
        this.maxQueuedBytes = b.maxQueuedBytes;
        this.starvationLimit = b.starvationLimit;
        this.receiveWindow = b.receiveWindow;
        this.ackEvery = b.ackEvery;
        this.ackDelay = b.ackDelay;
        this.resumeTimeout = b.resumeTimeout;
        this.idleTimeout = b.idleTimeout;
        this.closeDrainTimeout = b.closeDrainTimeout;
        this.transportDrainTimeout = b.transportDrainTimeout;
        this.quotas = List.copyOf(b.quotas);
        this.latencyBudgets = List.copyOf(b.latencyBudgets);
        this.forwardSecrecy = b.forwardSecrecy;
        this.deliverOnIoThread = b.deliverOnIoThread;
    }

    /** Every value at its default: strict mode, service id {@code eipc-server}. */
    public static EndpointOptions defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these values. */
    public Builder toBuilder() {
        Builder b = new Builder().mode(mode).serviceId(serviceId).handshakeTimeout(handshakeTimeout)
                .connectTimeout(connectTimeout).maxPendingHandshakes(maxPendingHandshakes)
                .maxUnacked(maxUnacked, maxUnackedBytes).maxQueued(maxQueued, maxQueuedBytes)
                .starvationLimit(starvationLimit).receiveWindow(receiveWindow).ackEvery(ackEvery).ackDelay(ackDelay)
                .resumeTimeout(resumeTimeout).idleTimeout(idleTimeout).closeDrainTimeout(closeDrainTimeout)
                .transportDrainTimeout(transportDrainTimeout);
        services.forEach(b::service);
        b.quotas.addAll(quotas);
        b.latencyBudgets.addAll(latencyBudgets);
        b.forwardSecrecy(forwardSecrecy);
        b.deliverOnIoThread(deliverOnIoThread);
        return b;
    }

    public Mode mode() {
        return mode;
    }

    /** Client: the service id it claims. Server: its own id in frame headers. */
    public String serviceId() {
        return serviceId;
    }

    /** Server: admitted service ids and the capabilities each is granted; empty admits any service with none. */
    public Map<String, List<String>> services() {
        return services;
    }

    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public int maxPendingHandshakes() {
        return maxPendingHandshakes;
    }

    public int maxUnacked() {
        return maxUnacked;
    }

    public long maxUnackedBytes() {
        return maxUnackedBytes;
    }

    public int maxQueued() {
        return maxQueued;
    }

    public long maxQueuedBytes() {
        return maxQueuedBytes;
    }

    public int starvationLimit() {
        return starvationLimit;
    }

    public int receiveWindow() {
        return receiveWindow;
    }

    public int ackEvery() {
        return ackEvery;
    }

    public Duration ackDelay() {
        return ackDelay;
    }

    public Duration resumeTimeout() {
        return resumeTimeout;
    }

    public Duration idleTimeout() {
        return idleTimeout;
    }

    public Duration closeDrainTimeout() {
        return closeDrainTimeout;
    }

    /** @since 1.2 */
    public Duration transportDrainTimeout() {
        return transportDrainTimeout;
    }

    /** Quotas as {@code peerPattern=messagesPerSecond,bytesPerSecond,queueDepth}, in matching order. */
    public List<String> quotas() {
        return quotas;
    }

    public ForwardSecrecy forwardSecrecy() {
        return forwardSecrecy;
    }

    public boolean deliverOnIoThread() {
        return deliverOnIoThread;
    }

    /** Latency budgets as {@code channelPattern=milliseconds}, in matching order. */
    public List<String> latencyBudgets() {
        return latencyBudgets;
    }

    @Override
    public String toString() {
        return "EndpointOptions[mode=" + mode + ", serviceId=" + serviceId + ", services=" + services.keySet() + "]";
    }

    /** Collects values; {@link #build()} checks them. Not thread-safe. */
    public static final class Builder {
        private Mode mode = Mode.STRICT;
        private String serviceId = "eipc-server";
        private final Map<String, List<String>> services = new LinkedHashMap<>();
        private Duration handshakeTimeout = Duration.ofSeconds(10);
        private Duration connectTimeout = Duration.ofSeconds(2);
        private int maxPendingHandshakes = 64;
        private int maxUnacked = 4096;
        private long maxUnackedBytes = 32L << 20;
        private int maxQueued = 4096;
        private long maxQueuedBytes = 32L << 20;
        private int starvationLimit = 8;
        private int receiveWindow = 4096;
        private int ackEvery = 256;
        private Duration ackDelay = Duration.ofMillis(20);
        private Duration resumeTimeout = Duration.ofSeconds(30);
        private Duration idleTimeout = Duration.ofSeconds(30);
        private Duration closeDrainTimeout = Duration.ofSeconds(5);
        private Duration transportDrainTimeout = Duration.ofSeconds(1);
        private final List<String> quotas = new ArrayList<>();
        private final List<String> latencyBudgets = new ArrayList<>();
        private ForwardSecrecy forwardSecrecy = ForwardSecrecy.PREFER;
        private boolean deliverOnIoThread;

        private Builder() {
        }

        public Builder mode(Mode m) {
            this.mode = Objects.requireNonNull(m, "mode");
            return this;
        }

        public Builder serviceId(String id) {
            this.serviceId = Objects.requireNonNull(id, "serviceId");
            return this;
        }

        /** Server: admits {@code serviceId} and grants it these capabilities (call once per service). */
        public Builder service(String serviceId, List<String> capabilities) {
            services.put(Objects.requireNonNull(serviceId, "serviceId"), new ArrayList<>(capabilities));
            return this;
        }

        /** Handshake deadline (10 s): {@code HANDSHAKE_TIMEOUT}, connection closed. */
        public Builder handshakeTimeout(Duration d) {
            this.handshakeTimeout = positive("handshakeTimeout", d);
            return this;
        }

        /** Client connect timeout per attempt (2 s). */
        public Builder connectTimeout(Duration d) {
            this.connectTimeout = positive("connectTimeout", d);
            return this;
        }

        /** Server: connections in handshake at once (64); more are closed on accept. */
        public Builder maxPendingHandshakes(int n) {
            this.maxPendingHandshakes = n;
            return this;
        }

        /** Written but unacknowledged messages kept for retransmission (4096, 32 MiB). */
        public Builder maxUnacked(int messages, long bytes) {
            this.maxUnacked = messages;
            this.maxUnackedBytes = bytes;
            return this;
        }

        /** Messages {@code send} accepts into the P0-P3 lanes before {@code BACK_PRESSURE} (4096, 32 MiB). */
        public Builder maxQueued(int messages, long bytes) {
            this.maxQueued = messages;
            this.maxQueuedBytes = bytes;
            return this;
        }

        /** After this many consecutive picks from a higher lane while a lower one waits, the lower goes first (8). */
        public Builder starvationLimit(int n) {
            this.starvationLimit = n;
            return this;
        }

        /** Strict: credit granted to the peer and the inbox bound, in messages (4096). */
        public Builder receiveWindow(int n) {
            this.receiveWindow = n;
            return this;
        }

        /** Acknowledge after this many messages (256, at most {@code maxUnacked})... */
        public Builder ackEvery(int n) {
            this.ackEvery = n;
            return this;
        }

        /** ...or after this delay (20 ms), whichever is first. */
        public Builder ackDelay(Duration d) {
            this.ackDelay = positive("ackDelay", d);
            return this;
        }

        /** How long a session waits for a new connection before it closes (30 s). */
        public Builder resumeTimeout(Duration d) {
            this.resumeTimeout = positive("resumeTimeout", d);
            return this;
        }

        /**
         * Strict: close a connection that brought nothing for this long (30 s; keepalives go out every third of the
         * smaller of both sides' values, which travel in the handshake); {@link Duration#ZERO} turns it off.
         */
        public Builder idleTimeout(Duration d) {
            this.idleTimeout = notNegative("idleTimeout", d);
            return this;
        }

        /**
         * Strict: how long {@code close()} waits for unacknowledged and queued messages, across a resume too (5 s);
         * what is still not acknowledged then is logged as not delivered.
         */
        public Builder closeDrainTimeout(Duration d) {
            this.closeDrainTimeout = notNegative("closeDrainTimeout", d);
            return this;
        }

        /**
         * Strict, server side: when a transport leaves (its bundle stops or is replaced), how long its connections
         * are kept while their sessions move to another transport the client also has (1 s). The server asks each
         * client to move; the client resumes over another address while the old connection still carries traffic,
         * so the session pauses for one round trip instead of a reconnect. What has not moved by then is closed and
         * resumes the usual way. 0 closes at once.
         *
         * @since 1.2
         */
        public Builder transportDrainTimeout(Duration d) {
            this.transportDrainTimeout = notNegative("transportDrainTimeout", d);
            return this;
        }

        /**
         * A quota on what peers whose service id matches {@code peerPattern} ({@code *} is a wildcard; the first
         * matching quota applies) may send to this endpoint: messages and bytes per second (0 = unlimited; bursts of
         * up to one second's worth pass) and messages waiting for the handler. A message over a quota is not
         * delivered: the sender gets an error reply with {@code QUOTA_EXCEEDED} (its request fails with that code)
         * and other peers are not affected.
         */
        public Builder quota(String peerPattern, long messagesPerSecond, long bytesPerSecond, int queueDepth) {
            check(messagesPerSecond >= 0 && bytesPerSecond >= 0 && queueDepth >= 0, "quota values must be >= 0");
            quotas.add(Objects.requireNonNull(peerPattern, "peerPattern") + "=" + messagesPerSecond + ","
                    + bytesPerSecond + "," + queueDepth);
            return this;
        }

        /**
         * Strict mode: X25519 ephemeral keys in every full handshake (PREFER by default), so that sessions recorded
         * today stay closed if the long-term key leaks later. Resumed sessions keep the keys of their full handshake.
         */
        public Builder forwardSecrecy(ForwardSecrecy fs) {
            this.forwardSecrecy = Objects.requireNonNull(fs, "forwardSecrecy");
            return this;
        }

        /**
         * Runs the handlers of this endpoint's sessions, and completes their requests' replies, on the transport's
         * I/O thread instead of handing each message to the delivery pool (false by default). It saves a thread
         * hand-off per message, the largest part of a round trip's cost; in exchange a handler (or a reply's
         * continuation) that blocks stalls every connection of that I/O thread, and must never wait for another
         * message of a session on the same transport. For short, non-blocking handlers.
         */
        public Builder deliverOnIoThread(boolean yes) {
            this.deliverOnIoThread = yes;
            return this;
        }

        /**
         * A latency budget for messages whose channel (route, or the type's wire name when the route is empty)
         * matches {@code channelPattern}: a message still queued on the sender, or still waiting for the receiver's
         * handler, when its budget is over is not delivered; it is reported ({@code DEADLINE_EXCEEDED}: the request
         * fails, the sender gets an error reply, a runtime event is raised) and counted.
         */
        public Builder latencyBudget(String channelPattern, Duration budget) {
            latencyBudgets.add(Objects.requireNonNull(channelPattern, "channelPattern") + "="
                    + positive("latencyBudget", budget).toMillis());
            return this;
        }

        /**
         * @throws IpcException {@link ErrorCode#CONFIG_INVALID} for a value out of range
         */
        public EndpointOptions build() {
            check(maxUnacked >= 1 && maxUnacked <= 1 << 20, "maxUnacked " + maxUnacked + " outside 1..1048576");
            check(maxQueued >= 1 && maxQueued <= 1 << 20, "maxQueued " + maxQueued + " outside 1..1048576");
            check(maxUnackedBytes >= 1 && maxQueuedBytes >= 1, "byte bounds must be positive");
            check(starvationLimit >= 1, "starvationLimit " + starvationLimit + " below 1");
            check(receiveWindow >= 1, "receiveWindow " + receiveWindow + " below 1");
            check(maxPendingHandshakes >= 1, "maxPendingHandshakes " + maxPendingHandshakes + " below 1");
            check(ackEvery >= 1 && ackEvery <= maxUnacked, "ackEvery " + ackEvery + " outside 1..maxUnacked");
            check(!serviceId.isEmpty(), "serviceId is empty");
            return new EndpointOptions(this);
        }

        private static void check(boolean ok, String what) {
            if (!ok) {
                throw new IpcException(ErrorCode.CONFIG_INVALID, what);
            }
        }

        private static Duration positive(String name, Duration d) {
            Objects.requireNonNull(d, name);
            check(!d.isNegative() && !d.isZero(), name + " must be positive");
            return d;
        }

        private static Duration notNegative(String name, Duration d) {
            Objects.requireNonNull(d, name);
            check(!d.isNegative(), name + " is negative");
            return d;
        }
    }
}
