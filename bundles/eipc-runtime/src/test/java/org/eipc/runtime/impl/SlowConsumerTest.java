package org.eipc.runtime.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.eipc.api.Header;
import org.eipc.api.Message;
import org.eipc.api.MessageType;
import org.eipc.api.SendResult;
import org.eipc.api.Session;
import org.eipc.runtime.LaneMetrics;
import org.eipc.runtime.SessionMetrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fast producer against a slow consumer for 60 seconds (system property {@code eipc.test.slowConsumerSeconds}) over
 * a real Unix socket: the producer is held back by BACK_PRESSURE (never by a blocked thread), every queue the
 * session has stays within its configured bound the whole time (sampled from the metrics), and once the producer
 * stops every accepted message arrives, in order.
 */
class SlowConsumerTest extends OneRuntime {
    private static final int MAX_QUEUED = 1024;
    private static final int MAX_UNACKED = 512;
    private static final int WINDOW = 256;

    @TempDir
    Path dir;

    @Test
    void boundedQueuesAndBackPressureForAMinute() throws Exception {
        long seconds = Long.getLong("eipc.test.slowConsumerSeconds", 60);
        AtomicLong delivered = new AtomicLong();
        AtomicLong outOfOrder = new AtomicLong();
        EndpointSettings ss = Harness.settings("consumer");
        ss.receiveWindow = WINDOW;
        ServerEndpointImpl server = h.server(ss, (s, m) -> {
            long n = m.payload().getLong(0);
            if (n != delivered.get()) {
                outOfOrder.incrementAndGet();
            }
            delivered.incrementAndGet();
            LockSupport.parkNanos(100_000); // the slow consumer: about 100 us of work per message
        }, URI.create("unix://" + dir.resolve("slow.sock")));
        EndpointSettings cs = Harness.settings("producer");
        cs.maxQueued = MAX_QUEUED;
        cs.maxUnacked = MAX_UNACKED;
        cs.ackEvery = 64;
        Session producer = h.client(cs, (s, m) -> { }, server.address()).connect().toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        SessionImpl ps = (SessionImpl) producer;

        long accepted = 0;
        long backPressure = 0;
        int maxQueuedSeen = 0;
        int maxUnackedSeen = 0;
        int maxInboxSeen = 0;
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        long nextSample = 0;
        while (System.nanoTime() < end) {
            ByteBuffer b = ByteBuffer.allocate(64);
            b.putLong(0, accepted);
            SendResult r = producer.send(Message.ofWire(MessageType.INTENT.wireByte(), Header.builder().build(), b));
            if (r == SendResult.OK) {
                accepted++;
            } else {
                assertEquals(SendResult.BACK_PRESSURE, r);
                backPressure++;
                producer.whenWritable().toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
            if (System.nanoTime() >= nextSample) {
                nextSample = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
                SessionMetrics pm = ps.metrics();
                int q = pm.lanes().stream().mapToInt(LaneMetrics::queued).sum();
                maxQueuedSeen = Math.max(maxQueuedSeen, q);
                maxUnackedSeen = Math.max(maxUnackedSeen, pm.unacked());
                SessionMetrics sm = ((SessionImpl) server.sessions().iterator().next()).metrics();
                maxInboxSeen = Math.max(maxInboxSeen, sm.inbox());
                assertTrue(q <= MAX_QUEUED, "lanes hold " + q);
                assertTrue(pm.unacked() <= MAX_UNACKED, "unacked " + pm.unacked());
                assertTrue(sm.inbox() <= WINDOW, "inbox " + sm.inbox());
            }
        }
        long sent = accepted;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (delivered.get() < sent && System.nanoTime() < deadline) {
            Thread.sleep(10); // the consumer drains what was accepted
        }
        assertEquals(sent, delivered.get(), "every accepted message arrives");
        assertEquals(0, outOfOrder.get());
        assertTrue(backPressure > 0, "the producer was held back");
        assertTrue(delivered.get() > 1000, "the consumer made progress: " + delivered.get());
        System.out.printf("slow consumer %d s: accepted %d, back-pressure %d times, max lanes %d/%d, max unacked %d/%d,"
                + " max inbox %d/%d%n", seconds, sent, backPressure, maxQueuedSeen, MAX_QUEUED, maxUnackedSeen,
                MAX_UNACKED, maxInboxSeen, WINDOW);
        producer.close();
    }
}
