package org.eipc.transport.nats.impl;

import static org.eipc.transport.nats.impl.DurableFixture.await;
import static org.eipc.transport.nats.impl.DurableFixture.register;
import static org.eipc.transport.nats.impl.DurableFixture.text;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.eipc.api.MessageType;
import org.eipc.transport.nats.durable.DurableDelivery;
import org.eipc.transport.nats.impl.DurableFixture.Recording;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A handler that throws gets its message again after the redelivery delay, before any later message (stream
 * order); one that keeps throwing has the message terminated after maxRedeliveries, counted, and later messages
 * flow on.
 */
class DurableRedeliveryTest {
    @TempDir
    Path store;

    @Test
    void shouldRedeliverAfterAFailureAndTerminateAfterMaxRedeliveries() throws Exception {
        try (Closer c = new Closer()) {
            NatsServer server = c.add(NatsServer.jetStream(store));
            JetStreamDurableChannels sender = c.add(DurableFixture.host(server, "sender"));
            JetStreamDurableChannels receiver = c.add(DurableFixture.host(server, "receiver", "maxRedeliveries", 2));
            Recording h = new Recording();
            h.failWhen = d -> "poison".equals(text(d.payload()))
                    || "flaky".equals(text(d.payload())) && d.deliveryCount() < 3;
            register(receiver, h, "orders");

            for (String p : List.of("first", "flaky", "second", "poison", "third")) {
                sender.publish("orders", MessageType.INTENT, text(p)).toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
            await("third delivered", Duration.ofSeconds(20), () -> h.delivered.size() == 4);

            assertEquals(List.of("first", "flaky", "second", "third"), h.payloads());
            assertEquals(List.of("first#1", "flaky#1", "flaky#2", "flaky#3", "second#1", "poison#1", "poison#2",
                    "poison#3", "third#1"), h.calls, "redelivered in place, before later messages");
            DurableDelivery flaky = h.delivered.get(1);
            assertEquals(3, flaky.deliveryCount());
            assertEquals(2, flaky.redeliveries());
            assertEquals(5, receiver.counters().handlerFailures());
            assertEquals(1, receiver.counters().exhausted());
            assertEquals(4, receiver.counters().delivered());
            assertEquals(0, receiver.counters().rejected());
        }
    }
}
