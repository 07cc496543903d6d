package org.eipc.transport.nats.impl;

import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.eipc.api.IpcException;
import org.eipc.spi.transport.Connection;
import org.eipc.spi.transport.Listener;
import org.eipc.spi.transport.OfferResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Stream behaviour beyond the conformance kit, against one real nats-server. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NatsTransportTest {
    private final AtomicInteger n = new AtomicInteger();
    private NatsServer server;
    private NatsTransport transport;

    @BeforeAll
    void start() {
        server = NatsServer.single();
        transport = new NatsTransport(TestSettings.fast(), NatsClientOptions.defaults());
    }

    @AfterAll
    void stop() {
        try {
            transport.close();
        } finally {
            server.close();
        }
    }

    private URI fresh() {
        return server.uri("stream.l" + n.incrementAndGet());
    }

    @Test
    void anOfferLargerThanTheServersMaxPayloadIsSlicedAndArrivesIntact() throws Exception {
        LinkedBlockingQueue<Recorder> accepted = new LinkedBlockingQueue<>();
        try (Listener l = transport.listen(fresh(), c -> {
            Recorder r = new Recorder();
            accepted.add(r);
            return r;
        })) {
            Connection c = transport.connect(l.address(), new Recorder(), Duration.ofSeconds(5));
            byte[] big = new byte[3 << 20]; // three times NATS' default max_payload
            for (int i = 0; i < big.length; i++) {
                big[i] = (byte) (i * 31 + (i >>> 11));
            }
            assertEquals(OfferResult.ACCEPTED, c.offer(ByteBuffer.wrap(big)));
            Recorder r = accepted.poll(5, TimeUnit.SECONDS);
            assertNotNull(r);
            r.awaitBytes(big.length, 10_000);
            byte[] got = r.text().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
            assertTrue(java.util.Arrays.equals(big, got), "bytes differ");
            c.close();
        }
    }

    @Test
    void closeAfterShutdownOutputIsAnOrderlyCloseOnBothSides() throws Exception {
        LinkedBlockingQueue<Recorder> accepted = new LinkedBlockingQueue<>();
        try (Listener l = transport.listen(fresh(), c -> {
            Recorder r = new Recorder();
            accepted.add(r);
            return r;
        })) {
            Recorder client = new Recorder();
            Connection c = transport.connect(l.address(), client, Duration.ofSeconds(5));
            Recorder r = accepted.poll(5, TimeUnit.SECONDS);
            assertNotNull(r);
            assertEquals(OfferResult.ACCEPTED, c.offer(ByteBuffer.wrap(new byte[] {1, 2, 3})));
            c.shutdownOutput();
            c.close();
            IpcException serverCause = r.closed.get(5, TimeUnit.SECONDS);
            assertNull(serverCause, () -> "orderly close reported " + serverCause);
            assertNull(client.closed.get(5, TimeUnit.SECONDS));
            assertEquals(3, r.size());
        }
    }

    @Test
    void aClosedTransportClosesItsConnectionsWithACause() throws Exception {
        try (NatsTransport other = new NatsTransport(TestSettings.fast(), NatsClientOptions.defaults())) {
            LinkedBlockingQueue<Recorder> accepted = new LinkedBlockingQueue<>();
            try (Listener l = transport.listen(fresh(), c -> {
                Recorder r = new Recorder();
                accepted.add(r);
                return r;
            })) {
                Recorder client = new Recorder();
                other.connect(l.address(), client, Duration.ofSeconds(5));
                Recorder r = accepted.poll(5, TimeUnit.SECONDS);
                assertNotNull(r);
                other.close();
                assertNotNull(client.closed.get(5, TimeUnit.SECONDS), "the closed side reports why");
                assertNotNull(r.closed.get(5, TimeUnit.SECONDS), "the peer learns of it (reset)");
                assertEquals(0, other.openConnections());
            }
        }
    }
}
