package org.eipc.runtime.impl;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.eipc.api.Endpoint;
import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;
import org.eipc.api.MessageHandler;
import org.eipc.api.Session;
import org.eipc.protocol.ProtocolMode;
import org.eipc.runtime.EndpointOptions;
import org.eipc.runtime.StandaloneRuntime;
import org.eipc.spi.keyring.KeyringProvider;
import org.eipc.spi.security.IntegrityProvider;
import org.eipc.spi.security.ReplayGuardProvider;
import org.eipc.spi.transport.Transport;

/**
 * The {@link org.eipc.runtime.EipcRuntime} over one {@link RuntimeContext}: the DS {@link RuntimeHost} delegates to
 * it, and {@link org.eipc.runtime.EipcRuntimes#standalone} builds one that owns its context. Public only so that the
 * exported factory can reach it; the package is private.
 */
public final class RuntimeFacade implements StandaloneRuntime {
    private final RuntimeContext ctx;
    private final boolean ownsContext;
    private final Set<Endpoint> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;
    /** How long close() waits for sessions to drain before it ends them. */
    private static final long CLOSE_WAIT_MILLIS = 5000;

    RuntimeFacade(RuntimeContext ctx, boolean ownsContext) {
        this.ctx = ctx;
        this.ownsContext = ownsContext;
    }

    /** Used by {@link org.eipc.runtime.EipcRuntimes}. */
    public static RuntimeFacade standalone(List<Transport> transports, IntegrityProvider integrity,
            KeyringProvider keyring, ReplayGuardProvider replay, int connectThreads, int deliveryThreads) {
        if (transports.isEmpty()) {
            throw new IpcException(ErrorCode.CONFIG_INVALID, "a runtime needs at least one transport");
        }
        Providers p = new Providers();
        p.integrity(integrity);
        p.keyring(keyring);
        if (replay != null) {
            p.replay(replay);
        }
        for (Transport t : transports) {
            p.addTransport(t);
        }
        return new RuntimeFacade(new RuntimeContext(p, connectThreads, deliveryThreads), true);
    }

    RuntimeContext context() {
        return ctx;
    }

    static EndpointSettings settings(EndpointOptions o) {
        EndpointSettings s = new EndpointSettings();
        s.mode = o.mode() == EndpointOptions.Mode.COMPAT ? ProtocolMode.COMPAT : ProtocolMode.STRICT;
        s.serviceId = o.serviceId();
        s.services = new java.util.LinkedHashMap<>(o.services());
        s.handshakeTimeout = o.handshakeTimeout();
        s.connectTimeout = o.connectTimeout();
        s.maxPendingHandshakes = o.maxPendingHandshakes();
        s.maxUnacked = o.maxUnacked();
        s.maxUnackedBytes = o.maxUnackedBytes();
        s.maxQueued = o.maxQueued();
        s.maxQueuedBytes = o.maxQueuedBytes();
        s.starvationLimit = o.starvationLimit();
        s.receiveWindow = o.receiveWindow();
        s.ackEvery = o.ackEvery();
        s.ackDelay = o.ackDelay();
        s.resumeTimeout = o.resumeTimeout();
        s.idleTimeout = o.idleTimeout();
        s.closeDrainTimeout = o.closeDrainTimeout();
        s.transportDrainTimeout = o.transportDrainTimeout();
        s.quotas = Limits.quotas(o.quotas().toArray(new String[0]));
        s.budgets = Limits.budgets(o.latencyBudgets().toArray(new String[0]));
        s.forwardSecrecy = EndpointSettings.ForwardSecrecy.valueOf(o.forwardSecrecy().name());
        s.deliverOnIoThread = o.deliverOnIoThread();
        s.validate();
        return s;
    }

    @Override
    public Endpoint listen(List<URI> addresses, EndpointOptions options, MessageHandler handler) {
        checkOpen();
        if (addresses.isEmpty()) {
            throw new IpcException(ErrorCode.CONFIG_INVALID, "no address to listen on");
        }
        return track(new ServerEndpointImpl(ctx, addresses, settings(options), handler).open());
    }

