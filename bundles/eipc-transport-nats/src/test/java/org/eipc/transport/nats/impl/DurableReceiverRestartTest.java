package org.eipc.transport.nats.impl;

import static org.eipc.transport.nats.impl.DurableFixture.await;
import static org.eipc.transport.nats.impl.DurableFixture.register;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.eipc.api.MessageType;
import org.eipc.transport.nats.durable.DurableDelivery;
import org.eipc.transport.nats.impl.DurableFixture.Recording;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #9: a message accepted by the sender survives the restart of the receiving host. A publisher host streams
 * 10,000 numbered messages while the receiving host (its own NATS connection and component) is stopped twice and
 * started again as a fresh instance with the same host id, with messages published while it is down: every
 * message reaches the handlers exactly once, in order.
 */
class DurableReceiverRestartTest {
    private static final int MESSAGES = 10_000;

    @TempDir
    Path store;

    @Test
    void shouldDeliverEveryMessageExactlyOnceInOrderWhileTheReceivingHostRestarts() throws Exception {
        try (Closer c = new Closer()) {
            NatsServer server = c.add(NatsServer.jetStream(store));
            JetStreamDurableChannels sender = c.add(DurableFixture.host(server, "sender"));
            List<Recording> handlers = new ArrayList<>();
            AtomicInteger confirmed = new AtomicInteger();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            CompletableFuture<Void> publishing = CompletableFuture.runAsync(() -> publish(sender, confirmed, failure));

            JetStreamDurableChannels receiver = null;
            int[] stopAt = {3_000, 7_000};
            for (int round = 0; round <= stopAt.length; round++) {
                Recording h = new Recording();
                handlers.add(h);
                receiver = DurableFixture.host(server, "receiver");
                register(receiver, h, "orders");
                if (round == stopAt.length) {
                    break;
                }
                int target = stopAt[round];
                await("receiver round " + round + " reaching " + target, Duration.ofSeconds(60),
                        () -> total(handlers) >= target);
                receiver.close(); // the host stops; publishing goes on
                int before = confirmed.get();
                await("messages published while the receiver is down", Duration.ofSeconds(60),
                        () -> confirmed.get() >= Math.min(MESSAGES, before + 500));
            }
            JetStreamDurableChannels last = c.add(receiver);
            publishing.get(120, TimeUnit.SECONDS);
            assertEquals(null, failure.get());
            await("all messages delivered", Duration.ofSeconds(120), () -> total(handlers) >= MESSAGES);

            List<String> got = new ArrayList<>();
            long lastSeq = 0;
            for (Recording h : handlers) {
                for (DurableDelivery d : h.delivered) {
                    got.add(DurableFixture.text(d.payload()));
                    assertTrue(d.streamSequence() > lastSeq, "stream order: " + d.streamSequence() + " after " + lastSeq);
                    lastSeq = d.streamSequence();
                    assertEquals("orders", d.channel());
                    assertEquals("sender", d.publisher());
                }
            }
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < MESSAGES; i++) {
                expected.add("m" + i);
            }
            assertEquals(expected, got, "exactly once, in order");
            for (Recording h : handlers) {
                assertTrue(h.delivered.size() > 0, "every receiver instance got its share");
            }
            assertEquals(MESSAGES, sender.counters().published());
            assertEquals(0, last.counters().rejected());
        }
    }

    private static int total(List<Recording> handlers) {
        return handlers.stream().mapToInt(h -> h.delivered.size()).sum();
    }

    /** Numbered messages in order, at most 256 unconfirmed at a time. */
    private static void publish(JetStreamDurableChannels sender, AtomicInteger confirmed,
            AtomicReference<Throwable> failure) {
        Semaphore window = new Semaphore(256);
        for (int i = 0; i < MESSAGES && failure.get() == null; i++) {
            window.acquireUninterruptibly();
            sender.publish("orders", MessageType.INTENT, DurableFixture.text("m" + i)).whenComplete((seq, e) -> {
                if (e != null) {
                    failure.compareAndSet(null, e);
                } else {
                    confirmed.incrementAndGet();
                }
                window.release();
            });
        }
        window.acquireUninterruptibly(256);
    }
}
