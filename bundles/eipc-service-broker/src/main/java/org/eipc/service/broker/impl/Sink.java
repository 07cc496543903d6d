package org.eipc.service.broker.impl;

import java.util.concurrent.CompletionStage;

import org.eipc.api.Message;

/** Where one subscription's messages go: an in-host {@code Subscriber} or a remote session. */
interface Sink {
    /** Handed over (or failed and counted): take the next one. */
    int DELIVERED = 0;
    /** Not taken now (back-pressure): keep it first in the queue and try again when {@link #whenReady()} completes. */
    int BUSY = 1;
    /** The receiver is gone: end the subscription. */
    int GONE = 2;

    /**
     * Hands one message over. Called by one delivery thread at a time per subscription.
     *
     * @return {@link #DELIVERED}, {@link #BUSY} or {@link #GONE}
     */
    int deliver(String topic, Message message);

    /** After {@link #BUSY}: completes when a delivery may succeed again. */
    CompletionStage<?> whenReady();

    /** The broker ended the subscription (overflow policy or shutdown), not its owner. */
    void cancelled(Outbox outbox, String reason);
}
