package org.eipc.service.broker;

/**
 * Counters of one subscription at one moment. Immutable.
 *
 * @param enqueued messages accepted into its queue
 * @param delivered messages handed to the subscriber (or accepted by its session)
 * @param dropped messages lost to the overflow policy (or discarded by a DISCONNECT)
 * @param failed deliveries whose subscriber threw
 * @param queued messages waiting now
 */
public record SubscriberStats(long enqueued, long delivered, long dropped, long failed, int queued) {
}
