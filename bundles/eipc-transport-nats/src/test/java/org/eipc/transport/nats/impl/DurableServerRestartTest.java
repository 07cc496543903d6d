package org.eipc.transport.nats.impl;

import static org.eipc.transport.nats.impl.DurableFixture.await;
import static org.eipc.transport.nats.impl.DurableFixture.register;
import static org.eipc.transport.nats.impl.DurableFixture.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.eipc.api.MessageType;
import org.eipc.transport.nats.impl.DurableFixture.Recording;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * File storage survives the NATS server: messages JetStream confirmed before a kill -9 are delivered after the
 * restart (to a receiver that was running throughout, and reconnects), and a publish started while the server is
 * down completes once it is back, stored once.
 */
class DurableServerRestartTest {
    private static final int BEFORE = 500;
    private static final int AFTER = 100;

    @TempDir
    Path store;

    @Test
    void shouldDeliverMessagesAcceptedBeforeAServerKillAfterItsRestart() throws Exception {
        try (Closer c = new Closer()) {
            NatsServer server = c.add(NatsServer.jetStream(store));
            JetStreamDurableChannels sender = c.add(DurableFixture.host(server, "sender",
                    "publishTimeoutMillis", 30_000L));
            List<CompletableFuture<Long>> accepted = new ArrayList<>();
            for (int i = 0; i < BEFORE; i++) {
                accepted.add(sender.publish("orders", MessageType.INTENT, text("m" + i)).toCompletableFuture());
            }
            CompletableFuture.allOf(accepted.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

            JetStreamDurableChannels receiver = c.add(DurableFixture.host(server, "receiver"));
            Recording h = new Recording();
            h.failWhen = d -> true; // nothing is acknowledged before the kill: everything must come from the store
            register(receiver, h, "orders");
            await("first delivery attempt", Duration.ofSeconds(30), () -> !h.calls.isEmpty());

            server.kill();
            CompletableFuture<Long> duringOutage = sender.publish("orders", MessageType.INTENT, text("m" + BEFORE))
                    .toCompletableFuture();
            Thread.sleep(300); // the publish retries against a dead server for a while
            assertFalse(duringOutage.isDone(), "publish waits for JetStream to confirm");
            h.failWhen = d -> false;
            server.start();
            long seq = duringOutage.get(30, TimeUnit.SECONDS);
            assertEquals(BEFORE + 1, seq, "stored once, after the others");
            for (int i = BEFORE + 1; i < BEFORE + 1 + AFTER; i++) {
                sender.publish("orders", MessageType.INTENT, text("m" + i)).toCompletableFuture().get(30,
                        TimeUnit.SECONDS);
            }

            await("every message after the restart", Duration.ofSeconds(60),
                    () -> h.delivered.size() >= BEFORE + 1 + AFTER);
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < BEFORE + 1 + AFTER; i++) {
                expected.add("m" + i);
            }
            assertEquals(expected, h.payloads(), "exactly once, in order");
            assertTrue(h.delivered.get(0).deliveryCount() > 1, "the first message was refused before the kill");
            assertEquals(BEFORE + 1 + AFTER, sender.counters().published());
        }
    }
}
