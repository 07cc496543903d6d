package org.eipc.service.broker.impl;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.eipc.api.Message;
import org.eipc.service.broker.Subscriber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** An in-host {@link Subscriber}: called on the delivery thread; it is never busy, only slow. */
final class LocalSink implements Sink {
    private static final Logger LOG = LoggerFactory.getLogger(LocalSink.class);
    private static final CompletableFuture<Void> READY = CompletableFuture.completedFuture(null);

    private final Subscriber subscriber;

    LocalSink(final Subscriber subscriber) {
        this.subscriber = subscriber;
    }

    @Override
    public int deliver(final String topic, final Message message) {
        subscriber.onMessage(topic, message); // a throw is counted by the outbox as failed
        return DELIVERED;
    }

    @Override
    public CompletionStage<?> whenReady() {
        return READY;
    }

    @Override
    public void cancelled(final Outbox outbox, final String reason) {
        try {
            subscriber.cancelled(outbox, reason);
        } catch (RuntimeException e) {
            LOG.warn("subscriber of {} failed in cancelled()", outbox.pattern(), e);
        }
    }
}
