package org.eipc.runtime.impl;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;
import org.eipc.protocol.ProtocolMode;

/**
 * The values one endpoint runs with. Built by the DS configuration or, in tests, directly. Mutable until handed
 * to an endpoint, which keeps its own copy.
 */
final class EndpointSettings {
    /** Makes nonces and tokens; tests replace it to replay the reference's vectors. */
    @FunctionalInterface
    interface RandomSource {
        byte[] next(int length);
    }

    /** {@link ProtocolMode#STRICT}: hardened handshake, acks and resume. {@link ProtocolMode#COMPAT}: the reference. */
    ProtocolMode mode = ProtocolMode.STRICT;
    /** Client: the service id it claims. Server: its own service id in headers. */
    String serviceId = "eipc-server";
    /** Server: the services it admits and their capabilities; empty admits any service with none. */
    Map<String, List<String>> services = new LinkedHashMap<>();
    Duration handshakeTimeout = Duration.ofSeconds(10);
    Duration connectTimeout = Duration.ofSeconds(2);
    /** Server: connections in handshake at once; more are closed on accept (the reference allows 64 in all). */
    int maxPendingHandshakes = 64;
    /** Sent-but-unacknowledged (hardened) or queued-but-unwritten (compat) messages per session. */
    int maxUnacked = 4096;
    long maxUnackedBytes = 32L << 20;
    /** Messages accepted by send() but not yet sequenced (waiting in the priority lanes for ring or carrier room). */
    int maxQueued = 4096;
    long maxQueuedBytes = 32L << 20;
    /** After this many consecutive picks from a higher lane while a lower one waits, the lower one goes first. */
    int starvationLimit = 8;
    /**
     * Strict mode: how many messages beyond the last acknowledged one the peer may send (credit). Sent in the
     * handshake and in every acknowledgement.
     */
    int receiveWindow = 4096;
    /** The receiver acknowledges after this many messages, or after {@link #ackDelay}, whichever is first. */
    int ackEvery = 256;
    Duration ackDelay = Duration.ofMillis(20);
    /** How long a session waits for a new carrier before it closes. */
    Duration resumeTimeout = Duration.ofSeconds(30);
    /** Strict mode: a carrier that brings nothing for this long is closed (keepalives go out every third); 0 = off. */
    Duration idleTimeout = Duration.ofSeconds(30);
    /** Strict mode: how long close() waits for unacknowledged and queued messages (also across a resume). */
    Duration closeDrainTimeout = Duration.ofSeconds(5);
    /**
     * Strict mode, server side: how long a leaving transport's connections are kept while their sessions move to
     * another transport (make before break); what has not moved then is closed and resumes the usual way.
     */
    Duration transportDrainTimeout = Duration.ofSeconds(1);
    Duration reconnectInitial = Duration.ofMillis(20);
    Duration reconnectMax = Duration.ofSeconds(1);
    RandomSource random = defaultRandom();
    /** Whether full strict handshakes add an X25519 exchange: OFF, PREFER (when the peer does too) or REQUIRE. */
    enum ForwardSecrecy { OFF, PREFER, REQUIRE }

    ForwardSecrecy forwardSecrecy = ForwardSecrecy.PREFER;
    /** Run handlers (and complete replies) on the transport's I/O thread instead of the delivery pool. */
    boolean deliverOnIoThread;
    /** Per-peer quotas on what a peer sends us; the first matching pattern wins. */
    List<Limits.Quota> quotas = List.of();
    /** Per-channel latency budgets; the first matching pattern wins. */
    List<Limits.Budget> budgets = List.of();

    EndpointSettings copy() {
        EndpointSettings s = new EndpointSettings();
        s.mode = mode;
        s.serviceId = serviceId;
        s.services = new LinkedHashMap<>(services);
        s.handshakeTimeout = handshakeTimeout;
        s.connectTimeout = connectTimeout;
        s.maxPendingHandshakes = maxPendingHandshakes;
        s.maxUnacked = maxUnacked;
        s.maxUnackedBytes = maxUnackedBytes;
        s.maxQueued = maxQueued;
        s.maxQueuedBytes = maxQueuedBytes;
        s.starvationLimit = starvationLimit;
        s.receiveWindow = receiveWindow;
        s.ackEvery = ackEvery;
        s.ackDelay = ackDelay;
        s.resumeTimeout = resumeTimeout;
        s.idleTimeout = idleTimeout;
        s.closeDrainTimeout = closeDrainTimeout;
        s.transportDrainTimeout = transportDrainTimeout;
        s.reconnectInitial = reconnectInitial;
        s.reconnectMax = reconnectMax;
        s.random = random;
        s.quotas = List.copyOf(quotas);
        s.forwardSecrecy = forwardSecrecy;
        s.deliverOnIoThread = deliverOnIoThread;
        s.budgets = List.copyOf(budgets);
        return s;
    }

    void validate() {
        if (maxUnacked < 1 || maxUnacked > 1 << 20) {
            throw new IpcException(ErrorCode.CONFIG_INVALID, "maxUnacked " + maxUnacked + " outside 1..1048576");
        }
        if (maxQueued < 1 || maxQueued > 1 << 20 || starvationLimit < 1 || receiveWindow < 1) {
            throw new IpcException(ErrorCode.CONFIG_INVALID, "maxQueued " + maxQueued + " outside 1..1048576 or"
                    + " starvationLimit " + starvationLimit + " below 1");
        }
        if (ackEvery < 1 || ackEvery > maxUnacked) {
            throw new IpcException(ErrorCode.CONFIG_INVALID, "ackEvery " + ackEvery + " outside 1..maxUnacked");
        }
        if (serviceId == null || serviceId.isEmpty()) {
            throw new IpcException(ErrorCode.CONFIG_INVALID, "serviceId is empty");
        }
    }

    private static RandomSource defaultRandom() {
        SecureRandom r = new SecureRandom();
        return n -> {
            byte[] b = new byte[n];
            r.nextBytes(b);
            return b;
        };
    }
}
