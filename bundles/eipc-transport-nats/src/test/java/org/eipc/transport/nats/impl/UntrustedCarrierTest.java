package org.eipc.transport.nats.impl;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;
import org.eipc.spi.transport.Listener;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Whoever can publish on the NATS subjects can drop, inject or replay messages: a raw jnats client plays that
 * part against a listener. Every such hole closes the connection with a clear IpcException (the session above
 * resumes); nothing after the hole is delivered.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UntrustedCarrierTest {
    private final AtomicInteger n = new AtomicInteger();
    private NatsServer server;
    private NatsTransport transport;
    private Connection raw;

    @BeforeAll
    void start() throws Exception {
        server = NatsServer.single();
        transport = new NatsTransport(TestSettings.fast(), NatsClientOptions.defaults());
        raw = Nats.connect(new Options.Builder().server("nats://127.0.0.1:" + server.port()).build());
    }

    @AfterAll
    void stop() throws Exception {
        try {
            raw.close();
            transport.close();
        } finally {
            server.close();
        }
    }

    /** A hand-made client connection: the listener's side records. */
    private final class Hand implements AutoCloseable {
        final Recorder server = new Recorder();
        final String out;
        final Subscription in;
        final Listener listener;

        Hand() throws Exception {
            String prefix = "inject.l" + n.incrementAndGet();
            URI address = URI.create("nats://127.0.0.1:" + UntrustedCarrierTest.this.server.port() + "/" + prefix);
            listener = transport.listen(address, c -> server);
            String clientId = "00112233445566ff." + n.get();
            in = raw.subscribe(prefix + ".c." + clientId);
            byte[] id = clientId.getBytes(StandardCharsets.US_ASCII);
            byte[] open = Packet.allocate(Packet.OPEN, 1 << 20, 0, 0, id.length);
            System.arraycopy(id, 0, open, Packet.HEADER_LENGTH, id.length);
            Message reply = raw.request(prefix + ".accept", open, Duration.ofSeconds(5));
            assertNotNull(reply, "no accept");
            assertEquals(Packet.ACCEPT, Packet.kind(reply.getData()));
            out = prefix + ".s." + new String(reply.getData(), Packet.HEADER_LENGTH, 16, StandardCharsets.US_ASCII)
                    + "." + clientId;
            server.opened.get(5, TimeUnit.SECONDS);
        }

        void data(long seq, String text) {
            byte[] t = text.getBytes(StandardCharsets.US_ASCII);
            byte[] p = Packet.allocate(Packet.DATA, seq, 0, 0, t.length);
            System.arraycopy(t, 0, p, Packet.HEADER_LENGTH, t.length);
            raw.publish(out, p);
        }

        IpcException awaitClose() throws Exception {
            return server.closed.get(10, TimeUnit.SECONDS);
        }

        @Override
        public void close() {
            listener.close();
            in.unsubscribe();
        }
    }

    @Test
    void aLostMessageClosesTheConnectionAndNothingAfterTheHoleIsDelivered() throws Exception {
        try (Hand h = new Hand()) {
            h.data(1, "one.");
            h.server.awaitBytes(4, 5000);
            h.data(3, "three.");                     // packet 2 never arrives
            IpcException e = h.awaitClose();
            assertEquals(ErrorCode.TRANSPORT_IO, e.code());
            assertTrue(e.getMessage().contains("expected packet 2, got packet 3"), e.getMessage());
            assertEquals("one.", h.server.text());
            Message m;
            do { // acknowledgements of packet 1 may come first
                m = h.in.nextMessage(Duration.ofSeconds(5));
                assertNotNull(m, "the peer is told with a reset");
            } while (Packet.ACK == Packet.kind(m.getData()));
            assertEquals(Packet.RST, Packet.kind(m.getData()));
        }
    }

    @Test
    void aReplayedMessageClosesTheConnection() throws Exception {
        try (Hand h = new Hand()) {
            h.data(1, "one.");
            h.data(1, "one.");
            IpcException e = h.awaitClose();
            assertEquals(ErrorCode.TRANSPORT_IO, e.code());
            assertEquals("one.", h.server.text());
        }
    }

    @Test
    void aMessageShorterThanThePacketHeaderIsAProtocolViolation() throws Exception {
        try (Hand h = new Hand()) {
            raw.publish(h.out, new byte[] {'d', 0, 0});
            IpcException e = h.awaitClose();
            assertEquals(ErrorCode.PROTOCOL_VIOLATION, e.code());
            assertEquals(0, h.server.size());
        }
    }

    @Test
    void aLostTailIsCaughtByTheNextHeartbeat() throws Exception {
        try (Hand h = new Hand()) {
            h.data(1, "one.");
            // the peer says it sent two packets; the second never came
            raw.publish(h.out, Packet.allocate(Packet.ACK, 2, 0, 0, 0));
            IpcException e = h.awaitClose();
            assertEquals(ErrorCode.TRANSPORT_IO, e.code());
            assertTrue(e.getMessage().contains("sent up to packet 2"), e.getMessage());
        }
    }

    @Test
    void anAcknowledgementOfDataNeverSentIsAProtocolViolation() throws Exception {
        try (Hand h = new Hand()) {
            raw.publish(h.out, Packet.allocate(Packet.ACK, 0, 0, 1000, 0));
            IpcException e = h.awaitClose();
            assertEquals(ErrorCode.PROTOCOL_VIOLATION, e.code());
        }
    }

    @Test
    void aSilentPeerIsClosedAfterThePeerTimeout() throws Exception {
        long t0 = System.nanoTime(); // before the connection exists, so the timeout cannot have started earlier
        try (Hand h = new Hand()) {
            IpcException e = h.awaitClose();
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertEquals(ErrorCode.TRANSPORT_IO, e.code());
            assertTrue(e.getMessage().contains("nothing heard from the peer"), e.getMessage());
            assertTrue(ms >= 1500 && ms < 10_000, "closed after " + ms + " ms with a 1500 ms peer timeout");
        }
    }

    @Test
    void connectingWithoutAListenerFailsAtOnce() {
        URI nobody = URI.create("nats://127.0.0.1:" + server.port() + "/nobody.here");
        long t0 = System.nanoTime();
        IpcException e = org.junit.jupiter.api.Assertions.assertThrows(IpcException.class,
                () -> transport.connect(nobody, new Recorder(), Duration.ofSeconds(5)));
        assertEquals(ErrorCode.CONNECT_FAILED, e.code());
        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) < 2000, "no-responders is immediate");
    }

    @Test
    void aSecondListenerOnALivePrefixIsRefused() {
        URI a = URI.create("nats://127.0.0.1:" + server.port() + "/taken.prefix");
        try (Listener l = transport.listen(a, c -> new Recorder())) {
            IpcException e = org.junit.jupiter.api.Assertions.assertThrows(IpcException.class,
                    () -> transport.listen(a, c -> new Recorder()));
            assertEquals(ErrorCode.TRANSPORT_IO, e.code());
            assertTrue(e.getMessage().contains("live listener"), e.getMessage());
        }
        transport.listen(a, c -> new Recorder()).close(); // free again after close
    }

    @Test
    void aSlowConsumerDropIsDetectedAndClosesTheAffectedConnection() throws Exception {
        // a transport whose NATS client buffers at most 1024 messages or 1 MiB for us
        try (NatsTransport small = new NatsTransport(new NatsSettings(4L << 20, 1 << 20, 10, 1000, 20_000),
                new NatsClientOptions(250, 10_000, 1024, 1 << 20, "", new char[0], new char[0], null, null))) {
            URI a = URI.create("nats://127.0.0.1:" + server.port() + "/slow.consumer");
            LinkedBlockingQueue<Recorder> accepted = new LinkedBlockingQueue<>();
            try (Listener l = small.listen(a, c -> {
                Recorder r = new Recorder();
                r.holdFirstData = new java.util.concurrent.CountDownLatch(1);
                accepted.add(r);
                return r;
            })) {
                Recorder client = new Recorder();
                org.eipc.spi.transport.Connection c = small.connect(a, client, Duration.ofSeconds(5));
                Recorder server = accepted.poll(5, TimeUnit.SECONDS);
                assertNotNull(server);
                // too large to be coalesced: one NATS message per offer, 400 of them within the 4 MiB window
                byte[] piece = new byte[9000];
                assertEquals(org.eipc.spi.transport.OfferResult.ACCEPTED, c.offer(java.nio.ByteBuffer.wrap(piece)));
                assertTrue(server.firstData.await(5, TimeUnit.SECONDS)); // the dispatcher thread is now held
                for (int i = 0; i < 400; i++) {
                    assertEquals(org.eipc.spi.transport.OfferResult.ACCEPTED,
                            c.offer(java.nio.ByteBuffer.wrap(piece)));
                }
                small.flush(a, Duration.ofSeconds(5)); // all 3.6 MB came back to our client, over its 1 MiB limit
                assertTrue(small.slowConsumerEvents() > 0, "jnats reported a slow consumer");
                server.holdFirstData.countDown();
                IpcException e = server.closed.get(10, TimeUnit.SECONDS);
                assertEquals(ErrorCode.TRANSPORT_IO, e.code());
                assertTrue(e.getMessage().contains("slow consumer"), e.getMessage());
                assertTrue(server.size() < 401 * 9000, "the hole was not papered over");
                assertEquals(0, server.size() % 9000);
                client.closed.get(10, TimeUnit.SECONDS); // and the sender learns of it (reset)
            }
        }
    }
}
