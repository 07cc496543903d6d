package org.eipc.service.broker;

/**
 * Counters of one topic at one moment. Immutable.
 *
 * @param published messages published on it
 * @param enqueued copies accepted into subscriber queues (the sum of the fan-outs)
 * @param dropped copies lost to a subscriber's overflow policy
 * @param unmatched publishes no subscription matched
 */
public record TopicStats(long published, long enqueued, long dropped, long unmatched) {
}
