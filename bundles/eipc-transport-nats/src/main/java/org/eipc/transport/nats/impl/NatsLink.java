package org.eipc.transport.nats.impl;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.Consumer;
import io.nats.client.Dispatcher;
import io.nats.client.ErrorListener;
import io.nats.client.Message;
import io.nats.client.MessageHandler;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;

/**
 * One NATS client connection (to one server list) shared by every listener and stream connection of a
 * transport that uses those servers, with one dispatcher thread delivering all their messages in order.
 *
 * <p>When the NATS connection drops, every stream connection on it is closed at once with
 * {@link ErrorCode#TRANSPORT_IO}: messages in flight at that moment may be lost, and a session must never
 * continue over a stream with a hole; it resumes over a new connection (which this link offers again as soon as
 * the client has reconnected to any node of the cluster).
 */
final class NatsLink implements ConnectionListener, ErrorListener {
    private static final Logger LOG = LoggerFactory.getLogger(NatsLink.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HexFormat HEX = HexFormat.of();
    private static final int CONGESTED_MESSAGES = 16;

    private final String servers;
    private final Executor events;
    private final ConcurrentHashMap<String, StreamConnection> routes = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, String> clientTokens = new ConcurrentHashMap<>();
    private final AtomicLong slowConsumers = new AtomicLong();
    private volatile Connection nc;
    private volatile Dispatcher dispatcher;
    private volatile boolean closed;

    NatsLink(String servers, Executor events) {
        this.servers = servers;
        this.events = events;
    }

    /** Connects (blocking, bounded by the options' connection timeout). */
    void connect(Options.Builder options, long pendingMessages, long pendingBytes) {
        try {
            Connection c = Nats.connect(options.connectionListener(this).errorListener(this).build());
            Dispatcher d = c.createDispatcher(this::route);
            d.setPendingLimits(pendingMessages, pendingBytes);
            this.dispatcher = d;
            this.nc = c;
        } catch (IOException e) {
            throw new IpcException(ErrorCode.CONNECT_FAILED, "cannot connect to NATS " + servers + ": "
                    + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IpcException(ErrorCode.CONNECT_FAILED, "interrupted while connecting to NATS " + servers, e);
        }
        LOG.debug("connected to NATS {} ({})", servers, nc.getConnectedUrl());
    }

    /** True while this link can carry new connections (connected, not reconnecting). */
    boolean isConnected() {
        Connection c = nc;
        return !closed && c != null && c.getStatus() == Connection.Status.CONNECTED;
    }

    boolean isClosed() {
        Connection c = nc;
        return closed || c == null || c.getStatus() == Connection.Status.CLOSED;
    }

    Connection nats() {
        return nc;
    }

    String servers() {
        return servers;
    }

    static String randomToken() {
        byte[] b = new byte[8];
        RANDOM.nextBytes(b);
        return HEX.formatHex(b);
    }

    /** This process's inbox token under {@code prefix}; subscribes {@code prefix.c.<token>.*} once. */
    String clientToken(String prefix) {
        return clientTokens.computeIfAbsent(prefix, p -> {
            String token = randomToken();
            dispatcher.subscribe(p + ".c." + token + ".*");
            return token;
        });
    }

    /** Subscribes {@code subject} (wildcards allowed) with the routing handler. */
    void subscribeRoutes(String subject) {
        dispatcher.subscribe(subject);
    }

    void unsubscribeRoutes(String subject) {
        try {
            dispatcher.unsubscribe(subject);
        } catch (IllegalStateException e) {
            LOG.debug("unsubscribe {}: {}", subject, e.getMessage());
        }
    }

    Subscription subscribe(String subject, MessageHandler handler) {
        return dispatcher.subscribe(subject, handler);
    }

    void unsubscribe(Subscription s) {
        try {
            dispatcher.unsubscribe(s);
        } catch (IllegalStateException e) {
            LOG.debug("unsubscribe: {}", e.getMessage());
        }
    }

    void register(StreamConnection c) {
        routes.put(c.inSubject(), c);
    }

    boolean hasRoute(String subject) {
        return routes.containsKey(subject);
    }

    void unregister(StreamConnection c) {
        routes.remove(c.inSubject(), c);
    }

    int connections() {
        return routes.size();
    }

    void execute(Runnable r) {
        try {
            events.execute(r);
        } catch (RejectedExecutionException e) {
            r.run(); // the transport is stopping: deliver the last events here
        }
    }

    /** The largest stream slice per message: the configured limit within the server's max_payload. */
    int chunkLimit(int configured) {
        Connection c = nc;
        long max = c == null ? configured : c.getMaxPayload() - Packet.HEADER_LENGTH;
        return (int) Math.max(1, Math.min(configured, max));
    }

    void publish(String subject, String replyTo, byte[] body) {
        Connection c = nc;
        if (c == null || closed) {
            throw new IpcException(ErrorCode.CONNECTION_CLOSED, "NATS link " + servers + " is closed");
        }
        try {
            c.publish(subject, replyTo, body);
        } catch (IllegalStateException | IllegalArgumentException e) {
            throw new IpcException(ErrorCode.TRANSPORT_IO, "NATS publish failed: " + e.getMessage(), e);
        }
    }

    /** True when the NATS client's outgoing queue holds more than a few messages: worth coalescing. */
    boolean congested() {
        Connection c = nc;
        return c != null && c.outgoingPendingMessageCount() > CONGESTED_MESSAGES;
    }

    boolean slowConsumerReported() {
        return slowConsumers.get() > 0;
    }

    long slowConsumerEvents() {
        return slowConsumers.get();
    }

    private void route(Message m) {
        StreamConnection c = routes.get(m.getSubject());
        if (c != null) {
            c.onPacket(m.getData());
            return;
        }
        // a connection we no longer know: tell the sender, if it said where (acks and heartbeats do)
        byte[] p = m.getData();
        String replyTo = m.getReplyTo();
        if (replyTo != null && Packet.isValid(p) && Packet.RST != Packet.kind(p) && !closed) {
            try {
                nc.publish(replyTo, Packet.allocate(Packet.RST, 0, 0, 0, 0));
            } catch (IllegalStateException | IllegalArgumentException e) {
                LOG.debug("reset to {} not sent: {}", replyTo, e.getMessage());
            }
        }
    }

    void tick(long now) {
        for (StreamConnection c : routes.values()) {
            c.tick(now);
        }
    }

    private void failAll(ErrorCode code, String why) {
        List<StreamConnection> all = new ArrayList<>(routes.values());
        for (StreamConnection c : all) {
            c.fail(new IpcException(code, why), false);
        }
    }

    // ---- jnats callbacks (its callback thread) ---------------------------------------------------------------

    @Override
    public void connectionEvent(Connection conn, Events type) {
        switch (type) {
            case DISCONNECTED:
                LOG.warn("NATS connection to {} lost; closing its {} stream connection(s) so their sessions resume",
                        servers, routes.size());
                failAll(ErrorCode.TRANSPORT_IO, "NATS connection to " + servers
                        + " lost; messages in flight may be lost, so this connection is closed");
                break;
            case CLOSED:
                failAll(ErrorCode.CONNECTION_CLOSED, "NATS connection to " + servers + " closed");
                break;
            case RECONNECTED:
                LOG.info("NATS connection to {} re-established at {}", servers, conn.getConnectedUrl());
                break;
            case LAME_DUCK:
                LOG.info("NATS server {} entered lame duck mode", conn.getConnectedUrl());
                break;
            default:
                LOG.debug("NATS {}: {}", servers, type);
        }
    }

    @Override
    public void slowConsumerDetected(Connection conn, Consumer consumer) {
        long n = slowConsumers.incrementAndGet();
        if (n == 1 || Long.bitCount(n) == 1) { // 1, 2, 4, 8, ...: de-duplicated
            LOG.warn("NATS client dropped messages for a slow consumer on {} ({} times, {} dropped so far); "
                    + "the affected connections close and their sessions resume", servers, n,
                    consumer.getDroppedCount());
        }
    }

    @Override
    public void errorOccurred(Connection conn, String error) {
        LOG.warn("NATS server {} reported: {}", servers, error);
    }

    @Override
    public void exceptionOccurred(Connection conn, Exception exp) {
        LOG.debug("NATS client {}: {}", servers, exp.toString());
    }

    void close() {
        closed = true;
        failAll(ErrorCode.CONNECTION_CLOSED, "NATS transport closed");
        Connection c = nc;
        if (c != null) {
            try {
                c.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
