package org.eipc.service.broker.impl;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;
import org.eipc.api.Message;
import org.eipc.api.Session;
import org.eipc.service.broker.Registration;
import org.eipc.service.broker.SubscriberOptions;

/**
 * What one remote session holds at the broker: its subscriptions (one per pattern) and the services it serves,
 * within the per-session limits. Everything goes when the session closes.
 */
final class RemotePeer {
    private final Session session;
    private final BrokerCore core;
    private final WireProtocol wire;
    private final SessionSink sink;
    private final Map<String, Outbox> subscriptions = new HashMap<>(); // guarded by this
    private final Map<String, Registration> services = new HashMap<>(); // guarded by this
    private boolean closed; // guarded by this

    RemotePeer(final Session session, final BrokerCore core, final WireProtocol wire) {
        this.session = session;
        this.core = core;
        this.wire = wire;
        this.sink = new SessionSink(this);
    }

    Session session() {
        return session;
    }

    /** Subscribes, or replaces this session's subscription to the same pattern (new options). */
    void subscribe(final String pattern, final SubscriberOptions options) {
        final Outbox old;
        synchronized (this) {
            ensureOpen();
            old = subscriptions.get(pattern);
            final int max = core.settings().maxSubscriptionsPerSession();
            if (old == null && subscriptions.size() >= max) {
                throw new IpcException(ErrorCode.QUOTA_EXCEEDED, "a session may hold " + max + " subscriptions");
            }
            subscriptions.put(pattern, core.subscribe(pattern, options, sink));
        }
        if (old != null) {
            old.close();
        }
    }

    /** @return whether this session had a subscription to {@code pattern} */
    boolean unsubscribe(final String pattern) {
        final Outbox o;
        synchronized (this) {
            o = subscriptions.remove(pattern);
        }
        if (o != null) {
            o.close();
        }
        return o != null;
    }

    /** The broker ended one of our subscriptions. */
    synchronized void cancelled(final Outbox outbox) {
        subscriptions.remove(outbox.pattern(), outbox);
    }

    void register(final String service) {
        synchronized (this) {
            ensureOpen();
            final int max = core.settings().maxServicesPerSession();
            if (services.containsKey(service)) {
                return;
            }
            if (services.size() >= max) {
                throw new IpcException(ErrorCode.QUOTA_EXCEEDED, "a session may serve " + max + " services");
            }
            services.put(service, core.serve(service, this::call));
        }
    }

    boolean unregister(final String service) {
        final Registration r;
        synchronized (this) {
            r = services.remove(service);
        }
        if (r != null) {
            r.close();
        }
        return r != null;
    }

    /** Forwards a routed request to this session under a request id of the broker's own. */
    private void call(final String service, final Message request, final java.time.Duration timeout,
            final java.util.concurrent.CompletableFuture<Message> reply) {
        final Message forward = request.withHeader(request.header().toBuilder().requestId(wire.nextRequestId())
                .route(Routes.REQUEST + service).build());
        session.request(forward, timeout).whenComplete((r, e) -> {
            if (e != null) {
                reply.completeExceptionally(BrokerCore.failure(e));
            } else {
                reply.complete(r);
            }
        });
    }

    /** The session answered CLOSED or was found closed: drop everything it held. */
    void sessionClosed() {
        final List<Outbox> subs;
        final List<Registration> regs;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            subs = new ArrayList<>(subscriptions.values());
            regs = new ArrayList<>(services.values());
            subscriptions.clear();
            services.clear();
        }
        subs.forEach(Outbox::close);
        regs.forEach(Registration::close);
        wire.removed(this);
    }

    synchronized int subscriptionCount() {
        return subscriptions.size();
    }

    synchronized int serviceCount() {
        return services.size();
    }

    private void ensureOpen() {
        if (closed) {
            throw new IpcException(ErrorCode.CONNECTION_CLOSED, "session " + session.id() + " is closed");
        }
    }
}
