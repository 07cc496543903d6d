package org.eipc.runtime.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.eipc.api.Session;
import org.eipc.runtime.impl.ResumeTest.Sink;
import org.eipc.spi.transport.Transport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A transport leaving the server is a drain, not a cut: the server asks each session on it to move and keeps the
 * connection until the client has resumed over another address it has (make before break). The proof that the move
 * happened ahead of the break: when {@code removeTransport} returns (the point where a transport bundle closes its
 * connections), the server's session already sits on the other transport. Messages stream throughout and arrive
 * exactly once, in order.
 */
class MoveBeforeBreakTest extends TwoRuntimes {
    private static final int COUNT = 30_000;

    @TempDir
    Path dir;

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static EndpointSettings draining(Duration d) {
        EndpointSettings s = Harness.settings("host");
        s.transportDrainTimeout = d;
        return s;
    }

    private static String serverKind(ServerEndpointImpl server) {
        Session only = server.sessions().iterator().next();
        Carrier c = ((SessionImpl) only).carrier();
        return c == null ? null : c.transport().kind();
    }

    @Test
    void sessionsMoveToTheOtherTransportBeforeTheLeavingOneCloses() throws Exception {
        Sink sink = new Sink();
        URI unix = URI.create("unix://" + dir.resolve("host.sock"));
        URI tcp = URI.create("tcp://127.0.0.1:" + freePort()); // fixed: the transport listens there again later
        ServerEndpointImpl server = serverSide.server(draining(Duration.ofSeconds(30)), (s, m) -> sink.add(m), unix,
                tcp);
        ClientEndpointImpl client = clientSide.client(Harness.settings("app"), (s, m) -> { },
                server.addresses().toArray(new URI[0]));
        Session s = client.connect().toCompletableFuture().get(10, TimeUnit.SECONDS);
        CompletableFuture<Void> sender = ResumeTest.stream(s, COUNT);

        Transport[] order = {serverSide.unix, serverSide.tcp, serverSide.unix, serverSide.tcp};
        String[] next = {"tcp", "unix", "tcp", "unix"};
        for (int i = 0; i < order.length; i++) {
            int at = 4000 + i * 6000;
            HardenedHandshakeTest.waitFor(() -> sink.count.get() >= at);
            Carrier before = ((SessionImpl) s).carrier();
            assertNotNull(before, "attached before swap " + i);
            Transport other = order[i] == serverSide.unix ? serverSide.tcp : serverSide.unix;
            serverSide.providers.addTransport(other); // the replacement is there first (bind before unbind)
            serverSide.providers.removeTransport(order[i]);
            // returned: the transport would close its connections now; the session has moved already
            assertEquals(next[i], serverKind(server), "server side of the session after swap " + i);
            HardenedHandshakeTest.waitFor(() -> ((SessionImpl) s).isAttached());
            assertNotSame(before, ((SessionImpl) s).carrier(), "client carrier replaced at swap " + i);
        }

        sender.get(60, TimeUnit.SECONDS);
        HardenedHandshakeTest.waitFor(() -> sink.count.get() >= COUNT);
        ResumeTest.assertExactlyOnceInOrder(sink, COUNT);
        assertTrue(client.resumes() >= order.length, "resumed " + client.resumes() + " times");
        assertEquals(1, server.sessions().size(), "one session throughout");
    }

    @Test
    void aClientWithNowhereToMoveReconnectsAtOnceInsteadOfHoldingTheDrain() throws Exception {
        Sink sink = new Sink();
        URI unix = URI.create("unix://" + dir.resolve("host.sock"));
        ServerEndpointImpl server = serverSide.server(draining(Duration.ofSeconds(60)), (s, m) -> sink.add(m), unix);
        ClientEndpointImpl client = clientSide.client(Harness.settings("app"), (s, m) -> { }, unix);
        Session s = client.connect().toCompletableFuture().get(10, TimeUnit.SECONDS);
        CompletableFuture<Void> sender = ResumeTest.stream(s, COUNT);
        HardenedHandshakeTest.waitFor(() -> sink.count.get() >= 5000);

        long t0 = System.nanoTime();
        serverSide.providers.removeTransport(serverSide.unix);
        long tookMillis = (System.nanoTime() - t0) / 1_000_000;
        // the client had no other address: it closed its connection when asked, so the drain ended early, far
        // below its 60 s bound
        assertTrue(tookMillis < 30_000, "removeTransport held for " + tookMillis + " ms");
        assertSame(null, ((SessionImpl) server.sessions().iterator().next()).carrier());

        serverSide.providers.addTransport(serverSide.unix); // the same kind comes back (an update in place)
        sender.get(60, TimeUnit.SECONDS);
        HardenedHandshakeTest.waitFor(() -> sink.count.get() >= COUNT);
        ResumeTest.assertExactlyOnceInOrder(sink, COUNT);
        assertTrue(s.isOpen());
    }

