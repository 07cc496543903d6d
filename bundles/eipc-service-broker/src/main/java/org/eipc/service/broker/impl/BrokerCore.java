package org.eipc.service.broker.impl;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.eipc.api.ErrorCode;
import org.eipc.api.Header;
import org.eipc.api.IpcException;
import org.eipc.api.Message;
import org.eipc.service.broker.Broker;
import org.eipc.service.broker.PublishResult;
import org.eipc.service.broker.Registration;
import org.eipc.service.broker.Responder;
import org.eipc.service.broker.Subscriber;
import org.eipc.service.broker.SubscriberOptions;
import org.eipc.service.broker.Subscription;
import org.eipc.service.broker.TopicStats;

/**
 * The broker itself, without OSGi: the topic tree, the outboxes, the delivery pool, the named services and the
 * timer. {@link BrokerComponent} publishes it; {@link WireProtocol} serves remote peers through the
 * package-private methods that take a {@link Sink} or a {@link Provider}.
 */
final class BrokerCore implements Broker, Outbox.Owner {

    /** Serves one named service: completes {@code reply} (the broker times it out). */
    interface Provider {
        void call(String service, Message request, Duration timeout, CompletableFuture<Message> reply);
    }

    private final BrokerSettings settings;
    private final TopicTree tree;
    private final TopicCounters counters;
    private final DeliveryPool pool;
    private final ScheduledThreadPoolExecutor timer;
    private final Set<Outbox> outboxes = ConcurrentHashMap.newKeySet();
    private final Map<String, Provider> services = new ConcurrentHashMap<>();
    private final Set<CompletableFuture<Message>> pending = ConcurrentHashMap.newKeySet();
    private final AtomicLong ids = new AtomicLong();
    private volatile boolean closed;

