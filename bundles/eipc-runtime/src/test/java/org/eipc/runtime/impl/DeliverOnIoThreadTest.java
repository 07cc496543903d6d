package org.eipc.runtime.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.eipc.api.Header;
import org.eipc.api.Message;
import org.eipc.api.MessageType;
import org.eipc.api.Session;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code deliverOnIoThread}: handlers and reply completions run on the transport's I/O thread, in order. */
class DeliverOnIoThreadTest extends OneRuntime {
    @TempDir
    Path dir;

    @Test
    void handlersRunOnTheIoThreadAndRequestsCompleteInOrder() throws Exception {
        List<String> handlerThreads = new CopyOnWriteArrayList<>();
        EndpointSettings ss = Harness.settings("host");
        ss.deliverOnIoThread = true;
        ServerEndpointImpl server = h.server(ss, (s, m) -> {
            handlerThreads.add(Thread.currentThread().getName());
            s.reply(m, m);
        }, URI.create("unix://" + dir.resolve("io.sock")));
        EndpointSettings cs = Harness.settings("app");
        cs.deliverOnIoThread = true;
        Session app = h.client(cs, (s, m) -> { }, server.address()).connect().toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        List<String> completionThreads = new CopyOnWriteArrayList<>();
        for (long i = 0; i < 2000; i++) {
            Message m = Message.of(MessageType.INTENT, Header.builder().build(), ByteBuffer.allocate(8).putLong(i).array());
            long want = i;
            Message reply = app.request(m, Duration.ofSeconds(10)).toCompletableFuture()
                    .whenComplete((r, e) -> completionThreads.add(Thread.currentThread().getName()))
                    .get(15, TimeUnit.SECONDS);
            assertEquals(want, reply.payload().getLong(0));
        }
        assertEquals(2000, handlerThreads.size());
        assertTrue(handlerThreads.stream().allMatch(t -> t.startsWith("eipc-unix-io")), handlerThreads.get(0));
        assertTrue(completionThreads.stream().allMatch(t -> t.startsWith("eipc-unix-io") || t.equals("main")),
                completionThreads.get(0));
    }
}