    @Test
    void aServerWithNoOtherListenerClosesAtOnceInsteadOfAskingToMove() throws Exception {
        Sink sink = new Sink();
        URI tcp = URI.create("tcp://127.0.0.1:" + freePort()); // fixed: the transport listens there again later
        // the server listens on tcp only; the client also knows a unix address (its unix transport is bound), so it
        // would try to move there when asked, fail (nobody listens), and stay on tcp until the drain timed out
        ServerEndpointImpl server = serverSide.server(draining(Duration.ofSeconds(60)), (s, m) -> sink.add(m), tcp);
        URI nowhere = URI.create("unix://" + dir.resolve("nobody.sock"));
        ClientEndpointImpl client = clientSide.client(Harness.settings("app"), (s, m) -> { }, tcp, nowhere);
        Session s = client.connect().toCompletableFuture().get(10, TimeUnit.SECONDS);
        CompletableFuture<Void> sender = ResumeTest.stream(s, COUNT);
        HardenedHandshakeTest.waitFor(() -> sink.count.get() >= 5000);

        long t0 = System.nanoTime();
        serverSide.providers.removeTransport(serverSide.tcp); // an update in place of the server's only transport
        long tookMillis = (System.nanoTime() - t0) / 1_000_000;
        // no listener left: nobody can move, so the connection closed without a drain (60 s bound)
        assertTrue(tookMillis < 30_000, "removeTransport held for " + tookMillis + " ms");
        assertSame(null, ((SessionImpl) server.sessions().iterator().next()).carrier());

        serverSide.providers.addTransport(serverSide.tcp);
        sender.get(60, TimeUnit.SECONDS);
        HardenedHandshakeTest.waitFor(() -> sink.count.get() >= COUNT);
        ResumeTest.assertExactlyOnceInOrder(sink, COUNT);
        assertTrue(s.isOpen());
        assertEquals(1, server.sessions().size(), "one session throughout");
    }

    @Test
    void aClientWhoseTransportLeavesHasLetGoOfItWhenTheUnbindReturns() throws Exception {
        Sink sink = new Sink();
        URI tcp = URI.create("tcp://127.0.0.1:" + freePort());
        ServerEndpointImpl server = serverSide.server(Harness.settings("host"), (s, m) -> sink.add(m), tcp);
        ClientEndpointImpl client = clientSide.client(Harness.settings("app"), (s, m) -> { }, tcp);
        Session s = client.connect().toCompletableFuture().get(10, TimeUnit.SECONDS);
        CompletableFuture<Void> sender = ResumeTest.stream(s, COUNT);
        HardenedHandshakeTest.waitFor(() -> sink.count.get() >= 5000);

        // an update in place of the client's only transport: the unbind detaches the session before it returns
        // (it used to close through the timer and the transport's I/O thread, and a replacement bound right after
        // could find the session still on the leaving connection)
        java.util.concurrent.CountDownLatch timerHeld = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch releaseTimer = new java.util.concurrent.CountDownLatch(1);
        clientSide.ctx.timer.execute(() -> { // a busy timer: the close must not depend on it
            timerHeld.countDown();
            try {
                releaseTimer.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertTrue(timerHeld.await(10, TimeUnit.SECONDS));
        try {
            clientSide.providers.removeTransport(clientSide.tcp);
            assertSame(null, ((SessionImpl) s).carrier(), "still on the leaving connection");
        } finally {
            releaseTimer.countDown();
        }

        clientSide.providers.addTransport(clientSide.tcp);
        sender.get(60, TimeUnit.SECONDS);
        HardenedHandshakeTest.waitFor(() -> sink.count.get() >= COUNT);
        ResumeTest.assertExactlyOnceInOrder(sink, COUNT);
        assertTrue(client.resumes() >= 1, "resumed");
        assertEquals(1, server.sessions().size(), "one session throughout");
    }
}
