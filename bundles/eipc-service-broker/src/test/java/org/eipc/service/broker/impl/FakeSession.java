package org.eipc.service.broker.impl;

import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;
import org.eipc.api.Message;
import org.eipc.api.PeerIdentity;
import org.eipc.api.SendResult;
import org.eipc.api.Session;

/**
 * A session in memory: records what is sent, answers {@code send} with a settable result (back-pressure on
 * demand, {@link #release()} completes {@code whenWritable}), hands requests to the test through {@link #requests}.
 */
final class FakeSession implements Session {
    final List<Message> sent = new CopyOnWriteArrayList<>();
    final LinkedBlockingQueue<Message> inbox = new LinkedBlockingQueue<>();
    final LinkedBlockingQueue<Pending> requests = new LinkedBlockingQueue<>();
    private final String id;
    private final String serviceId;
    private volatile boolean open = true;
    private volatile boolean backPressure;
    final java.util.concurrent.atomic.AtomicInteger refused = new java.util.concurrent.atomic.AtomicInteger();
    private CompletableFuture<Void> writable = new CompletableFuture<>();

    record Pending(Message message, CompletableFuture<Message> reply) {
    }

    FakeSession(final String id, final String serviceId) {
        this.id = id;
        this.serviceId = serviceId;
    }

    void backPressure(final boolean on) {
        backPressure = on;
    }

    /** Ends back-pressure and completes the pending {@code whenWritable}. */
    void release() {
        final CompletableFuture<Void> w;
        synchronized (this) {
            backPressure = false;
            w = writable;
            writable = new CompletableFuture<>();
        }
        w.complete(null);
    }

    Message take() throws InterruptedException {
        final Message m = inbox.poll(10, TimeUnit.SECONDS);
        if (m == null) {
            throw new AssertionError("nothing sent to session " + id + " within 10 s");
        }
        return m;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public PeerIdentity peer() {
        return new PeerIdentity(serviceId, Set.of(), OptionalInt.empty(), OptionalInt.empty(), null);
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public SendResult send(final Message message) {
        if (!open) {
            return SendResult.CLOSED;
        }
        if (backPressure) {
            refused.incrementAndGet();
            return SendResult.BACK_PRESSURE;
        }
        sent.add(message);
        inbox.add(message);
        return SendResult.OK;
    }

    @Override
    public synchronized CompletionStage<Void> whenWritable() {
        return backPressure ? writable : CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Message> request(final Message message, final Duration timeout) {
        final CompletableFuture<Message> f = new CompletableFuture<>();
        if (!open) {
            f.completeExceptionally(new IpcException(ErrorCode.CONNECTION_CLOSED, "session is closed"));
        } else {
            requests.add(new Pending(message, f));
        }
        return f;
    }

    @Override
    public SendResult reply(final Message request, final Message reply) {
        return send(reply.withHeader(reply.header().toBuilder().requestId(request.header().requestId()).build()));
    }

    @Override
    public void close() {
        open = false;
    }
}
