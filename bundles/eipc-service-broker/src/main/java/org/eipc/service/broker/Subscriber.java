package org.eipc.service.broker;

import org.eipc.api.Message;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Receives the messages of one {@link Subscription}, implemented by applications. Called on a broker delivery
 * thread, one message at a time and in publish order per publisher; never concurrently for one subscription. A
 * slow subscriber delays only itself: its queue fills and its {@link OverflowPolicy} applies.
 */
@ConsumerType
@FunctionalInterface
public interface Subscriber {

    /**
     * A message published on a topic the subscription's pattern matches. An exception thrown here is counted as
     * {@link SubscriberStats#failed()} and the next message follows.
     *
     * @param topic the topic it was published on (never a pattern)
     * @param message the message as published; its header's {@code route} is {@code broker.deliver.<topic>}
     */
    void onMessage(String topic, Message message);

    /**
     * The broker ended the subscription: its {@link OverflowPolicy#DISCONNECT} policy applied, or the broker is
     * stopping. Not called for {@link Subscription#close()}. The default does nothing.
     *
     * @param subscription the subscription that ended
     * @param reason why, in words, for a log
     */
    default void cancelled(Subscription subscription, String reason) {
    }
}
