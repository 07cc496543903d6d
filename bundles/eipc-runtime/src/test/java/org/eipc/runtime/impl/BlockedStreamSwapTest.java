package org.eipc.runtime.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.eipc.api.ErrorCode;
import org.eipc.api.Header;
import org.eipc.api.IpcException;
import org.eipc.api.Message;
import org.eipc.api.MessageType;
import org.eipc.api.SendResult;
import org.eipc.api.Session;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stream held back by every window at once (the receiver's inbox and credit, the sender's unacknowledged ring and
 * lanes) behind a slow handler, with requests among the messages: what {@code HotSwapIT} does with 100,000 messages.
 * The session never stalls, also when its carrier is swapped while the stream is blocked; and a request made while
 * the lanes are full is refused at once ({@code BACK_PRESSURE}, nothing sent) and goes through when retried after
 * {@code whenWritable()} — the case the integration test's sender did not handle (it dropped that request and then
 * waited for it forever, which looked like a stalled session).
 */
class BlockedStreamSwapTest extends TwoRuntimes {
    private static final int COUNT = 20_000;
    private static final int REQUEST_EVERY = 37;
    private static final int WINDOW = 64;

    @TempDir
    Path dir;

    private static Message numbered(long i) {
        return Message.of(MessageType.FEATURES, Header.builder().build(), ByteBuffer.allocate(8).putLong(i).array());
    }

    /** True when {@code request()} refused at once because the lanes were full: nothing was sent. */
    private static boolean refusedForBackPressure(CompletableFuture<Message> f) {
        if (!f.isCompletedExceptionally()) {
            return false;
        }
        try {
            f.getNow(null);
            return false;
        } catch (CompletionException e) {
            return e.getCause() instanceof IpcException
                    && ((IpcException) e.getCause()).code() == ErrorCode.BACK_PRESSURE;
        }
    }

