package org.eipc.runtime.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.eipc.api.ErrorCode;
import org.eipc.api.Header;
import org.eipc.api.IpcException;
import org.eipc.api.Message;
import org.eipc.api.MessageType;
import org.eipc.api.SendResult;
import org.eipc.api.Session;
import org.eipc.protocol.ProtocolMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionCoreTest extends OneRuntime {
    @TempDir
    Path dir;

    static Message msg(MessageType t, String text) {
        return Message.of(t, Header.builder().build(), text.getBytes(StandardCharsets.UTF_8));
    }

    static String text(Message m) {
        return new String(m.payloadBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void hardenedSessionCarriesMessagesBothWaysInOrderOverUnix() throws Exception {
        List<String> atServer = new CopyOnWriteArrayList<>();
        List<String> atClient = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(200);
        ServerEndpointImpl server = h.server(Harness.settings("host"), (s, m) -> {
            atServer.add(text(m));
            s.send(msg(MessageType.ACK, "echo " + text(m)));
            done.countDown();
        }, URI.create("unix://" + dir.resolve("s.sock")));
        ClientEndpointImpl client = h.client(Harness.settings("app"), (s, m) -> {
            atClient.add(text(m));
            done.countDown();
        }, server.address());
        Session s = client.connect().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals("host", s.peer().serviceId());
        for (int i = 0; i < 100; i++) {
            assertEquals(SendResult.OK, s.send(msg(MessageType.INTENT, "m" + i)));
        }
        assertTrue(done.await(10, TimeUnit.SECONDS));
        for (int i = 0; i < 100; i++) {
            assertEquals("m" + i, atServer.get(i));
            assertEquals("echo m" + i, atClient.get(i));
        }
        assertEquals("app", server.sessions().iterator().next().peer().serviceId());
    }

    @Test
    void compatSessionOverTcpDeliversAndRepliesToRequests() throws Exception {
        EndpointSettings ss = Harness.settings("eipc-server");
        ss.mode = ProtocolMode.COMPAT;
        ss.services.put("nia.min", List.of("ui:control", "device:read"));
        ServerEndpointImpl server = h.server(ss, (s, m) -> s.reply(m, msg(MessageType.ACK, "re:" + text(m))),
                URI.create("tcp://127.0.0.1:0"));
        EndpointSettings cs = Harness.settings("nia.min");
        cs.mode = ProtocolMode.COMPAT;
        ClientEndpointImpl client = h.client(cs, (s, m) -> { }, server.address());
        Session s = client.connect().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals(List.of("ui:control", "device:read"), client.grantedCapabilities());
        Message reply = s.request(msg(MessageType.INTENT, "hello"), Duration.ofSeconds(10)).toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        assertEquals("re:hello", text(reply));
        assertEquals(MessageType.ACK, reply.type());
    }

    @Test
    void requestWithoutReplyTimesOutAndLateReplyIsCounted() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<Message> held = new CopyOnWriteArrayList<>();
        ServerEndpointImpl server = h.server(Harness.settings("host"), (s, m) -> held.add(m),
                URI.create("tcp://127.0.0.1:0"));
        ClientEndpointImpl client = h.client(Harness.settings("app"), (s, m) -> { }, server.address());
        Session s = client.connect().toCompletableFuture().get(10, TimeUnit.SECONDS);
        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> s.request(msg(MessageType.INTENT, "q"), Duration.ofMillis(200)).toCompletableFuture()
                        .get(10, TimeUnit.SECONDS));
        assertEquals(ErrorCode.REQUEST_TIMEOUT, assertInstanceOf(IpcException.class, e.getCause()).code());
        Session serverSide = server.sessions().iterator().next();
        assertEquals(SendResult.OK, serverSide.reply(held.get(0), msg(MessageType.ACK, "late")));
        SessionImpl impl = (SessionImpl) s;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (impl.lateReplies() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(1, impl.lateReplies());
        release.countDown();
    }

    @Test
    void fullSendBufferIsBackPressureUntilThePeerAcknowledges() throws Exception {
        CountDownLatch block = new CountDownLatch(1);
        CountDownLatch all = new CountDownLatch(100);
        EndpointSettings ss = Harness.settings("host");
        ss.receiveWindow = 16; // the server grants credit for 16 messages and its handler holds the first
        ServerEndpointImpl server = h.server(ss, (s, m) -> {
            try {
                block.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            all.countDown();
        }, URI.create("tcp://127.0.0.1:0"));
        EndpointSettings cs = Harness.settings("app");
        cs.maxUnacked = 64;
        cs.maxQueued = 16;
        cs.ackEvery = 16;
        ClientEndpointImpl client = h.client(cs, (s, m) -> { }, server.address());
        Session s = client.connect().toCompletableFuture().get(10, TimeUnit.SECONDS);
        int sent = 0;
        while (sent < 100 && s.send(msg(MessageType.FEATURES, "n" + sent)) == SendResult.OK) {
            sent++;
        }
        assertEquals(32, sent, "16 on the wire (the credit), 16 queued: the 33rd finds no room");
        assertEquals(SendResult.BACK_PRESSURE, s.send(msg(MessageType.FEATURES, "x")));
        block.countDown();
        while (sent < 100) {
            s.whenWritable().toCompletableFuture().get(10, TimeUnit.SECONDS);
            if (s.send(msg(MessageType.FEATURES, "n" + sent)) == SendResult.OK) {
                sent++;
            }
        }
        assertTrue(all.await(10, TimeUnit.SECONDS));
    }

    @Test
    void closingTheClientEndsTheSessionOnBothSidesWithoutResume() throws Exception {
        ServerEndpointImpl server = h.server(Harness.settings("host"), (s, m) -> { }, URI.create("tcp://127.0.0.1:0"));
        ClientEndpointImpl client = h.client(Harness.settings("app"), (s, m) -> { }, server.address());
        Session s = client.connect().toCompletableFuture().get(10, TimeUnit.SECONDS);
        HardenedHandshakeTest.waitFor(() -> server.sessions().size() == 1);
        client.close();
        HardenedHandshakeTest.waitFor(() -> server.sessions().isEmpty());
        assertEquals(SendResult.CLOSED, s.send(msg(MessageType.INTENT, "late")));
        assertEquals(0, client.resumes());
    }

    @Test
    void aCompatSessionEndsWithItsConnection() throws Exception {
        EndpointSettings ss = Harness.settings("eipc-server");
        ss.mode = ProtocolMode.COMPAT;
        ServerEndpointImpl server = h.server(ss, (s, m) -> { }, URI.create("unix://" + dir.resolve("c.sock")));
        EndpointSettings cs = Harness.settings("nia.min");
        cs.mode = ProtocolMode.COMPAT;
        ClientEndpointImpl client = h.client(cs, (s, m) -> { }, server.address());
        Session s = client.connect().toCompletableFuture().get(10, TimeUnit.SECONDS);
        HardenedHandshakeTest.waitFor(() -> server.carriers().size() == 1);
        server.carriers().iterator().next().connection().close();
        HardenedHandshakeTest.waitFor(() -> !s.isOpen());
        HardenedHandshakeTest.waitFor(() -> server.sessions().isEmpty());
        assertEquals(SendResult.CLOSED, s.send(msg(MessageType.INTENT, "after")));
    }

    @Test
    void aBlockedHandlerOfOneSessionDoesNotStallAnotherSessionOnTheSameTransport() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch fromB = new CountDownLatch(50);
        ServerEndpointImpl server = h.server(Harness.settings("host"), (s, m) -> {
            if (s.peer().serviceId().equals("a")) {
                try {
                    release.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            } else {
                fromB.countDown();
            }
        }, URI.create("tcp://127.0.0.1:0"));
        Session a = h.client(Harness.settings("a"), (s, m) -> { }, server.address()).connect().toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        Session b = h.client(Harness.settings("b"), (s, m) -> { }, server.address()).connect().toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        assertEquals(SendResult.OK, a.send(msg(MessageType.INTENT, "blocks")));
        for (int i = 0; i < 50; i++) {
            assertEquals(SendResult.OK, b.send(msg(MessageType.INTENT, "b" + i)));
        }
        assertTrue(fromB.await(10, TimeUnit.SECONDS), "b's messages are handled while a's handler is blocked");
        release.countDown();
    }
}
