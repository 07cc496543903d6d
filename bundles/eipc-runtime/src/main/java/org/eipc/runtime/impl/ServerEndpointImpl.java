package org.eipc.runtime.impl;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.eipc.api.Endpoint;
import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;
import org.eipc.api.MessageHandler;
import org.eipc.api.PeerIdentity;
import org.eipc.api.Session;
import org.eipc.protocol.ProtocolMode;
import org.eipc.spi.keyring.KeyEntry;
import org.eipc.spi.security.FrameMac;
import org.eipc.spi.security.IntegrityProvider;
import org.eipc.spi.runtime.RuntimeEvent;
import org.eipc.spi.security.ReplayGuard;
import org.eipc.spi.transport.Connection;
import org.eipc.spi.transport.ConnectionHandler;
import org.eipc.spi.transport.Listener;
import org.eipc.spi.transport.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server endpoint: listens on one or more addresses (possibly over different transports), runs a handshake on
 * every accepted connection under a deadline, and keeps the sessions, which outlive their connections. When a
 * transport leaves, its listeners and connections go with it and clients resume over another; when one arrives
 * that serves a configured address, the endpoint listens on it again.
 */
final class ServerEndpointImpl implements Endpoint, SessionOwner, Providers.TransportListener,
        RuntimeContext.MetricsSource {
    private static final Logger LOG = LoggerFactory.getLogger(ServerEndpointImpl.class);

    private final RuntimeContext ctx;
    private final EndpointSettings settings;
    private final List<URI> configured;
    private final MessageHandler handler;
    private final Map<URI, Bound> listeners = new ConcurrentHashMap<>();
    private final Set<Carrier> carriers = ConcurrentHashMap.newKeySet();
    private final Map<String, SessionImpl> sessions = new ConcurrentHashMap<>();
    private final Set<ByteBuffer> ownNonces = ConcurrentHashMap.newKeySet();
    private final AtomicLong handshakeFailures = new AtomicLong();
    private final java.util.concurrent.atomic.AtomicInteger pendingHandshakes =
            new java.util.concurrent.atomic.AtomicInteger();
    private volatile IpcException lastHandshakeFailure;
    private volatile IpcException lastCarrierLoss;
    private final AtomicLong carrierLosses = new AtomicLong();
    private volatile boolean closed;
    private final CapabilityHandles capabilityHandles = new CapabilityHandles();

    private static final class Bound {
        final Transport transport;
        final Listener listener;

        Bound(Transport transport, Listener listener) {
            this.transport = transport;
            this.listener = listener;
        }
    }

    ServerEndpointImpl(RuntimeContext ctx, List<URI> addresses, EndpointSettings settings, MessageHandler handler) {
        settings.validate();
        this.ctx = ctx;
        this.settings = settings.copy();
        this.configured = List.copyOf(addresses);
        this.handler = handler;
    }

    /** Listens on every configured address whose transport is bound. At least one must succeed. */
    ServerEndpointImpl open() {
        return open(true);
    }

    /**
     * Listens on every configured address whose transport is bound, and on the others as soon as a transport for
     * their scheme arrives.
     *
     * @param requireOne fail (and close) when no address can listen now, as a program asking for a server
     *        expects; a configured endpoint passes false and waits for its transport bundles instead (an operator
     *        may deploy the transport after the configuration)
     */
    ServerEndpointImpl open(boolean requireOne) {
        ctx.providers.addListener(this);
        ctx.endpoints.add(this);
        IpcException first = null;
        for (URI u : configured) {
            try {
                listen(u);
            } catch (IpcException e) {
                first = first == null ? e : first;
                if (!requireOne) {
                    LOG.warn("endpoint cannot listen on {} yet ({}); it will when a transport for '{}' arrives", u,
                            e.getMessage(), u.getScheme());
                }
            }
        }
        if (requireOne && listeners.isEmpty() && first != null) {
            close();
            throw first;
        }
        return this;
    }

    private void listen(URI u) {
        synchronized (listeners) {
            if (closed || listeners.containsKey(u)) {
                return;
            }
            Transport t = ctx.providers.transport(u.getScheme());
            Listener l = t.listen(u, conn -> accept(t, conn));
            listeners.put(u, new Bound(t, l));
        }
    }

    private ConnectionHandler accept(Transport t, Connection conn) {
        if (pendingHandshakes.incrementAndGet() > settings.maxPendingHandshakes) {
            pendingHandshakes.decrementAndGet();
            handshakeFailed(new IpcException(ErrorCode.QUOTA_EXCEEDED,
                    settings.maxPendingHandshakes + " handshakes already pending"));
            return refusing();
        }
        try {
            return startHandshake(t, conn);
        } catch (RuntimeException e) {
            pendingHandshakes.decrementAndGet();
            throw e;
        }
    }

    /** A handler that closes the connection at once (no keys, no MAC provider, too many pending handshakes). */
    private ConnectionHandler refusing() {
        return new ConnectionHandler() {
            @Override
            public void onOpen(Connection c) {
                ctx.timer.execute(c::close);
            }

            @Override
            public void onData(Connection c, ByteBuffer data) {
                data.position(data.limit());
            }

            @Override
            public void onClose(Connection c, IpcException cause) {
            }
        };
    }

    private ConnectionHandler startHandshake(Transport t, Connection conn) {
        List<KeyEntry> keys;
        IntegrityProvider integrity;
        try {
            keys = ctx.providers.acceptedKeys();
            if (keys.isEmpty()) {
                throw new IpcException(ErrorCode.KEY_UNKNOWN, "keyring has no accepted key");
            }
            if (settings.mode == ProtocolMode.STRICT) {
                // recently retired keys verify only the hello, so that its sender learns KEY_RETIRED (the hello
                // handler refuses any key not accepted now); they never carry a session
                List<KeyEntry> withRetired = new ArrayList<>(keys);
                withRetired.addAll(ctx.providers.retiredKeys());
                keys = withRetired;
            }
            integrity = ctx.providers.integrity();
        } catch (IpcException e) {
            // no keys or no MAC provider right now: refuse this connection, keep listening
            handshakeFailed(e);
            pendingHandshakes.decrementAndGet();
            return refusing();
        }
        List<FrameMac> macs = new ArrayList<>();
        for (KeyEntry k : keys) {
            macs.add(settings.mode == ProtocolMode.STRICT
                    ? integrity.newMac(HardenedClientHandshake.handshakeKey(k)) : integrity.newMac(k));
        }
        AnyOfMac verifier = new AnyOfMac(macs);
        ServerHandshake hs = settings.mode == ProtocolMode.STRICT ? new HardenedServerHandshake(this, verifier, keys)
                : new CompatServerHandshake(this, verifier, keys, ctx.providers.newReplayGuard());
        Carrier c = new Carrier(t, settings.mode, verifier, hs, ctx.timer);
        c.bind(conn);
        carriers.add(c);
        c.closeHook(() -> carriers.remove(c));
        ctx.timer.schedule(() -> hs.timeout(c), settings.handshakeTimeout.toMillis(), TimeUnit.MILLISECONDS);
        return c;
    }

    // ---- used by the handshakes ------------------------------------------------------------------------------

    RuntimeContext ctx() {
        return ctx;
    }

    EndpointSettings settings() {
        return settings;
    }

    boolean admits(String serviceId) {
        return settings.services.isEmpty() || settings.services.containsKey(serviceId);
    }

    List<String> capabilities(String serviceId) {
        return settings.services.getOrDefault(serviceId, List.of());
    }

    SessionImpl findSession(String id) {
        return sessions.get(id);
    }

    void registerNonce(byte[] n) {
        ownNonces.add(ByteBuffer.wrap(n.clone()));
    }

    void unregisterNonce(byte[] n) {
        ownNonces.remove(ByteBuffer.wrap(n));
    }

    boolean isOwnNonce(byte[] n) {
        return ownNonces.contains(ByteBuffer.wrap(n));
    }

    SessionImpl newSession(String id, PeerIdentity peer, ProtocolMode mode, FrameMac sendMac,
            Supplier<FrameMac> recvMacs, byte[] resumeSecret, ReplayGuard guard, long firstSeq) {
        SessionImpl s = new SessionImpl(id, peer, mode, settings.serviceId, settings, ctx, handler, this, sendMac,
                recvMacs, resumeSecret, guard, firstSeq);
        if (mode == ProtocolMode.STRICT) {
            s.capabilityHandles(capabilityHandles.issue(id, List.copyOf(peer.capabilities())));
        }
        if (sessions.putIfAbsent(id, s) != null) {
            throw new IpcException(ErrorCode.INTERNAL, "session id collision");
        }
        ctx.hooks.emit(RuntimeEvent.builder(RuntimeEvent.Kind.SESSION_OPENED).endpoint(label()).sessionId(id).peer(peer)
                .detail(mode == ProtocolMode.STRICT ? "strict" : "compat").build());
        if (closed) {
            s.terminate(null);
        }
        return s;
    }

    void handshakeFailed(IpcException cause) {
        handshakeFailures.incrementAndGet();
        lastHandshakeFailure = cause;
        ctx.hooks.emit(RuntimeEvent.builder(RuntimeEvent.Kind.HANDSHAKE_FAILED).code(cause.code()).endpoint(label())
                .detail(cause.getMessage()).build());
        LOG.debug("handshake failed: {}", cause.getMessage());
    }

    /** A handshake ended (either way): its place is free. */
    void handshakeEnded() {
        pendingHandshakes.decrementAndGet();
    }

    /** Connections accepted whose handshake has not ended yet. */
    int pendingHandshakes() {
        return pendingHandshakes.get();
    }

    /** Handshakes that failed (any reason) since the endpoint opened. */
    long handshakeFailures() {
        return handshakeFailures.get();
    }

    IpcException lastHandshakeFailure() {
        return lastHandshakeFailure;
    }

    /** Open connections, in handshake or carrying a session (tests close them from outside). */
    Collection<Carrier> carriers() {
        return List.copyOf(carriers);
    }

    /** The bound addresses (ports filled in). */
    List<URI> addresses() {
        List<URI> out = new ArrayList<>();
        for (URI u : configured) {
            Bound b = listeners.get(u);
            if (b != null) {
                out.add(b.listener.address());
            }
        }
        return out;
    }

    // ---- SessionOwner ----------------------------------------------------------------------------------------

    @Override
    public void carrierLost(SessionImpl session, IpcException cause) {
        // the client resumes; the session's own deadline closes it if nobody does
        carrierLosses.incrementAndGet();
        lastCarrierLoss = cause;
    }

    /** Why the last session carrier was lost (null for an orderly close by the peer). */
    IpcException lastCarrierLoss() {
        return lastCarrierLoss;
    }

    long carrierLosses() {
        return carrierLosses.get();
    }

    @Override
    public void sessionClosed(SessionImpl session, IpcException cause) {
        sessions.remove(session.id(), session);
    }

    @Override
    public String label() {
        return address().toString();
    }

    @Override
    public boolean serverSide() {
        return true;
    }

    @Override
    public org.eipc.runtime.EndpointMetrics metrics() {
        List<org.eipc.runtime.SessionMetrics> ms = new ArrayList<>();
        for (SessionImpl s : sessions.values()) {
            ms.add(s.metrics());
        }
        return new org.eipc.runtime.EndpointMetrics("server", configured, !listeners.isEmpty(), ms);
    }

    // ---- transports ------------------------------------------------------------------------------------------

    @Override
    public void transportAdded(Transport t) {
        for (URI u : configured) {
            if (!listeners.containsKey(u) && t.schemes().contains(u.getScheme())) {
                try {
                    listen(u);
                } catch (IpcException e) {
                    LOG.warn("cannot listen on {}: {}", u, e.getMessage());
                }
            }
        }
    }

    @Override
    public void transportRemoved(Transport t) {
        synchronized (listeners) {
            listeners.entrySet().removeIf(e -> {
                if (e.getValue().transport == t) {
                    e.getValue().listener.close();
                    return true;
                }
                return false;
            });
        }
        // a greedy replacement may already be bound: listen again where it serves the scheme
        for (URI u : configured) {
            try {
                Transport now = ctx.providers.transport(u.getScheme());
                transportAdded(now);
            } catch (IpcException e) {
                // nothing serves this scheme now
            }
        }
        // make before break: sessions on the leaving transport are asked to move and keep their connection until
        // they have (bounded); the transport closes its connections only after this returns. A client can only move
        // to an address this endpoint still listens on: with none left (its only transport is being updated or
        // replaced), nobody can move, so the connections close now, and the clients resume as soon as a transport is
        // back instead of the unbind (and with it the bundle's stop, and the update) waiting for each client to
        // report that it cannot move. Either way, when this returns no session is on the leaving transport any more.
        IpcException left = new IpcException(ErrorCode.TRANSPORT_UNAVAILABLE, "transport " + t.kind() + " left");
        List<Carrier> moving = new ArrayList<>();
        boolean drain = !settings.transportDrainTimeout.isZero();
        boolean canMove = !listeners.isEmpty();
        for (Carrier c : carriers) {
            if (c.transport() != t) {
                continue;
            }
            boolean session = c.sink() instanceof SessionImpl;
            if (drain && canMove && session && ((SessionImpl) c.sink()).askToMove(c)) {
                moving.add(c);
            } else if (!canMove && session) {
                // nobody can move: the session detaches here and now, not after a hop through the timer and the
                // transport's I/O thread (a handshake still running keeps to its I/O thread: the else branch)
                c.closeNow(left);
                if (drain) {
                    moving.add(c); // in case the transport's own close report is still running
                }
            } else {
                c.close(left);
                if (drain && session) {
                    moving.add(c); // closed now; wait (bounded) until its session has let go of it
                }
            }
        }
        if (!moving.isEmpty()) {
            awaitMoved(moving, System.nanoTime() + settings.transportDrainTimeout.toNanos());
            for (Carrier c : moving) {
                c.close(left); // moved (the session has another carrier) or out of time
            }
        }
    }

    /**
     * Waits until the session of every carrier in {@code moving} is attached elsewhere, has lost {@code c} (its
     * client closed it: nowhere to move), or is closed; or until the deadline.
     */
    private static void awaitMoved(List<Carrier> moving, long deadline) {
        int left = moving.size();
        while (left > 0 && deadline - System.nanoTime() > 0) {
            left = 0;
            for (Carrier c : moving) {
                if (((SessionImpl) c.sink()).stillMovingOff(c)) {
                    left++;
                }
            }
            if (left > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(200_000);
            }
        }
        if (left > 0) {
            LOG.debug("{} session(s) did not move off the leaving transport in time; closing", left);
        }
    }

    // ---- Endpoint ---------------------------------------------------------------------------------------------

    @Override
    public URI address() {
        List<URI> a = addresses();
        return a.isEmpty() ? configured.get(0) : a.get(0);
    }

    @Override
    public Collection<Session> sessions() {
        return List.copyOf(sessions.values());
    }

    @Override
    public void close() {
        synchronized (listeners) {
            if (closed) {
                return;
            }
            closed = true;
            for (Bound b : listeners.values()) {
                b.listener.close();
            }
            listeners.clear();
        }
        ctx.providers.removeListener(this);
        ctx.endpoints.remove(this);
        for (SessionImpl s : sessions.values()) {
            s.close();
        }
        for (Carrier c : carriers) {
            if (!(c.sink() instanceof SessionImpl)) {
                c.close(new IpcException(ErrorCode.CONNECTION_CLOSED, "endpoint closed"));
            }
        }
    }
}