    private Endpoint track(ServerEndpointImpl e) {
        Endpoint wrapper = new Endpoint() {
            @Override
            public URI address() {
                return e.address();
            }

            @Override
            public java.util.Collection<Session> sessions() {
                return e.sessions();
            }

            @Override
            public void close() {
                open.remove(this);
                e.close();
            }

            @Override
            public String toString() {
                return "Endpoint" + e.addresses();
            }
        };
        open.add(wrapper);
        if (closed) {
            wrapper.close();
        }
        return wrapper;
    }

    @Override
    public CompletionStage<Session> connectAsync(List<URI> addresses, EndpointOptions options, MessageHandler handler,
            Duration timeout) {
        checkOpen();
        ClientEndpointImpl c = new ClientEndpointImpl(ctx, addresses, settings(options), handler);
        open.add(c);
        c.onSessionClosed(() -> {
            open.remove(c);
            c.close();
        });
        CompletableFuture<Session> f = new CompletableFuture<>();
        c.connectPersistently().whenComplete((s, e) -> {
            if (e != null) {
                open.remove(c);
                c.close();
                f.completeExceptionally(e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                        ? e.getCause() : e);
            } else if (!f.complete(s)) {
                s.close(); // too late: the caller gave up
            }
        });
        try {
            ctx.timer.schedule(() -> {
                IpcException last = c.lastFailure();
                if (f.completeExceptionally(new IpcException(ErrorCode.CONNECT_FAILED,
                        "no session with " + addresses + " within " + timeout.toMillis() + " ms"
                                + (last == null ? "" : "; last attempt: " + last.getMessage()), last))) {
                    open.remove(c);
                    c.close();
                }
            }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            f.completeExceptionally(new IpcException(ErrorCode.CONNECTION_CLOSED, "runtime closed"));
        }
        return f;
    }

    @Override
    public Session connect(List<URI> addresses, EndpointOptions options, MessageHandler handler, Duration timeout) {
        CompletableFuture<Session> f = connectAsync(addresses, options, handler, timeout).toCompletableFuture();
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            f.cancel(false);
            throw new IpcException(ErrorCode.CONNECT_FAILED, "interrupted while connecting", e);
        } catch (ExecutionException e) {
            Throwable t = e.getCause();
            throw t instanceof IpcException ? (IpcException) t
                    : new IpcException(ErrorCode.CONNECT_FAILED, "connect failed: " + t, t);
        }
    }

    @Override
    public List<String> schemes() {
        return ctx.providers.schemes();
    }

    @Override
    public void addHook(Object hook) {
        ctx.hooks.add(hook);
    }

    @Override
    public void removeHook(Object hook) {
        ctx.hooks.remove(hook);
    }

    @Override
    public void addTransport(org.eipc.spi.transport.Transport transport) {
        checkOpen();
        ctx.providers.addTransport(java.util.Objects.requireNonNull(transport, "transport"));
    }

    @Override
    public void removeTransport(org.eipc.spi.transport.Transport transport) {
        ctx.providers.removeTransport(java.util.Objects.requireNonNull(transport, "transport"));
    }

    @Override
    public org.eipc.runtime.RuntimeMetrics metrics() {
        return ctx.metrics();
    }

    private void checkOpen() {
        if (closed) {
            throw new IpcException(ErrorCode.CONNECTION_CLOSED, "the runtime is closed");
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<Endpoint> all = new ArrayList<>(open);
        open.clear();
        List<CompletableFuture<Void>> ends = new ArrayList<>();
        List<SessionImpl> sessions = new ArrayList<>();
        for (Endpoint e : all) {
            for (Session s : e.sessions()) {
                if (s instanceof SessionImpl) {
                    sessions.add((SessionImpl) s);
                    ends.add(((SessionImpl) s).terminated());
                }
            }
            try {
                e.close();
            } catch (RuntimeException ignored) {
                // best effort: the rest still closes
            }
        }
        // sessions drain (bounded by their closeDrainTimeout); the runtime waits a bounded time, then ends the rest
        try {
            CompletableFuture.allOf(ends.toArray(new CompletableFuture<?>[0])).get(CLOSE_WAIT_MILLIS,
                    TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            // ended below
        }
        for (SessionImpl s : sessions) {
            s.terminate(new IpcException(ErrorCode.CONNECTION_CLOSED, "runtime closed"));
        }
        if (ownsContext) {
            ctx.close();
        }
    }
}
