package org.eipc.runtime.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.eipc.api.ErrorCode;
import org.eipc.api.Header;
import org.eipc.api.IpcException;
import org.eipc.api.Message;
import org.eipc.api.MessageType;
import org.eipc.api.Session;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How replies reach their requester in the default mode (handlers on the delivery pool): {@link Session#call} is
 * woken straight from the I/O thread, without a delivery-pool hop; code attached to a {@link Session#request} future
 * runs on the delivery pool, and such a reply does not overtake an earlier message still in its handler.
 */
class ReplyPathTest extends OneRuntime {
    @TempDir
    Path dir;

    private static Message msg(long i) {
        return Message.of(MessageType.INTENT, Header.builder().build(), ByteBuffer.allocate(8).putLong(i).array());
    }

    /**
     * An echo server that answers on its I/O thread (so the test can occupy every delivery thread of the shared
     * runtime) and sends a CHAT message before its reply to the request carrying 1.
     */
    private ServerEndpointImpl echo() {
        EndpointSettings ss = Harness.settings("host");
        ss.deliverOnIoThread = true;
        return h.server(ss, (s, m) -> {
            if (m.type() == MessageType.INTENT) {
                if (m.payload().getLong(0) == 1) {
                    s.send(Message.of(MessageType.CHAT, Header.builder().build(), new byte[] {9}));
                }
                s.reply(m, m);
            }
        }, URI.create("unix://" + dir.resolve("r.sock")));
    }

    private Session connect(ServerEndpointImpl server, org.eipc.api.MessageHandler handler) throws Exception {
        return h.client(Harness.settings("app"), handler, server.address()).connect().toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
    }

    /** Fails if a reply to call() went through the delivery pool: both of its threads are blocked meanwhile. */
    @Test
    void callIsAnsweredWhileEveryDeliveryThreadIsBusy() throws Exception {
        Session app = connect(echo(), (s, m) -> { });
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch busy = new CountDownLatch(2);
        for (int i = 0; i < 2; i++) { // the runtime's two delivery threads
            h.ctx.delivery.execute(() -> {
                busy.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        try {
            assertTrue(busy.await(10, TimeUnit.SECONDS));
            for (long i = 0; i < 500; i++) {
                assertEquals(i, app.call(msg(i), Duration.ofSeconds(10)).payload().getLong(0));
            }
        } finally {
            release.countDown();
        }
    }

    @Test
    void aHandlerMayCallItsPeerSynchronously() throws Exception {
        ServerEndpointImpl server = echo();
        AtomicReference<Object> got = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        Session app = connect(server, (s, m) -> {
            if (m.type() == MessageType.CHAT) { // in this session's handler: a call to the same peer
                try {
                    got.set(s.call(msg(42), Duration.ofSeconds(10)).payload().getLong(0));
                } catch (IpcException e) {
                    got.set(e);
                }
                done.countDown();
            }
        });
        CompletableFuture<Message> first = app.request(msg(1), Duration.ofSeconds(10)).toCompletableFuture();
        assertTrue(done.await(10, TimeUnit.SECONDS), "the nested call returned");
        assertEquals(42L, got.get());
        assertEquals(1, first.get(10, TimeUnit.SECONDS).payload().getLong(0));
    }

    @Test
    void callFromAHandlerOnTheIoThreadFailsAtOnce() throws Exception {
        ServerEndpointImpl server = echo();
        EndpointSettings cs = Harness.settings("app");
        cs.deliverOnIoThread = true;
        AtomicReference<Object> got = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        Session app = h.client(cs, (s, m) -> {
            if (m.type() == MessageType.CHAT && done.getCount() > 0) {
                try {
                    got.set(s.call(msg(7), Duration.ofSeconds(10)));
                } catch (IpcException e) {
                    got.set(e);
                }
                done.countDown();
            }
        }, server.address()).connect().toCompletableFuture().get(10, TimeUnit.SECONDS);
        app.request(msg(1), Duration.ofSeconds(10)).toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertTrue(done.await(10, TimeUnit.SECONDS));
        assertTrue(got.get() instanceof IpcException, String.valueOf(got.get()));
        assertEquals(ErrorCode.ILLEGAL_STATE, ((IpcException) got.get()).code());
    }

    @Test
    void codeAttachedToARequestRunsOnTheDeliveryPool() throws Exception {
        Session app = connect(echo(), (s, m) -> { });
        for (long i = 0; i < 500; i++) {
            long want = i;
            String thread = app.request(msg(i), Duration.ofSeconds(10))
                    .thenApply(r -> {
                        assertEquals(want, r.payload().getLong(0));
                        return Thread.currentThread().getName();
                    }).toCompletableFuture().get(10, TimeUnit.SECONDS);
            // attached before the reply arrived: the pool; after: the attaching thread (this one)
            assertTrue(thread.startsWith("eipc-runtime-deliver") || thread.equals(Thread.currentThread().getName()),
                    thread);
        }
    }

    @Test
    void aRequestsReplyDoesNotOvertakeAMessageInItsHandler() throws Exception {
        CountDownLatch inHandler = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Session app = connect(echo(), (s, m) -> {
            inHandler.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        CompletableFuture<Message> f = app.request(msg(1), Duration.ofSeconds(10)).toCompletableFuture();
        try {
            assertTrue(inHandler.await(10, TimeUnit.SECONDS));
            Thread.sleep(200); // the reply has arrived by now; it must wait behind the CHAT message's handler
            assertFalse(f.isDone(), "the reply overtook the message still in its handler");
        } finally {
            release.countDown();
        }
        assertEquals(1, f.get(10, TimeUnit.SECONDS).payload().getLong(0));
    }

    /**
     * Both sides send requests with generated ids on one session: a request from the peer is never taken for the
     * reply to one of ours (both sides number from 1).
     */
    @Test
    void requestsBothWaysAreNotConfused() throws Exception {
        AtomicReference<Session> hostSide = new AtomicReference<>();
        ServerEndpointImpl server = h.server(Harness.settings("host"), (s, m) -> {
            if (m.type() == MessageType.CHAT) {
                hostSide.set(s); // the host's side of the session, to send its own request on
            } else if (m.type() == MessageType.INTENT) {
                s.reply(m, Message.of(MessageType.ACK, Header.builder().build(), new byte[] {2}));
            }
        }, URI.create("unix://" + dir.resolve("both.sock")));
        AtomicReference<Message> hostsRequest = new AtomicReference<>();
        CountDownLatch gotHostsRequest = new CountDownLatch(1);
        Session app = connect(server, (s, m) -> {
            if (m.type() == MessageType.TOOL_REQUEST) {
                hostsRequest.set(m);
                gotHostsRequest.countDown(); // answered below, after the app's own request
            }
        });
        app.send(Message.of(MessageType.CHAT, Header.builder().build(), new byte[] {0}));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (hostSide.get() == null && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        CompletableFuture<Message> hostCall = hostSide.get()
                .request(Message.of(MessageType.TOOL_REQUEST, Header.builder().build(), new byte[] {1}),
                        Duration.ofSeconds(10)).toCompletableFuture();
        assertTrue(gotHostsRequest.await(10, TimeUnit.SECONDS));
        // the host's request is pending; the app's first request goes the other way
        Message appReply = app.call(msg(5), Duration.ofSeconds(10));
        assertEquals(2, appReply.payload().get(0), "the host's handler answered the app's request");
        app.reply(hostsRequest.get(), Message.of(MessageType.ACK, Header.builder().build(), new byte[] {3}));
        assertEquals(3, hostCall.get(10, TimeUnit.SECONDS).payload().get(0), "the host got the app's reply");
    }
}