    /** A fixed port, so the tcp listener comes back where the client looks for it (port 0 would move it). */
    private static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket ss = new java.net.ServerSocket(0)) {
            return ss.getLocalPort();
        }
    }

    @Test
    void aRequestMadeWhileTheLanesAreFullFailsAtOnceSendsNothingAndGoesThroughWhenRetried() throws Exception {
        CountDownLatch open = new CountDownLatch(1);
        List<Long> got = new ArrayList<>();
        EndpointSettings ss = Harness.settings("host");
        ss.receiveWindow = 8;
        ServerEndpointImpl server = serverSide.server(ss, (s, m) -> {
            try {
                open.await(30, TimeUnit.SECONDS); // a stuck handler: inbox and credit fill up
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            long n = m.payload().getLong(0);
            synchronized (got) {
                got.add(n);
            }
            if (!m.header().requestId().isEmpty()) {
                s.reply(m, numbered(-n));
            }
        }, URI.create("unix://" + dir.resolve("bp.sock")));
        EndpointSettings cs = Harness.settings("app");
        cs.maxUnacked = 8;
        cs.maxQueued = 16;
        cs.ackEvery = 4;
        Session s = clientSide.client(cs, (x, m) -> { }, server.address()).connect().toCompletableFuture()
                .get(10, TimeUnit.SECONDS);

        long n = 0;
        while (s.send(numbered(n + 1)) == SendResult.OK) {
            n++;
            assertTrue(n < 1000, "the lanes never filled");
        }
        CompletableFuture<Message> refused = s.request(numbered(-1), Duration.ofSeconds(30)).toCompletableFuture();
        assertTrue(refusedForBackPressure(refused), "refused at once with BACK_PRESSURE: " + refused);
        CompletableFuture<Void> room = s.whenWritable().toCompletableFuture();
        assertFalse(room.isDone(), "no room while the handler is stuck");

        open.countDown();
        room.get(10, TimeUnit.SECONDS);
        CompletableFuture<Message> retried = s.request(numbered(n + 1), Duration.ofSeconds(30)).toCompletableFuture();
        assertFalse(refusedForBackPressure(retried));
        assertEquals(-(n + 1), retried.get(10, TimeUnit.SECONDS).payload().getLong(0));
        long total = n + 1;
        HardenedHandshakeTest.waitFor(() -> {
            synchronized (got) {
                return got.size() >= total;
            }
        });
        synchronized (got) {
            assertEquals(total, got.size(), "the refused request was never sent");
            for (int i = 0; i < total; i++) {
                assertEquals(i + 1, got.get(i), "position " + i);
            }
        }
    }

    @Test
    void aStreamBlockedByEveryWindowSurvivesCarrierSwapsWhileBlocked() throws Exception {
        List<Long> got = new ArrayList<>();
        AtomicInteger count = new AtomicInteger();
        EndpointSettings ss = Harness.settings("host");
        ss.receiveWindow = WINDOW;
        ServerEndpointImpl server = serverSide.server(ss, (s, m) -> {
            long n = m.payload().getLong(0);
            synchronized (got) {
                got.add(n);
            }
            count.incrementAndGet();
            if (!m.header().requestId().isEmpty()) {
                s.reply(m, numbered(-n));
            }
            LockSupport.parkNanos(30_000); // slow: the sender is held back by credit and the ring the whole time
        }, URI.create("unix://" + dir.resolve("host.sock")), URI.create("tcp://127.0.0.1:" + freePort()));
        EndpointSettings cs = Harness.settings("app");
        cs.maxUnacked = WINDOW;
        cs.maxQueued = 2 * WINDOW;
        cs.ackEvery = 16;
        ClientEndpointImpl client = clientSide.client(cs, (x, m) -> { }, server.addresses().toArray(new URI[0]));
        Session s = client.connect().toCompletableFuture().get(10, TimeUnit.SECONDS);
        SessionImpl si = (SessionImpl) s;
        assertEquals("unix", si.carrier().transport().kind());

        List<CompletableFuture<Message>> requests = new ArrayList<>();
        AtomicInteger refusals = new AtomicInteger();
        CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> {
            try {
                for (long i = 1; i <= COUNT; i++) {
                    if (i % REQUEST_EVERY == 0) {
                        CompletableFuture<Message> f;
                        while (refusedForBackPressure(
                                f = s.request(numbered(i), Duration.ofSeconds(30)).toCompletableFuture())) {
                            refusals.incrementAndGet();
                            s.whenWritable().toCompletableFuture().get(30, TimeUnit.SECONDS);
                        }
                        synchronized (requests) {
                            requests.add(f);
                        }
                        continue;
                    }
                    SendResult r;
                    while ((r = s.send(numbered(i))) == SendResult.BACK_PRESSURE) {
                        s.whenWritable().toCompletableFuture().get(30, TimeUnit.SECONDS);
                    }
                    if (r != SendResult.OK) {
                        throw new AssertionError("session closed at message " + i);
                    }
                }
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        });

        String[] kinds = {"tcp", "unix", "tcp", "unix"};
        for (int k = 0; k < kinds.length; k++) {
            int at = (k + 1) * COUNT / 6;
            HardenedHandshakeTest.waitFor(() -> count.get() >= at);
            // blocked: everything the sender may write is written and the receiver's inbox holds messages
            HardenedHandshakeTest.waitFor(() -> si.queued() > 0 && si.inFlight() > 0);
            String to = kinds[k];
            boolean toTcp = "tcp".equals(to);
            if (toTcp) {
                serverSide.providers.removeTransport(serverSide.unix);
            } else {
                serverSide.providers.addTransport(serverSide.unix);
                serverSide.providers.removeTransport(serverSide.tcp);
            }
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (si.carrier() == null || !to.equals(si.carrier().transport().kind())) {
                assertTrue(System.nanoTime() < until, "swap " + k + " to " + to + " not done: client " + s
                        + ", resumes " + client.resumes() + ", server " + server.sessions() + " at "
                        + server.addresses());
                Thread.sleep(5);
            }
            if (!toTcp) {
                serverSide.providers.addTransport(serverSide.tcp);
            }
        }

        sender.get(60, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (count.get() < COUNT && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(COUNT, count.get(), "every message arrived; client " + s + ", server " + server.sessions());
        synchronized (got) {
            for (int i = 0; i < COUNT; i++) {
                if (got.get(i) != i + 1) {
                    throw new AssertionError("position " + i + " holds " + got.get(i));
                }
            }
        }
        List<CompletableFuture<Message>> rs;
        synchronized (requests) {
            rs = new ArrayList<>(requests);
        }
        assertEquals(COUNT / REQUEST_EVERY, rs.size());
        for (CompletableFuture<Message> f : rs) {
            f.get(30, TimeUnit.SECONDS); // every request has its reply
        }
        assertTrue(client.resumes() >= kinds.length, "resumed " + client.resumes() + " times");
        assertEquals(1, server.sessions().size(), "one session throughout");
        assertTrue(s.isOpen());
        System.out.printf("blocked stream: %d messages, %d requests (%d refused for back-pressure and retried),"
                + " %d resumes%n", COUNT, rs.size(), refusals.get(), client.resumes());
    }
}
