package org.eipc.runtime.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.eipc.api.Header;
import org.eipc.api.Message;
import org.eipc.api.MessageType;
import org.eipc.api.SendResult;
import org.eipc.api.Session;
import org.eipc.spi.runtime.MessageTap;
import org.junit.jupiter.api.Test;

/**
 * A sender that holds a session's send lock for long (here: stuck in an outbound tap, which runs inside its flush)
 * must not stop that session's receive side or the transport's I/O thread. The I/O thread acknowledges what it
 * received every {@code ackEvery} messages; that acknowledgement needs the send lock, and it used to wait for it
 * while holding the receive lock, so the handler got nothing more until the sender let go. Now the acknowledgement
 * is left to the lock's holder and goes out as soon as it lets go.
 */
class SendLockTest extends TwoRuntimes {
    private static final int MESSAGES = 1000; // above ackEvery (256), within the receive window (4096)

    private static Message message(String route, long n) {
        return Message.of(MessageType.FEATURES, Header.builder().route(route).build(),
                ByteBuffer.allocate(8).putLong(n).array());
    }

    @Test
    void aSenderStuckInsideItsFlushStopsNeitherReceivingNorAcknowledging() throws Exception {
        AtomicReference<Session> hostSide = new AtomicReference<>();
        ServerEndpointImpl server = serverSide.server(Harness.settings("host"), (s, m) -> hostSide.set(s),
                URI.create("tcp://127.0.0.1:0"));
        AtomicInteger received = new AtomicInteger();
        ClientEndpointImpl client = clientSide.client(Harness.settings("app"), (s, m) -> received.incrementAndGet(),
                server.address());
        Session app = client.connect().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals(SendResult.OK, app.send(message("hello", 0)));
        HardenedHandshakeTest.waitFor(() -> hostSide.get() != null);
        SessionImpl host = (SessionImpl) hostSide.get();

        CountDownLatch inTap = new CountDownLatch(1);
        CountDownLatch letGo = new CountDownLatch(1);
        clientSide.ctx.hooks.addTap((direction, ctx, m, at) -> {
            if (direction == MessageTap.Direction.OUTBOUND && m.header().route().equals("stuck")) {
                inTap.countDown();
                try {
                    letGo.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        CompletableFuture<SendResult> stuck = CompletableFuture.supplyAsync(() -> app.send(message("stuck", 1)));
        assertTrue(inTap.await(10, TimeUnit.SECONDS), "the sender is inside its flush, holding the send lock");

        try {
            for (long i = 1; i <= MESSAGES; i++) {
                assertEquals(SendResult.OK, host.send(message("data", i)), "host message " + i);
            }
            // every message reaches the client's handler although its I/O thread had acknowledgements to send
            HardenedHandshakeTest.waitFor(() -> received.get() == MESSAGES);
            assertFalse(stuck.isDone(), "the sender is still stuck: the lock was held all along");
            assertTrue(host.inFlight() > 0, "nothing acknowledged while the lock is held");
        } finally {
            letGo.countDown();
        }
        assertEquals(SendResult.OK, stuck.get(10, TimeUnit.SECONDS));
        // the acknowledgement left with the lock's holder went out when it let go
        HardenedHandshakeTest.waitFor(() -> host.inFlight() == 0);
        app.close();
    }
}
