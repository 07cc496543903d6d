package org.eipc.service.broker;

import org.osgi.annotation.versioning.ProviderType;

/** One subscriber's registration with the {@link Broker}. Thread-safe. */
@ProviderType
public interface Subscription extends AutoCloseable {

    /** An id unique within the broker instance. */
    String id();

    /** The pattern as subscribed. */
    String pattern();

    /** The queue depth and overflow policy in force (the broker's defaults filled in). */
    int queueDepth();

    /** The overflow policy in force. */
    OverflowPolicy overflow();

    /** True until {@link #close()} or until the broker cancels it. */
    boolean isActive();

    /** The counters of this subscription now. */
    SubscriberStats stats();

    /** Stops deliveries; queued messages are discarded (not counted as dropped). Idempotent. */
    @Override
    void close();
}
