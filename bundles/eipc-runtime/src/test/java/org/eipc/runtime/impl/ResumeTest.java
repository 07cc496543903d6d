package org.eipc.runtime.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.eipc.api.Header;
import org.eipc.api.Message;
import org.eipc.api.MessageType;
import org.eipc.api.SendResult;
import org.eipc.api.Session;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A session outlives its connection: a client streams numbered messages while the connection is closed under the
 * session, or its transport leaves the server; every message arrives exactly once, in order.
 */
class ResumeTest extends TwoRuntimes {
    static final int COUNT = 20_000;

    @TempDir
    Path dir;

    /** Collects the numbers in arrival order. */
    static final class Sink {
        final List<Long> got = new ArrayList<>();
        final AtomicInteger count = new AtomicInteger();

        synchronized void add(Message m) {
            got.add(m.payload().getLong(0));
            count.incrementAndGet();
        }

        synchronized List<Long> snapshot() {
            return new ArrayList<>(got);
        }
    }

    private static CompletableFuture<Void> stream(Session s) {
        return stream(s, COUNT);
    }

    /** Sends {@code count} numbered messages (1..count), waiting for {@code whenWritable()} on back-pressure. */
    static CompletableFuture<Void> stream(Session s, int count) {
        return CompletableFuture.runAsync(() -> {
            try {
                for (long i = 1; i <= count; ) {
                    byte[] p = ByteBuffer.allocate(8).putLong(i).array();
                    SendResult r = s.send(Message.of(MessageType.FEATURES, Header.builder().build(), p));
                    if (r == SendResult.OK) {
                        i++;
                    } else if (r == SendResult.BACK_PRESSURE) {
                        s.whenWritable().toCompletableFuture().get(30, TimeUnit.SECONDS);
                    } else {
                        throw new AssertionError("session closed at message " + i);
                    }
                }
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
    }

    private static void assertExactlyOnceInOrder(Sink sink) {
        assertExactlyOnceInOrder(sink, COUNT);
    }

    /** The sink holds 1..count, each once, in order. */
    static void assertExactlyOnceInOrder(Sink sink, int count) {
        List<Long> got = sink.snapshot();
        assertEquals(count, got.size(), "message count");
        for (int i = 0; i < count; i++) {
            if (got.get(i) != i + 1) {
                throw new AssertionError("position " + i + " holds " + got.get(i));
            }
        }
    }

    private static void awaitCount(Sink sink, int n) throws InterruptedException {
        HardenedHandshakeTest.waitFor(() -> sink.count.get() >= n);
    }

    @Test
    void closingTheConnectionUnderTheSessionLosesAndDuplicatesNothing() throws Exception {
        Sink sink = new Sink();
        ServerEndpointImpl server = serverSide.server(Harness.settings("host"), (s, m) -> sink.add(m),
                URI.create("tcp://127.0.0.1:0"));
        ClientEndpointImpl client = clientSide.client(Harness.settings("app"), (s, m) -> { }, server.address());
        Session s = client.connect().toCompletableFuture().get(10, TimeUnit.SECONDS);
        CompletableFuture<Void> sender = stream(s);
        int kills = 0;
        for (int at = 3000; at < COUNT && kills < 5; at += 3500) {
            awaitCount(sink, at);
            for (Carrier c : server.carriers()) {
                c.connection().close(); // from outside, as a dying socket would
            }
            kills++;
            // wait for this kill's resume, not just for an attached session: right after the kill the client may
            // not have noticed yet, and a next kill during the resume's handshake made two kills one resume
            int resumed = kills;
            HardenedHandshakeTest.waitFor(() -> client.resumes() >= resumed || !s.isOpen());
        }
        sender.get(60, TimeUnit.SECONDS);
        awaitCount(sink, COUNT);
        assertExactlyOnceInOrder(sink);
        assertEquals(5, kills);
        assertTrue(client.resumes() >= 5, "resumed " + client.resumes() + " times");
        assertTrue(s.isOpen());
        assertEquals(1, server.sessions().size(), "one session throughout");
    }

    @Test
    void theServerSwitchingTransportsLosesAndDuplicatesNothing() throws Exception {
        Sink sink = new Sink();
        URI unix = URI.create("unix://" + dir.resolve("host.sock"));
        ServerEndpointImpl server = serverSide.server(Harness.settings("host"), (s, m) -> sink.add(m), unix,
                URI.create("tcp://127.0.0.1:0"));
        List<URI> addresses = server.addresses();
        assertEquals(2, addresses.size());
        ClientEndpointImpl client = clientSide.client(Harness.settings("app"), (s, m) -> { },
                addresses.toArray(new URI[0]));
        Session s = client.connect().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals("unix", ((SessionImpl) s).carrier().transport().kind());
        CompletableFuture<Void> sender = stream(s);

        awaitCount(sink, 5000);
        serverSide.providers.removeTransport(serverSide.unix); // the unix transport bundle stops
        HardenedHandshakeTest.waitFor(() -> {
            Carrier c = ((SessionImpl) s).carrier();
            return c != null && "tcp".equals(c.transport().kind());
        });

        awaitCount(sink, 12000);
        serverSide.providers.addTransport(serverSide.unix);   // it comes back (greedy: bound before...)
        serverSide.providers.removeTransport(serverSide.tcp); // ...the other one leaves
        HardenedHandshakeTest.waitFor(() -> {
            Carrier c = ((SessionImpl) s).carrier();
            return c != null && "unix".equals(c.transport().kind());
        });

        sender.get(60, TimeUnit.SECONDS);
        awaitCount(sink, COUNT);
        assertExactlyOnceInOrder(sink);
        assertTrue(client.resumes() >= 2);
    }

    @Test
    void aSilentConnectionIsClosedAfterTheIdleTimeoutAndTheSessionResumes() throws Exception {
        Sink sink = new Sink();
        EndpointSettings ss = Harness.settings("host");
        ss.idleTimeout = java.time.Duration.ofMillis(600);
        ServerEndpointImpl server = serverSide.server(ss, (s, m) -> sink.add(m), URI.create("tcp://127.0.0.1:0"));
        try (RecordingProxy proxy = new RecordingProxy(server.address())) {
            EndpointSettings cs = Harness.settings("app");
            cs.idleTimeout = java.time.Duration.ofMillis(600);
            ClientEndpointImpl client = clientSide.client(cs, (s, m) -> { }, proxy.address());
            Session s = client.connect().toCompletableFuture().get(10, TimeUnit.SECONDS);
            s.send(Message.of(MessageType.FEATURES, Header.builder().build(), ByteBuffer.allocate(8).putLong(1).array()));
            awaitCount(sink, 1);
            long lost = server.carrierLosses();
            proxy.paused(true); // the network goes silent; no socket reports anything
            HardenedHandshakeTest.waitFor(() -> server.carrierLosses() > lost);
            assertEquals(org.eipc.api.ErrorCode.TRANSPORT_IO, server.lastCarrierLoss().code());
            proxy.paused(false);
            s.send(Message.of(MessageType.FEATURES, Header.builder().build(), ByteBuffer.allocate(8).putLong(2).array()));
            awaitCount(sink, 2);
            assertEquals(List.of(1L, 2L), sink.snapshot());
            assertTrue(s.isOpen());
        }
    }
}
