package org.eipc.transport.nats.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

import org.eipc.api.MessageType;
import org.eipc.transport.nats.durable.DurableCounters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.Nats;
import io.nats.client.PublishOptions;

/**
 * A quick figure, not a benchmark: confirmed 64-byte durable publishes per second beside raw jnats JetStream
 * {@code publishAsync} (with a message id, into the same file-backed stream) in the same run, 256 in flight each,
 * alternating rounds, best of three. Printed for the README; asserts only that every message was confirmed once.
 */
class DurablePublishFigureTest {
    private static final int N = 5_000;
    private static final int WINDOW = 256;

    @TempDir
    Path store;

    @Test
    void shouldReportDurablePublishRateBesideRawJetStream() throws Exception {
        try (Closer c = new Closer()) {
            NatsServer server = c.add(NatsServer.jetStream(store));
            JetStreamDurableChannels durable = c.add(DurableFixture.host(server, "figure"));
            Connection nc = Nats.connect("nats://127.0.0.1:" + server.port());
            c.add(nc::close);
            JetStream js = nc.jetStream();
            byte[] payload = new byte[64];
            AtomicInteger rawIds = new AtomicInteger();
            IntFunction<CompletionStage<?>> raw = i -> js.publishAsync("eipc.durable.raw", payload,
                    PublishOptions.builder().messageId("raw-" + rawIds.incrementAndGet()).build());
            IntFunction<CompletionStage<?>> ours = i -> durable.publish("orders", MessageType.INTENT, payload);
            rate(raw, 1000);
            rate(ours, 1000);
            // the same bytes on the wire as ours: a body as long as our frame, our headers
            int frameLength = nc.jetStreamManagement().getLastMessage("EIPC_DURABLE", "eipc.durable.orders")
                    .getData().length;
            byte[] frameSized = new byte[frameLength];
            IntFunction<CompletionStage<?>> rawSame = i -> js.publishAsync("eipc.durable.raw",
                    new io.nats.client.impl.Headers().put(DurableWire.KEY_HEADER, "k1"), frameSized,
                    PublishOptions.builder().messageId("figure/0123456789abcdef/" + rawIds.incrementAndGet()).build());
            double bestRaw = 0;
            double bestSame = 0;
            double bestOurs = 0;
            for (int round = 0; round < 3; round++) {
                bestRaw = Math.max(bestRaw, rate(raw, N));
                bestSame = Math.max(bestSame, rate(rawSame, N));
                bestOurs = Math.max(bestOurs, rate(ours, N));
            }
            System.out.printf("durable publish, 64 B payload (%d B frame), %d in flight: %.0f msgs/s; raw jnats "
                    + "JetStream publishAsync 64 B: %.0f msgs/s (ratio %.2f); raw with the same %d B and headers: "
                    + "%.0f msgs/s (ratio %.2f)%n", frameLength, WINDOW, bestOurs, bestRaw, bestOurs / bestRaw,
                    frameLength, bestSame, bestOurs / bestSame);
            DurableCounters counters = durable.counters();
            assertEquals(1000 + 3 * N, counters.published());
        }
    }

    /** Messages per second, every one confirmed. */
    private static double rate(IntFunction<CompletionStage<?>> publish, int n) throws Exception {
        Semaphore window = new Semaphore(WINDOW);
        CompletableFuture<Void> failed = new CompletableFuture<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < n && !failed.isDone(); i++) {
            window.acquire();
            publish.apply(i).whenComplete((v, e) -> {
                if (e != null) {
                    failed.completeExceptionally(e);
                }
                window.release();
            });
        }
        window.acquire(WINDOW);
        long t = System.nanoTime() - t0;
        if (failed.isDone()) {
            failed.join();
        }
        return n * 1e9 / t;
    }
}
