package org.eipc.service.broker.impl;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

import org.eipc.api.Message;
import org.eipc.service.broker.OverflowPolicy;
import org.eipc.service.broker.SubscriberStats;
import org.eipc.service.broker.Subscription;

/**
 * One subscription: its bounded queue, its overflow policy and its turn on the delivery pool. Publishers only
 * take this object's lock for an {@code ArrayDeque} operation; the subscriber's own code runs outside it, so a
 * slow subscriber never holds a publisher. At most one delivery thread drains an outbox at a time ({@code
 * scheduled}), at most {@code batch} messages per turn, then the outbox goes to the back of the pool's queue.
 */
final class Outbox implements Subscription {
    /** {@link #offer} results. */
    static final int QUEUED = 0;
    static final int QUEUED_DROPPED_OLDEST = 1;
    static final int DROPPED_NEWEST = 2;
    static final int DISCONNECTED = 3;
    static final int INACTIVE = 4;

    /** Told when an outbox ends, so it leaves the topic tree and its owner's tables. */
    interface Owner {
        void ended(Outbox outbox);
    }

    private record Item(String topic, Message message) {
    }

    private final String id;
    private final String pattern;
    private final String[] tokens;
    private final int capacity;
    private final OverflowPolicy policy;
    private final Sink sink;
    private final Executor pool;
    private final int batch;
    private final Owner owner;
    private final Runnable drainTask = this::drain;

    private final ArrayDeque<Item> queue = new ArrayDeque<>();
    private boolean scheduled; // guarded by this
    private volatile boolean active = true;
    private long enqueued; // guarded by this
    private long dropped; // guarded by this
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    Outbox(final String id, final String pattern, final String[] tokens, final int capacity,
            final OverflowPolicy policy, final Sink sink, final Executor pool, final int batch, final Owner owner) {
        this.id = id;
        this.pattern = pattern;
        this.tokens = tokens;
        this.capacity = capacity;
        this.policy = policy;
        this.sink = sink;
        this.pool = pool;
        this.batch = batch;
        this.owner = owner;
    }

    String[] tokens() {
        return tokens;
    }

    Sink sink() {
        return sink;
    }

    /** Queues a message for this subscriber, applying the overflow policy when full. Never blocks. */
    int offer(final String topic, final Message message) {
        final int result;
        boolean schedule = false;
        synchronized (this) {
            if (!active) {
                return INACTIVE;
            }
            if (queue.size() >= capacity) {
                switch (policy) {
                    case DROP_NEWEST:
                        dropped++;
                        return DROPPED_NEWEST;
                    case DISCONNECT:
                        active = false;
                        dropped += queue.size() + 1;
                        queue.clear();
                        result = DISCONNECTED;
                        break;
                    default: // DROP_OLDEST
                        while (queue.size() >= capacity) {
                            queue.poll();
                            dropped++;
                        }
                        queue.add(new Item(topic, message));
                        enqueued++;
                        result = QUEUED_DROPPED_OLDEST;
                        break;
                }
            } else {
                queue.add(new Item(topic, message));
                enqueued++;
                result = QUEUED;
            }
            if (result != DISCONNECTED && !scheduled) {
                scheduled = true;
                schedule = true;
            }
        }
        if (schedule) {
            pool.execute(drainTask);
        } else if (result == DISCONNECTED) {
            owner.ended(this);
            sink.cancelled(this, "queue of " + capacity + " full, overflow policy disconnect");
        }
        return result;
    }

    /** One turn on a delivery thread. */
    private void drain() {
        for (int n = 0; n < batch; n++) {
            final Item item;
            synchronized (this) {
                item = active ? queue.poll() : null;
                if (item == null) {
                    scheduled = false;
                    return;
                }
            }
            final int r;
            try {
                r = sink.deliver(item.topic, item.message);
            } catch (RuntimeException e) {
                failed.incrementAndGet();
                continue;
            }
            if (Sink.DELIVERED == r) {
                delivered.incrementAndGet();
            } else if (Sink.BUSY == r) {
                synchronized (this) {
                    // back to the front: the queue may hold capacity + 1 until the next offer applies the policy
                    queue.addFirst(item);
                }
                // still 'scheduled': no other turn starts before the receiver is ready again
                sink.whenReady().whenComplete((x, e) -> pool.execute(drainTask));
                return;
            } else {
                end(null);
                return;
            }
        }
        synchronized (this) {
            if (queue.isEmpty() || !active) {
                scheduled = false;
                return;
            }
        }
        pool.execute(drainTask); // to the back of the line: other subscribers get their turn
    }

    /** Ends the subscription; {@code reason} non-null tells the sink the broker did it. */
    void end(final String reason) {
        synchronized (this) {
            if (!active) {
                return;
            }
            active = false;
            queue.clear();
        }
        owner.ended(this);
        if (reason != null) {
            sink.cancelled(this, reason);
        }
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String pattern() {
        return pattern;
    }

    @Override
    public int queueDepth() {
        return capacity;
    }

    @Override
    public OverflowPolicy overflow() {
        return policy;
    }

    @Override
    public boolean isActive() {
        return active;
    }

    @Override
    public SubscriberStats stats() {
        synchronized (this) {
            return new SubscriberStats(enqueued, delivered.get(), dropped, failed.get(), queue.size());
        }
    }

    @Override
    public void close() {
        end(null);
    }

    @Override
    public String toString() {
        return "Subscription[" + id + " " + pattern + ", " + stats() + "]";
    }
}
