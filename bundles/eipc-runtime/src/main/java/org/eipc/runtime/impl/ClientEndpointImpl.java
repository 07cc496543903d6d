package org.eipc.runtime.impl;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
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
import org.eipc.spi.security.ReplayGuard;
import org.eipc.spi.transport.Connection;
import org.eipc.spi.transport.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client endpoint: one session to a server reachable at one or more addresses. In hardened mode a lost
 * connection is replaced with backoff, trying the addresses in turn, and the session is resumed on the new one;
 * in compat mode (the reference has no resume) the session ends with its connection.
 */
final class ClientEndpointImpl implements Endpoint, SessionOwner, Providers.TransportListener,
        RuntimeContext.MetricsSource {
    private static final Logger LOG = LoggerFactory.getLogger(ClientEndpointImpl.class);

    private final RuntimeContext ctx;
    private final EndpointSettings settings;
    private final List<URI> addresses;
    private final MessageHandler handler;
    private volatile SessionImpl session;
    private volatile List<String> granted = List.of();
    private volatile boolean closed;
    private volatile long resumes;
    private volatile Runnable onSessionClosed;
    private volatile IpcException lastFailure;
    private volatile IpcException attemptFailure;
    /** A resume of the session is scheduled or running. */
    private final java.util.concurrent.atomic.AtomicBoolean resuming = new java.util.concurrent.atomic.AtomicBoolean();
    /** The pending resume round and its number (guarded by {@link #resuming}). */
    private java.util.concurrent.ScheduledFuture<?> resumeTimer;
    private int resumeAttempt;
    /** Index of the address that carried the session last: resumes try it first. */
    private volatile int lastGood;

    ClientEndpointImpl(RuntimeContext ctx, List<URI> addresses, EndpointSettings settings, MessageHandler handler) {
        settings.validate();
        if (addresses.isEmpty()) {
            throw new IpcException(ErrorCode.CONFIG_INVALID, "no address to connect to");
        }
        this.ctx = ctx;
        this.settings = settings.copy();
        this.addresses = List.copyOf(addresses);
        this.handler = handler;
        ctx.providers.addListener(this);
        ctx.endpoints.add(this);
    }

    /** Connects to the first address that answers and runs the handshake. */
    CompletionStage<Session> connect() {
        CompletableFuture<Session> f = new CompletableFuture<>();
        ctx.connector.execute(() -> connectNext(0, null, f));
        return f;
    }

    /**
     * Connects like {@link #connect()}, but keeps trying with backoff while the failures are ones a new attempt may
     * cure (no server yet, transport not bound yet, timeouts), until the endpoint is closed. For configured
     * endpoints, whose server may start later.
     */
    CompletionStage<Session> connectPersistently() {
        CompletableFuture<Session> f = new CompletableFuture<>();
        persist(0, f);
        return f;
    }

    private void persist(int round, CompletableFuture<Session> f) {
        if (closed) {
            f.completeExceptionally(new IpcException(ErrorCode.CONNECTION_CLOSED, "endpoint closed"));
            return;
        }
        connect().whenComplete((s, e) -> {
            if (e == null) {
                f.complete(s);
                return;
            }
            IpcException ie = unwrap(e);
            lastFailure = ie;
            // KEY_UNKNOWN here is local (no keyring bound yet); a peer's refusal is AUTH_FAILED
            if (!retryable(ie) && ie.code() != ErrorCode.KEY_UNKNOWN) {
                f.completeExceptionally(ie);
                return;
            }
            long delay = Math.min(settings.reconnectMax.toMillis(),
                    settings.reconnectInitial.toMillis() << Math.min(round, 20));
            try {
                ctx.timer.schedule(() -> persist(round + 1, f), delay, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException stopped) {
                f.completeExceptionally(ie);
            }
        });
    }

    private void connectNext(int i, IpcException lastSeen, CompletableFuture<Session> f) {
        // report the most telling failure: an address without a transport says less than one that was tried
        IpcException last = lastSeen;
        if (i > 0 && last != null && last.code() == ErrorCode.TRANSPORT_UNAVAILABLE && attemptFailure != null) {
            last = attemptFailure;
        }
        if (last != null && last.code() != ErrorCode.TRANSPORT_UNAVAILABLE) {
            attemptFailure = last;
        }
        if (i >= addresses.size()) {
            attemptFailure = null;
            f.completeExceptionally(last);
            return;
        }
        try {
            attempt(addresses.get(i), null).whenComplete((s, e) -> {
                if (e == null) {
                    lastGood = i;
                    f.complete(s);
                } else {
                    IpcException ie = unwrap(e);
                    if (retryable(ie)) {
                        ctx.connector.execute(() -> connectNext(i + 1, ie, f));
                    } else {
                        f.completeExceptionally(ie);
                    }
                }
            });
        } catch (IpcException e) {
            connectNext(i + 1, e, f);
        }
    }

    /** One connection attempt with a full handshake ({@code resume} null) or a resume. Blocks for the connect. */
    private CompletableFuture<SessionImpl> attempt(URI uri, SessionImpl resume) {
        if (closed && resume == null) {
            throw new IpcException(ErrorCode.CONNECTION_CLOSED, "endpoint closed");
        }
        Transport t = ctx.providers.transport(uri.getScheme());
        KeyEntry key = ctx.providers.currentKey();
        IntegrityProvider integrity = ctx.providers.integrity();
        HandshakeBase hs;
        FrameMac verifier;
        if (settings.mode == ProtocolMode.STRICT) {
            hs = new HardenedClientHandshake(this, settings.serviceId, key, integrity, resume);
            verifier = integrity.newMac(HardenedClientHandshake.handshakeKey(key));
        } else {
            ReplayGuard guard = ctx.providers.newReplayGuard();
            hs = new CompatClientHandshake(this, settings.serviceId, key, integrity.newMac(key), guard);
            verifier = compatVerifier();
        }
        Carrier c = new Carrier(t, settings.mode, verifier, hs, ctx.timer);
        hs.bind(c);
        Connection conn = t.connect(uri, c, settings.connectTimeout);
        c.bind(conn);
        ctx.timer.schedule(() -> hs.fail(new IpcException(ErrorCode.HANDSHAKE_TIMEOUT,
                "handshake with " + uri + " not finished in time")), settings.handshakeTimeout.toMillis(),
                TimeUnit.MILLISECONDS);
        hs.start();
        return hs.result;
    }

    private static IpcException unwrap(Throwable e) {
        Throwable t = e;
        while (t instanceof java.util.concurrent.CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t instanceof IpcException ? (IpcException) t
                : new IpcException(ErrorCode.INTERNAL, "connect failed: " + t, t);
    }

    /** Failures a new attempt may cure; authentication failures are final. */
    private static boolean retryable(IpcException e) {
        switch (e.code().category()) {
            case TRANSPORT:
            case TIMEOUT:
                return true;
            default:
                return false;
        }
    }

    // ---- used by the handshakes ------------------------------------------------------------------------------

    RuntimeContext ctx() {
        return ctx;
    }

    EndpointSettings settings() {
        return settings;
    }

    /** Compat receive verifier: any key the keyring accepts. */
    FrameMac compatVerifier() {
        IntegrityProvider integrity = ctx.providers.integrity();
        List<FrameMac> macs = new ArrayList<>();
        for (KeyEntry k : ctx.providers.acceptedKeys()) {
            macs.add(integrity.newMac(k));
        }
        return new AnyOfMac(macs);
    }

    SessionImpl newSession(String id, PeerIdentity peer, List<String> grantedCapabilities, ProtocolMode mode,
            FrameMac sendMac, Supplier<FrameMac> recvMacs, byte[] resumeSecret, ReplayGuard guard, long firstSeq) {
        SessionImpl s = new SessionImpl(id, peer, mode, settings.serviceId, settings, ctx, handler, this, sendMac,
                recvMacs, resumeSecret, guard, firstSeq);
        this.granted = List.copyOf(grantedCapabilities);
        this.session = s;
        ctx.hooks.emit(org.eipc.spi.runtime.RuntimeEvent.builder(org.eipc.spi.runtime.RuntimeEvent.Kind.SESSION_OPENED)
                .endpoint(label()).sessionId(id).peer(peer).detail(mode == ProtocolMode.STRICT ? "strict" : "compat")
                .build());
        return s;
    }

    /** The capabilities the server granted this client. */
    List<String> grantedCapabilities() {
        return granted;
    }

    /** Why the last connect attempt failed, or null. */
    IpcException lastFailure() {
        return lastFailure;
    }

    /** Successful resumes since the endpoint opened. */
    long resumes() {
        return resumes;
    }

    // ---- SessionOwner: resume with backoff ------------------------------------------------------------------

    @Override
    public void carrierLost(SessionImpl s, IpcException cause) {
        // one resume at a time: two handshakes racing for the same session could leave each side attached to a
        // different connection. A loss while one runs is picked up when it ends (see resumeEnded).
        if (resuming.compareAndSet(false, true)) {
            scheduleResume(s, 0);
        }
    }

    @Override
    public void moveRequested(SessionImpl s) {
        ctx.connector.execute(() -> move(s));
    }

    /**
     * The server's transport is leaving: resume over another address while the current connection still carries
     * the session (the handshake detaches it only when it reports what arrived). With no other address whose
     * transport is bound here, the connection is closed now and the session resumes the usual way, so the server
     * does not wait for a move that cannot happen.
     */
    private void move(SessionImpl s) {
        if (!s.isOpen() || (closed && s != session) || !resuming.compareAndSet(false, true)) {
            return; // a resume is running already (or nothing to move)
        }
        Carrier current = s.carrier();
        List<URI> candidates = servedAddresses(1); // not the one the server asks us to leave
        if (current == null || candidates.isEmpty()) {
            resuming.set(false);
            if (current != null) {
                LOG.debug("session {}: the server asks to move, no other address; reconnecting", s.id());
                current.close(new IpcException(ErrorCode.TRANSPORT_UNAVAILABLE,
                        "the server's transport is leaving and there is no other address to move to"));
            } else {
                resumeEnded(s);
            }
            return;
        }
        LOG.debug("session {}: the server asks to move; trying {}", s.id(), candidates);
        resumeNext(s, 0, candidates, 0);
    }

    /** The resume in flight ended (either way): if the session lost its carrier meanwhile, start another. */
    private void resumeEnded(SessionImpl s) {
        resuming.set(false);
        if (s.isOpen() && !s.isAttached() && !(closed && s != session) && resuming.compareAndSet(false, true)) {
            scheduleResume(s, 0);
        }
    }

    private void scheduleResume(SessionImpl s, int attemptNo) {
        if (!s.isOpen() || (closed && s != session)) {
            resuming.set(false);
            return;
        }
        long delay = attemptNo == 0 ? 0 : Math.min(settings.reconnectMax.toMillis(),
                settings.reconnectInitial.toMillis() << Math.min(attemptNo - 1, 20));
        synchronized (resuming) {
            resumeAttempt = attemptNo;
            resumeTimer = ctx.timer.schedule(() -> ctx.connector.execute(() -> resumeRound(s, attemptNo)), delay,
                    TimeUnit.MILLISECONDS);
        }
    }

    /**
     * One round of resume attempts: every address whose transport is bound now, starting with the one that carried
     * the session last, each tried at once after the previous failed; the next round waits for the backoff. With
     * no transport bound for any address, the round waits for one to arrive ({@link #transportAdded}), so a
     * transport swap costs one handshake, not a walk through addresses whose transport is gone.
     */
    private void resumeRound(SessionImpl s, int attemptNo) {
        if (!s.isOpen() || s.isAttached() || (closed && s != session)) {
            resumeEnded(s);
            return;
        }
        List<URI> candidates = servedAddresses(0);
        if (candidates.isEmpty()) {
            LOG.debug("resume of {}: no transport serves any of {}", s.id(), addresses);
            scheduleResume(s, attemptNo + 1); // transportAdded cuts the wait short
            return;
        }
        resumeNext(s, attemptNo, candidates, 0);
    }

    /**
     * The addresses whose transport is bound here, starting {@code skip} places after the one that carried the
     * session last (0: that one first).
     */
    private List<URI> servedAddresses(int skip) {
        List<URI> served = new ArrayList<>();
        int n = addresses.size();
        for (int i = skip; i < n; i++) {
            URI u = addresses.get((lastGood + i) % n);
            if (ctx.providers.serves(u.getScheme())) {
                served.add(u);
            }
        }
        return served;
    }

    private void resumeNext(SessionImpl s, int attemptNo, List<URI> candidates, int i) {
        if (i >= candidates.size()) {
            scheduleResume(s, attemptNo + 1);
            return;
        }
        URI uri = candidates.get(i);
        try {
            attempt(uri, s).whenComplete((ok, e) -> {
                if (e == null) {
                    resumes++;
                    lastGood = addresses.indexOf(uri);
                    LOG.debug("session {} resumed over {}", s.id(), uri);
                    resumeEnded(s);
                    return;
                }
                IpcException ie = unwrap(e);
                LOG.debug("resume of {} over {} failed: {}", s.id(), uri, ie.getMessage());
                if (retryable(ie)) {
                    ctx.connector.execute(() -> resumeNext(s, attemptNo, candidates, i + 1));
                } else {
                    resumeEnded(s);
                    s.terminate(ie);
                }
            });
        } catch (IpcException e) {
            LOG.debug("resume of {} over {} failed: {}", s.id(), uri, e.getMessage());
            if (retryable(e) || e.code() == ErrorCode.ADDRESS_INVALID || e.code() == ErrorCode.KEY_UNKNOWN) {
                resumeNext(s, attemptNo, candidates, i + 1);
            } else {
                resumeEnded(s);
                s.terminate(e);
            }
        }
    }

    @Override
    public void sessionClosed(SessionImpl s, IpcException cause) {
        // the endpoint keeps its last session for inspection; once it is closed for good, nothing is tracked any more
        if (closed && s == session) {
            ctx.providers.removeListener(this);
            ctx.endpoints.remove(this);
        }
        Runnable r = onSessionClosed;
        if (r != null && s == session) {
            r.run();
        }
    }

    /** Runs once the current session has closed for good (used by the programmatic runtime). */
    void onSessionClosed(Runnable r) {
        this.onSessionClosed = r;
    }

    // ---- transports ------------------------------------------------------------------------------------------

    @Override
    public void transportAdded(Transport t) {
        // a session waiting in backoff for a carrier tries the new transport now
        SessionImpl s = session;
        if (s == null || !s.isOpen() || s.isAttached()) {
            return;
        }
        synchronized (resuming) {
            java.util.concurrent.ScheduledFuture<?> f = resumeTimer;
            if (resuming.get() && resumeAttempt > 0 && f != null && f.cancel(false)) {
                resumeTimer = null; // the round starts now: nothing left to cut short
                try {
                    ctx.connector.execute(() -> resumeRound(s, 1));
                } catch (java.util.concurrent.RejectedExecutionException stopped) {
                    resuming.set(false); // the runtime is closing
                }
            }
        }
    }

    @Override
    public void transportRemoved(Transport t) {
        SessionImpl s = session;
        Carrier c = s == null ? null : s.carrier();
        if (c != null && c.transport() == t) {
            // the unbind holds no session lock: detach now, so a replacement bound next finds the session ready to
            // resume rather than still on the leaving connection
            c.closeNow(new IpcException(ErrorCode.TRANSPORT_UNAVAILABLE, "transport " + t.kind() + " left"));
        }
    }

    // ---- Endpoint ---------------------------------------------------------------------------------------------

    @Override
    public URI address() {
        return addresses.get(0);
    }

    @Override
    public Collection<Session> sessions() {
        SessionImpl s = session;
        return s == null || !s.isOpen() ? List.of() : List.of(s);
    }

    @Override
    public void close() {
        closed = true; // no new connection; the session may still resume to drain (bounded by closeDrainTimeout)
        SessionImpl s = session;
        if (s != null && s.isOpen()) {
            s.close();
        } else {
            ctx.providers.removeListener(this);
            ctx.endpoints.remove(this);
        }
    }

    @Override
    public String label() {
        return addresses.get(0).toString();
    }

    @Override
    public boolean serverSide() {
        return false;
    }

    @Override
    public org.eipc.runtime.EndpointMetrics metrics() {
        SessionImpl s = session;
        boolean live = s != null && s.isOpen();
        return new org.eipc.runtime.EndpointMetrics("client", addresses, live && s.isAttached(),
                live ? List.of(s.metrics()) : List.of());
    }
}
