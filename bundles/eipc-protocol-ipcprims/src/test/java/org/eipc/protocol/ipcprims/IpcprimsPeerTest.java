package org.eipc.protocol.ipcprims;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;
import org.eipc.spi.transport.OfferResult;
import org.junit.jupiter.api.Test;

/** Peer behaviour beyond the vectors, driven through the in-memory connection. */
class IpcprimsPeerTest {
    private static final byte[] REQUEST = VectorTest.vector("v01");
    private static final byte[] RESPONSE = VectorTest.vector("v02");
    private static final byte[] PING = VectorTest.vector("v09");
    private static final byte[] PONG = VectorTest.vector("v10");

    private static byte[] frame(int channel, String text) {
        return IpcprimsFrameEncoder.encodeToArray(channel, text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void shouldRefuseSendsTheProtocolDoesNotAllow() {
        final Harness c = Harness.client(false, 1, 2, 3, 4);
        assertEquals(ErrorCode.ILLEGAL_STATE, assertThrows(IpcException.class, () -> c.peer.send(1, new byte[1])).code());
        assertEquals(ErrorCode.ILLEGAL_STATE, assertThrows(IpcException.class, c.peer::ping).code());
        c.feed(RESPONSE);
        assertEquals(ErrorCode.PROTOCOL_VIOLATION,
                assertThrows(IpcException.class, () -> c.peer.send(0, new byte[1])).code());
        assertEquals(ErrorCode.PROTOCOL_VIOLATION,
                assertThrows(IpcException.class, () -> c.peer.send(5, new byte[1])).code());
        final Harness small = new Harness(IpcprimsConfig.client(1).withLimits(1024, 100), false)
                .feed(frame(0, "{\"protocol\":\"ipcprims\",\"version\":\"1.0\",\"channels\":[1],\"peer_id\":\"p\"}"));
        assertEquals(OfferResult.ACCEPTED, small.peer.send(1, new byte[100]));
        assertEquals(ErrorCode.FRAME_TOO_LARGE,
                assertThrows(IpcException.class, () -> small.peer.send(1, new byte[101])).code());
        small.feed(frame(1, "x".repeat(101)));
        assertEquals(ErrorCode.FRAME_TOO_LARGE, small.cause.code());
    }

    @Test
    void shouldReturnBackPressureAndQueueControlReplies() {
        final Harness s = Harness.server(false).feed(REQUEST);
        s.conn.pushBack = true;
        assertEquals(OfferResult.BACK_PRESSURE, s.peer.send(1, new byte[] {1}));
        s.feed(PING); // the pong waits
        assertEquals(RESPONSE.length, s.conn.written().length);
        s.conn.pushBack = false;
        s.peer.onWritable(s.conn);
        final byte[] all = s.conn.written();
        assertArrayEquals(PONG, java.util.Arrays.copyOfRange(all, RESPONSE.length, all.length));
        final java.nio.ByteBuffer payload = java.nio.ByteBuffer.wrap(new byte[] {1, 2});
        assertEquals(OfferResult.ACCEPTED, s.peer.send(1, payload));
        assertTrue(!payload.hasRemaining(), "position moved on ACCEPTED");
    }

    @Test
    void shouldNotCountPongsToOurOwnPingsAsFlooding() {
        final Harness c = Harness.client(false, 1, 2, 3, 4).feed(RESPONSE);
        for (int i = 0; i < 300; i++) {
            assertEquals(OfferResult.ACCEPTED, c.peer.ping());
        }
        for (int i = 0; i < 300; i++) {
            c.feed(PONG);
        }
        assertNull(c.cause);
        assertEquals(300, c.pongs.size());
        assertEquals(300, c.pongs.get(299)[0]);
        c.feed(PONG); // unsolicited now: counts, but one is fine
        assertNull(c.cause);
    }

    @Test
    void shouldDropFramesThatFailValidationAndReportThemOnTheErrorChannel() {
        final ChannelValidator v = (ch, p) -> {
            if (p.remaining() > 0 && p.get(p.position()) == '!') {
                throw new IpcException(ErrorCode.SCHEMA_INVALID, "must not start with '!'");
            }
        };
        final Harness s = new Harness(IpcprimsConfig.server().withValidator(v, true), false).feed(REQUEST);
        s.feed(frame(1, "!bad")).feed(frame(1, "good"));
        assertNull(s.cause, "the connection stays open");
        assertEquals(List.of("good"), VectorTest.texts(s.frames, 1));
        assertTrue(s.events.contains("invalid:1"));
        final List<Harness.Frame> sent = s.sent();
        assertEquals(4, sent.get(1).channel());
        assertTrue(sent.get(1).text().startsWith("{\"error\":\"schema validation error: "), sent.get(1).text());
        assertEquals(ErrorCode.SCHEMA_INVALID,
                assertThrows(IpcException.class, () -> s.peer.send(1, "!x".getBytes(StandardCharsets.UTF_8))).code());
    }

    @Test
    void shouldTimeOutAShutdownWithoutAck() {
        final Harness c = Harness.client(false, 1).feed(
                frame(0, "{\"protocol\":\"ipcprims\",\"version\":\"1.0\",\"channels\":[1],\"peer_id\":\"p\"}"));
        assertEquals(OfferResult.ACCEPTED, c.peer.shutdown());
        c.feed(frame(1, "late")); // still delivered while waiting for the ack
        assertEquals(List.of("late"), VectorTest.texts(c.frames, 1));
        c.now += Duration.ofSeconds(5).toNanos();
        c.peer.checkTimeouts(c.now);
        assertEquals(ErrorCode.REQUEST_TIMEOUT, c.cause.code());
    }

    @Test
    void shouldHonourTheControlOptions() {
        final Harness force = new Harness(IpcprimsConfig.server().withAllowShutdownForce(true), false).feed(REQUEST)
                .feed(frame(0, "{\"type\":\"shutdown_force\"}"));
        assertEquals(ErrorCode.CONNECTION_CLOSED, force.cause.code());
        final Harness unknown = new Harness(IpcprimsConfig.server().withAllowUnknownControlMessages(true), false)
                .feed(REQUEST).feed(frame(0, "{\"type\":\"hello\"}"));
        assertNull(unknown.cause);
        assertEquals(List.of("{\"type\":\"hello\"}"), VectorTest.texts(unknown.frames, 0));
        final Harness noGuard = new Harness(IpcprimsConfig.server().withMaxControlFramesInRow(0), false).feed(REQUEST);
        for (int i = 0; i < 300; i++) {
            noGuard.feed(PING);
        }
        assertNull(noGuard.cause);
    }

    @Test
    void shouldCloseWithInternalWhenTheListenerThrows() {
        final AtomicReference<IpcException> closed = new AtomicReference<>();
        final IpcprimsPeer p = new IpcprimsPeer(IpcprimsConfig.server(), new IpcprimsPeerListener() {
            @Override
            public void onFrame(int channel, java.nio.ByteBuffer payload) {
                throw new IllegalStateException("boom");
            }

            @Override
            public void onClosed(IpcprimsPeer peer, IpcException cause) {
                closed.set(cause);
            }
        });
        final MemoryConnection conn = new MemoryConnection();
        p.onOpen(conn);
        p.onData(conn, java.nio.ByteBuffer.wrap(REQUEST));
        p.onData(conn, java.nio.ByteBuffer.wrap(frame(1, "x")));
        assertEquals(ErrorCode.INTERNAL, closed.get().code());
        assertTrue(!conn.isOpen());
    }

    @Test
    void shouldEnforceTheHandshakeDeadlineWithATimer() throws InterruptedException {
        final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        try {
            final CountDownLatch done = new CountDownLatch(1);
            final AtomicReference<IpcException> cause = new AtomicReference<>();
            final IpcprimsPeer p = new IpcprimsPeer(IpcprimsConfig.server()
                    .withTimeouts(Duration.ofMillis(20), Duration.ofSeconds(5)).withTimer(timer, null),
                    new IpcprimsPeerListener() {
                        @Override
                        public void onFrame(int channel, java.nio.ByteBuffer payload) {
                        }

                        @Override
                        public void onClosed(IpcprimsPeer peer, IpcException c) {
                            cause.set(c);
                            done.countDown();
                        }
                    });
            p.onOpen(new MemoryConnection());
            assertTrue(done.await(30, TimeUnit.SECONDS));
            assertEquals(ErrorCode.HANDSHAKE_TIMEOUT, cause.get().code());
        } finally {
            timer.shutdownNow();
        }
    }
}
