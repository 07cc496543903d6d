package org.eipc.service.broker.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.eipc.api.Message;
import org.eipc.service.broker.OverflowPolicy;
import org.eipc.service.broker.PublishResult;
import org.eipc.service.broker.Subscriber;
import org.eipc.service.broker.SubscriberOptions;
import org.eipc.service.broker.Subscription;
import org.junit.jupiter.api.Test;

/**
 * A subscriber that never returns from its handler must cost the others nothing but the work they do anyway:
 * they get every message in order, publishing never waits, and only the slow one loses messages.
 */
class SlowSubscriberIsolationTest {
    private static final int MESSAGES = 10_000;

    /** Counts messages and checks their order (payload = sequence number). */
    private static final class Fast implements Subscriber {
        final CountDownLatch all = new CountDownLatch(MESSAGES);
        volatile int next;
        volatile boolean inOrder = true;

        @Override
        public void onMessage(final String topic, final Message message) {
            if (Integer.parseInt(Messages.text(message)) != next) {
                inOrder = false;
            }
            next++;
            all.countDown();
        }
    }

    /** Blocks in its first message until the test ends. */
    private static final class Stuck implements Subscriber {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public void onMessage(final String topic, final Message message) {
            entered.countDown();
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void run(final BrokerSettings settings, final int stuckCount) throws Exception {
        final BrokerCore broker = new BrokerCore(settings);
        final List<Stuck> stuck = new ArrayList<>();
        try {
            final List<Subscription> stuckSubs = new ArrayList<>();
            for (int i = 0; i < stuckCount; i++) {
                final Stuck s = new Stuck();
                stuck.add(s);
                stuckSubs.add(broker.subscribe("feed.*", SubscriberOptions.builder().queueDepth(16)
                        .overflow(OverflowPolicy.DROP_OLDEST).build(), s));
            }
            final List<Fast> fast = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                final Fast f = new Fast();
                fast.add(f);
                broker.subscribe(i % 2 == 0 ? "feed.>" : "feed.prices", SubscriberOptions.builder()
                        .queueDepth(MESSAGES).build(), f);
            }
            int dropped = 0;
            for (int i = 0; i < MESSAGES; i++) {
                final PublishResult r = broker.publish("feed.prices", Messages.text(Integer.toString(i)));
                assertEquals(5 + stuckCount, r.matched());
                dropped += r.dropped();
            }
            for (Fast f : fast) {
                assertTrue(f.all.await(60, TimeUnit.SECONDS), "a fast subscriber got " + f.next + " of " + MESSAGES);
                assertTrue(f.inOrder, "in publish order");
            }
            for (int i = 0; i < stuckCount; i++) {
                assertTrue(stuck.get(i).entered.await(60, TimeUnit.SECONDS));
                // one message inside the handler, a full queue of 16, the rest dropped; nobody else lost anything
                assertEquals(MESSAGES - 1 - 16, stuckSubs.get(i).stats().dropped());
                assertEquals(16, stuckSubs.get(i).stats().queued());
            }
            assertEquals(stuckCount * (MESSAGES - 1 - 16), dropped);
            assertEquals(stuckCount * (MESSAGES - 1 - 16), broker.topicStats().get("feed.prices").dropped());
        } finally {
            stuck.forEach(s -> s.release.countDown());
            broker.close();
        }
    }

    @Test
    void shouldDeliverEverythingToFastSubscribersWhileOneSubscriberNeverReturns() throws Exception {
        run(BrokerSettings.defaults(), 1);
    }

    @Test
    void shouldAddDeliveryThreadsWhenBlockedSubscribersHoldEveryRegularOne() throws Exception {
        // one regular thread and two subscribers that block it: only the stall detection lets the others through
        run(BrokerSettings.defaults().withThreads(1, 4, 20), 2);
    }
}
