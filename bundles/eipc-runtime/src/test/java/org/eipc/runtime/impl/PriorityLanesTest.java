package org.eipc.runtime.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.eipc.api.Header;
import org.eipc.api.Message;
import org.eipc.api.MessageType;
import org.eipc.api.Priority;
import org.eipc.api.SendResult;
import org.eipc.api.Session;
import org.junit.jupiter.api.Test;

/** Messages waiting for room are sequenced by priority lane, with the anti-starvation guard. */
class PriorityLanesTest extends OneRuntime {

    private static Message msg(Priority p, String text) {
        return Message.of(MessageType.FEATURES, Header.builder().priority(p).build(),
                text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void p0OvertakesQueuedP3ButP3IsServedAfterEveryEightP0() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<String> order = new CopyOnWriteArrayList<>();
        CountDownLatch all = new CountDownLatch(29);
        EndpointSettings ss = Harness.settings("host");
        ss.receiveWindow = 4; // credit for 4 messages; the held handler keeps them all outstanding
        ServerEndpointImpl server = h.server(ss, (s, m) -> {
            try {
                release.await(20, TimeUnit.SECONDS); // holds the first delivery: nothing is acknowledged
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            order.add(new String(m.payloadBytes(), StandardCharsets.UTF_8));
            all.countDown();
        }, URI.create("tcp://127.0.0.1:0"));
        EndpointSettings cs = Harness.settings("app");
        cs.maxUnacked = 4;
        cs.ackEvery = 1;
        cs.starvationLimit = 8;
        ClientEndpointImpl client = h.client(cs, (s, m) -> { }, server.address());
        Session s = client.connect().toCompletableFuture().get(10, TimeUnit.SECONDS);

        for (int i = 0; i < 4; i++) {
            assertEquals(SendResult.OK, s.send(msg(Priority.P3, "fill" + i))); // uses up the credit
        }
        for (int i = 0; i < 5; i++) {
            assertEquals(SendResult.OK, s.send(msg(Priority.P3, "lo" + i)));
        }
        for (int i = 0; i < 20; i++) {
            assertEquals(SendResult.OK, s.send(msg(Priority.P0, "hi" + i)));
        }
        release.countDown();
        assertTrue(all.await(10, TimeUnit.SECONDS));

        List<String> expected = new ArrayList<>(List.of("fill0", "fill1", "fill2", "fill3"));
        for (int i = 0; i < 8; i++) {
            expected.add("hi" + i);
        }
        expected.add("lo0");
        for (int i = 8; i < 16; i++) {
            expected.add("hi" + i);
        }
        expected.add("lo1");
        for (int i = 16; i < 20; i++) {
            expected.add("hi" + i);
        }
        expected.addAll(List.of("lo2", "lo3", "lo4"));
        assertEquals(expected, order);
    }

    @Test
    void theSenderStaysWithinTheCreditTheReceiverGrants() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch all = new CountDownLatch(30);
        List<String> order = new CopyOnWriteArrayList<>();
        EndpointSettings ss = Harness.settings("host");
        ss.receiveWindow = 10;
        ServerEndpointImpl server = h.server(ss, (s, m) -> {
            try {
                release.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            order.add(new String(m.payloadBytes(), StandardCharsets.UTF_8));
            all.countDown();
        }, URI.create("tcp://127.0.0.1:0"));
        ClientEndpointImpl client = h.client(Harness.settings("app"), (s, m) -> { }, server.address());
        SessionImpl s = (SessionImpl) client.connect().toCompletableFuture().get(10, TimeUnit.SECONDS);
        for (int i = 0; i < 30; i++) {
            assertEquals(SendResult.OK, s.send(msg(Priority.P1, "m" + i)));
        }
        assertEquals(10, s.sequenced(), "only the granted credit goes on the wire");
        assertEquals(20, s.queued());
        release.countDown();
        assertTrue(all.await(10, TimeUnit.SECONDS));
        for (int i = 0; i < 30; i++) {
            assertEquals("m" + i, order.get(i));
        }
    }
}
