package org.eipc.transport.nats.impl;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.eipc.api.ErrorCode;
import org.eipc.api.Header;
import org.eipc.api.IpcException;
import org.eipc.api.Message;
import org.eipc.api.MessageType;
import org.eipc.api.Priority;
import org.eipc.api.SendResult;
import org.eipc.api.Session;

/**
 * Sends "m0".."m(N-1)" on lane P2, waiting out back-pressure with {@code whenWritable}, and every
 * {@code requestEvery} messages a request "q<N>" on P0 whose reply must be "re:q<N>".
 */
final class NumberedSender {
    private NumberedSender() {
    }

    static CompletableFuture<List<CompletableFuture<Message>>> start(Session s, int count, int requestEvery) {
        CompletableFuture<List<CompletableFuture<Message>>> done = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            List<CompletableFuture<Message>> replies = new ArrayList<>();
            try {
                for (int i = 0; i < count; i++) {
                    Message m = Message.of(MessageType.INTENT, Header.builder().priority(Priority.P2).build(),
                            NumberedSink.payload(i));
                    while (s.send(m) == SendResult.BACK_PRESSURE) {
                        s.whenWritable().toCompletableFuture().get(60, TimeUnit.SECONDS);
                    }
                    if (requestEvery > 0 && i % requestEvery == 0) {
                        Message q = Message.of(MessageType.TOOL_REQUEST,
                                Header.builder().priority(Priority.P0).build(),
                                ("q" + i).getBytes(StandardCharsets.US_ASCII));
                        replies.add(request(s, q));
                    }
                }
                done.complete(replies);
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        }, "numbered-sender");
        t.setDaemon(true);
        t.start();
        return done;
    }

    /** A request, waiting out a full send buffer (the runtime fails it at once with QUOTA_EXCEEDED then). */
    private static CompletableFuture<Message> request(Session s, Message q) throws Exception {
        while (true) {
            CompletableFuture<Message> f = s.request(q, Duration.ofSeconds(60)).toCompletableFuture();
            if (!f.isCompletedExceptionally()) {
                return f;
            }
            try {
                f.join();
            } catch (java.util.concurrent.CompletionException e) {
                if (!(e.getCause() instanceof IpcException)
                        || ((IpcException) e.getCause()).code() != ErrorCode.QUOTA_EXCEEDED) {
                    throw e;
                }
            }
            s.whenWritable().toCompletableFuture().get(60, TimeUnit.SECONDS);
        }
    }

    /** Waits for every reply and checks it answers its request. */
    static void assertReplies(List<CompletableFuture<Message>> replies, int requestEvery) throws Exception {
        for (int k = 0; k < replies.size(); k++) {
            Message r = replies.get(k).get(60, TimeUnit.SECONDS);
            String text = new String(r.payloadBytes(), StandardCharsets.US_ASCII);
            if (!text.equals("re:q" + (k * requestEvery))) {
                throw new AssertionError("reply " + k + " is '" + text + "'");
            }
        }
    }

    /** The host side: replies "re:" + payload to requests, counts everything else. */
    static org.eipc.api.MessageHandler host(NumberedSink sink) {
        return (session, m) -> {
            if (!m.header().requestId().isEmpty()) {
                byte[] p = m.payloadBytes();
                byte[] r = new byte[p.length + 3];
                r[0] = 'r';
                r[1] = 'e';
                r[2] = ':';
                System.arraycopy(p, 0, r, 3, p.length);
                session.reply(m, Message.of(MessageType.INTENT,
                        Header.builder().priority(Priority.P0).build(), r));
            } else {
                sink.add(m);
            }
        };
    }
}
