package org.eipc.service.registry.impl;

import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

import org.eipc.api.Message;
import org.eipc.api.PeerIdentity;
import org.eipc.api.SendResult;
import org.eipc.api.Session;

/** A session that records replies; open until closed. */
final class FakeSession implements Session {
    final List<Message> replies = new CopyOnWriteArrayList<>();
    private final String id;
    private final PeerIdentity peer;
    private volatile boolean open = true;

    FakeSession(String id, String serviceId, String... caps) {
        this.id = id;
        this.peer = new PeerIdentity(serviceId, Set.of(caps), OptionalInt.empty(), OptionalInt.empty(), "");
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public PeerIdentity peer() {
        return peer;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public SendResult send(Message message) {
        return SendResult.OK;
    }

    @Override
    public CompletionStage<Void> whenWritable() {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Message> request(Message message, Duration timeout) {
        throw new UnsupportedOperationException();
    }

    @Override
    public SendResult reply(Message request, Message reply) {
        replies.add(reply);
        return SendResult.OK;
    }

    @Override
    public void close() {
        open = false;
    }
}