    BrokerCore(final BrokerSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.tree = new TopicTree(8192);
        this.counters = new TopicCounters(settings.maxTrackedTopics());
        this.pool = new DeliveryPool("eipc-broker-delivery", settings.deliveryThreads(),
                settings.maxDeliveryThreads(), settings.stallMillis());
        this.timer = new ScheduledThreadPoolExecutor(1, r -> {
            final Thread t = new Thread(r, "eipc-broker-timer");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        final long check = Math.max(1, settings.stallMillis() / 2);
        timer.scheduleWithFixedDelay(pool::check, check, check, TimeUnit.MILLISECONDS);
    }

    BrokerSettings settings() {
        return settings;
    }

    DeliveryPool pool() {
        return pool;
    }

    /** Schedules periodic work on the broker's timer (until the broker closes). */
    void every(final long millis, final Runnable task) {
        timer.scheduleWithFixedDelay(task, millis, millis, TimeUnit.MILLISECONDS);
    }

    // ---- publish/subscribe ----------------------------------------------------------------------------------

    @Override
    public Subscription subscribe(final String pattern, final SubscriberOptions options, final Subscriber subscriber) {
        Objects.requireNonNull(subscriber, "subscriber");
        return subscribe(pattern, options, new LocalSink(subscriber));
    }

    /** Subscribes any sink (in-host or remote). */
    Outbox subscribe(final String pattern, final SubscriberOptions options, final Sink sink) {
        Objects.requireNonNull(options, "options");
        final String[] tokens = Topics.pattern(pattern);
        final int depth = options.queueDepth().orElse(settings.queueDepth());
        if (depth > settings.maxQueueDepth()) {
            throw new IpcException(ErrorCode.CONFIG_INVALID, "queueDepth=" + depth + " above the broker's maximum "
                    + settings.maxQueueDepth());
        }
        ensureOpen();
        if (outboxes.size() >= settings.maxSubscriptions()) {
            throw new IpcException(ErrorCode.QUOTA_EXCEEDED, "the broker holds its maximum of "
                    + settings.maxSubscriptions() + " subscriptions");
        }
        final Outbox o = new Outbox("s" + ids.incrementAndGet(), pattern, tokens, depth,
                options.overflow().orElse(settings.overflow()), sink, pool, settings.batch(), this);
        outboxes.add(o);
        tree.add(tokens, o);
        if (closed) { // raced with close(): do not leave it behind
            o.end("broker stopped");
            throw new IpcException(ErrorCode.ILLEGAL_STATE, "broker is stopped");
        }
        return o;
    }

    @Override
    public void ended(final Outbox outbox) {
        if (outboxes.remove(outbox)) {
            tree.remove(outbox.tokens(), outbox);
        }
    }

    @Override
    public PublishResult publish(final String topic, final Message message) {
        return publish(topic, message, null);
    }

    /**
     * @param publisherId the authenticated service id of a remote publisher, put into the delivered header's
     *        {@code service_id}; {@code null} keeps the message's own
     */
    PublishResult publish(final String topic, final Message message, final String publisherId) {
        Objects.requireNonNull(message, "message");
        ensureOpen();
        Outbox[] matched = topic == null ? null : tree.cached(topic); // a cached topic was checked when it was first matched
        if (matched == null) {
            matched = tree.match(topic, Topics.topic(topic));
        }
        if (0 == matched.length) {
            counters.count(topic, 0, 0, true);
            return PublishResult.NO_SUBSCRIBERS;
        }
        final Header.Builder h = message.header().toBuilder().route(Routes.DELIVER + topic).requestId("");
        if (publisherId != null) {
            h.serviceId(publisherId);
        }
        final Message delivery = message.withHeader(h.build());
        int enqueued = 0;
        int dropped = 0;
        int disconnected = 0;
        for (final Outbox o : matched) {
            switch (o.offer(topic, delivery)) {
                case Outbox.QUEUED:
                    enqueued++;
                    break;
                case Outbox.QUEUED_DROPPED_OLDEST:
                    enqueued++;
                    dropped++;
                    break;
                case Outbox.DROPPED_NEWEST:
                    dropped++;
                    break;
                case Outbox.DISCONNECTED:
                    dropped++;
                    disconnected++;
                    break;
                default: // closed meanwhile
                    break;
            }
        }
        counters.count(topic, enqueued, dropped, false);
        return new PublishResult(matched.length, enqueued, dropped, disconnected);
    }

    @Override
    public Map<String, TopicStats> topicStats() {
        return counters.snapshot();
    }

    /** Subscriptions held now. */
    int subscriptions() {
        return outboxes.size();
    }

    // ---- named services -------------------------------------------------------------------------------------

    @Override
    public Registration serve(final String service, final Responder responder) {
        Objects.requireNonNull(responder, "responder");
        return serve(service, (name, request, timeout, reply) -> pool.execute(() -> {
            try {
                responder.respond(name, request).whenComplete((r, e) -> {
                    if (e != null) {
                        reply.completeExceptionally(failure(e));
                    } else if (r == null) {
                        reply.completeExceptionally(new IpcException(ErrorCode.INTERNAL,
                                "service '" + name + "' replied null"));
                    } else {
                        reply.complete(r);
                    }
                });
            } catch (RuntimeException e) {
                reply.completeExceptionally(failure(e));
            }
        }));
    }

    /** Registers any provider (in-host or remote). */
    Registration serve(final String service, final Provider provider) {
        Topics.service(service);
        ensureOpen();
        if (services.putIfAbsent(service, provider) != null) {
            throw new IpcException(ErrorCode.ILLEGAL_STATE, "service '" + service + "' is already registered");
        }
        return new Registration() {
            @Override
            public String service() {
                return service;
            }

            @Override
            public void close() {
                services.remove(service, provider);
            }
        };
    }

    @Override
    public CompletionStage<Message> request(final String service, final Message request, final Duration timeout) {
        return request(service, request, timeout, null);
    }

    /** @param requesterId a remote requester's authenticated service id, put into {@code service_id}; or null */
    CompletableFuture<Message> request(final String service, final Message request, final Duration timeout,
            final String requesterId) {
        Objects.requireNonNull(request, "request");
        final CompletableFuture<Message> reply = new CompletableFuture<>();
        try {
            Topics.service(service);
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new IpcException(ErrorCode.CONFIG_INVALID, "timeout must be positive: " + timeout);
            }
            ensureOpen();
            final Provider p = services.get(service);
            if (p == null) {
                throw new IpcException(ErrorCode.CONNECT_FAILED, "no service '" + service + "' is registered");
            }
            pending.add(reply);
            final ScheduledFuture<?> t = timer.schedule(() -> reply.completeExceptionally(new IpcException(
                    ErrorCode.REQUEST_TIMEOUT, "no reply from service '" + service + "' within "
                    + timeout.toMillis() + " ms")), timeout.toMillis(), TimeUnit.MILLISECONDS);
            reply.whenComplete((m, e) -> {
                t.cancel(false);
                pending.remove(reply);
            });
            final Message routed = requesterId == null ? request
                    : request.withHeader(request.header().toBuilder().serviceId(requesterId).build());
            p.call(service, routed, timeout, reply);
        } catch (RejectedExecutionException e) {
            reply.completeExceptionally(new IpcException(ErrorCode.ILLEGAL_STATE, "broker is stopped"));
        } catch (RuntimeException e) {
            reply.completeExceptionally(failure(e));
        }
        return reply;
    }

    /** Any failure as an {@link IpcException}; foreign exceptions become {@link ErrorCode#INTERNAL}. */
    static IpcException failure(final Throwable t) {
        Throwable c = t;
        while (c instanceof CompletionException && c.getCause() != null) {
            c = c.getCause();
        }
        if (c instanceof IpcException) {
            return (IpcException) c;
        }
        return new IpcException(ErrorCode.INTERNAL, "service failed: " + c.getClass().getName(), c);
    }

    // ---- life cycle -----------------------------------------------------------------------------------------

    private void ensureOpen() {
        if (closed) {
            throw new IpcException(ErrorCode.ILLEGAL_STATE, "broker is stopped");
        }
    }

    boolean isOpen() {
        return !closed;
    }

    /** Cancels every subscription, fails pending requests and stops the threads. Idempotent. */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Outbox o : outboxes) {
            o.end("broker stopped");
        }
        services.clear();
        final IpcException stopped = new IpcException(ErrorCode.ILLEGAL_STATE, "broker stopped");
        for (CompletableFuture<Message> f : pending) {
            f.completeExceptionally(stopped);
        }
        timer.shutdownNow();
        pool.close(1_000);
    }
}
