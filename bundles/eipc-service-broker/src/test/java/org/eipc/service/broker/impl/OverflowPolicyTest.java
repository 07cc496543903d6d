package org.eipc.service.broker.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.eipc.api.Message;
import org.eipc.service.broker.OverflowPolicy;
import org.eipc.service.broker.PublishResult;
import org.eipc.service.broker.Subscriber;
import org.eipc.service.broker.SubscriberOptions;
import org.eipc.service.broker.SubscriberStats;
import org.eipc.service.broker.Subscription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The three overflow policies, with a subscriber held inside its first message (a latch) so its queue fills: the
 * queue holds exactly its depth, and what is lost depends on the policy.
 */
class OverflowPolicyTest {
    private final BrokerCore broker = new BrokerCore(BrokerSettings.defaults());

    @AfterEach
    void close() {
        broker.close();
    }

    /** A subscriber that blocks in its first message until released and records every payload. */
    private static final class Held implements Subscriber {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final List<String> got = new CopyOnWriteArrayList<>();
        volatile String cancelReason;
        final CountDownLatch cancelled = new CountDownLatch(1);

        @Override
        public void onMessage(final String topic, final Message message) {
            entered.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            got.add(Messages.text(message));
        }

        @Override
        public void cancelled(final Subscription s, final String reason) {
            cancelReason = reason;
            cancelled.countDown();
        }
    }

    private Subscription fill(final Held held, final OverflowPolicy policy, final int messages) throws Exception {
        final Subscription s = broker.subscribe("t.>", SubscriberOptions.builder().queueDepth(4).overflow(policy)
                .build(), held);
        broker.publish("t.x", Messages.text("m0"));
        assertTrue(held.entered.await(10, TimeUnit.SECONDS)); // m0 is in the handler, out of the queue
        for (int i = 1; i < messages; i++) {
            broker.publish("t.x", Messages.text("m" + i));
        }
        return s;
    }

    private static void awaitDelivered(final Subscription s, final long n) throws InterruptedException {
        final long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (s.stats().delivered() < n) {
            assertTrue(System.nanoTime() < end, "delivered " + s.stats() + ", expected " + n);
            Thread.sleep(1);
        }
    }

    @Test
    void shouldKeepTheNewestWhenDroppingOldest() throws Exception {
        final Held held = new Held();
        final Subscription s = fill(held, OverflowPolicy.DROP_OLDEST, 11);
        assertEquals(new SubscriberStats(11, 0, 6, 0, 4), s.stats());
        held.release.countDown();
        awaitDelivered(s, 5);
        assertEquals(List.of("m0", "m7", "m8", "m9", "m10"), held.got);
        assertEquals(6, broker.topicStats().get("t.x").dropped());
    }

    @Test
    void shouldKeepTheOldestWhenDroppingNewest() throws Exception {
        final Held held = new Held();
        final Subscription s = fill(held, OverflowPolicy.DROP_NEWEST, 11);
        final PublishResult r = broker.publish("t.x", Messages.text("late"));
        assertEquals(new PublishResult(1, 0, 1, 0), r);
        held.release.countDown();
        awaitDelivered(s, 5);
        assertEquals(List.of("m0", "m1", "m2", "m3", "m4"), held.got);
        assertEquals(7, s.stats().dropped());
    }

    @Test
    void shouldCancelTheSubscriptionWhenDisconnecting() throws Exception {
        final Held held = new Held();
        final Subscription s = fill(held, OverflowPolicy.DISCONNECT, 5); // m1..m4 fill the queue of 4
        assertTrue(s.isActive());
        final PublishResult r = broker.publish("t.x", Messages.text("one too many"));
        assertEquals(new PublishResult(1, 0, 1, 1), r);
        assertTrue(held.cancelled.await(10, TimeUnit.SECONDS));
        assertFalse(s.isActive());
        assertTrue(held.cancelReason.contains("disconnect"), held.cancelReason);
        assertEquals(5, s.stats().dropped()); // the 4 queued and the new one
        assertEquals(PublishResult.NO_SUBSCRIBERS, broker.publish("t.x", Messages.text("after")));
        assertEquals(0, broker.subscriptions());
        held.release.countDown();
    }

    @Test
    void shouldTakeTheBrokerDefaultsWhenOptionsAreUnset() {
        final BrokerCore b = new BrokerCore(BrokerSettings.defaults().withQueue(7, OverflowPolicy.DROP_NEWEST));
        try {
            final Subscription s = b.subscribe("a", SubscriberOptions.defaults(), (t, m) -> { });
            assertEquals(7, s.queueDepth());
            assertEquals(OverflowPolicy.DROP_NEWEST, s.overflow());
        } finally {
            b.close();
        }
    }
}
