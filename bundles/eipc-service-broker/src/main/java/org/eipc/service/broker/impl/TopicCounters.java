package org.eipc.service.broker.impl;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import org.eipc.service.broker.Broker;
import org.eipc.service.broker.TopicStats;

/**
 * Counters per topic, for at most {@code maxTopics} topics (a peer publishing on ever new topics must not grow
 * the broker's memory); the rest are summed under {@link Broker#OTHER_TOPICS}.
 */
final class TopicCounters {
    private final ConcurrentHashMap<String, Counter> byTopic = new ConcurrentHashMap<>();
    private final Counter other = new Counter();
    private final int maxTopics;

    TopicCounters(final int maxTopics) {
        this.maxTopics = maxTopics;
    }

    void count(final String topic, final int enqueued, final int dropped, final boolean unmatched) {
        Counter c = byTopic.get(topic);
        if (c == null) {
            // the size check races with other new topics by a few entries at most: a bound, not an exact count
            c = byTopic.size() < maxTopics ? byTopic.computeIfAbsent(topic, t -> new Counter()) : other;
        }
        c.published.increment();
        if (enqueued != 0) {
            c.enqueued.add(enqueued);
        }
        if (dropped != 0) {
            c.dropped.add(dropped);
        }
        if (unmatched) {
            c.unmatched.increment();
        }
    }

    Map<String, TopicStats> snapshot() {
        final Map<String, TopicStats> out = new TreeMap<>();
        byTopic.forEach((t, c) -> out.put(t, c.stats()));
        final TopicStats o = other.stats();
        if (o.published() != 0) {
            out.put(Broker.OTHER_TOPICS, o);
        }
        return out;
    }

    private static final class Counter {
        final LongAdder published = new LongAdder();
        final LongAdder enqueued = new LongAdder();
        final LongAdder dropped = new LongAdder();
        final LongAdder unmatched = new LongAdder();

        TopicStats stats() {
            return new TopicStats(published.sum(), enqueued.sum(), dropped.sum(), unmatched.sum());
        }
    }
}
