package org.eipc.transport.nats.impl;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.regex.Pattern;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;
import org.eipc.spi.transport.Connection;
import org.eipc.spi.transport.ConnectionHandler;
import org.eipc.spi.transport.Listener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.nats.client.Message;
import io.nats.client.Subscription;

/**
 * Answers connect requests on {@code <prefix>.accept}. Each accepted connection gets the subject
 * {@code <prefix>.s.<listener token>.<client token>.<n>}; one wildcard subscription per listener covers them all
 * and stays until the listener and every connection it accepted are closed.
 */
final class NatsListener implements Listener {
    private static final Logger LOG = LoggerFactory.getLogger(NatsListener.class);
    /** A client's connection id: its 16-hex-digit token, a dot, a decimal counter. */
    private static final Pattern CLIENT_ID = Pattern.compile("[0-9a-f]{16}\\.[0-9]{1,19}");

    private final NatsLink link;
    private final NatsAddress address;
    private final NatsSettings settings;
    private final Function<Connection, ConnectionHandler> handlers;
    private final String token = NatsLink.randomToken();
    private final String routeSubject;
    private final AtomicInteger refs = new AtomicInteger(1);
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicLong accepted = new AtomicLong();
    private final Subscription acceptSubscription;

    NatsListener(NatsLink link, NatsAddress address, NatsSettings settings,
            Function<Connection, ConnectionHandler> handlers) {
        this.link = link;
        this.address = address;
        this.settings = settings;
        this.handlers = handlers;
        this.routeSubject = address.prefix() + ".s." + token;
        link.subscribeRoutes(routeSubject + ".>");
        this.acceptSubscription = link.subscribe(address.acceptSubject(), this::onRequest);
    }

    @Override
    public URI address() {
        return address.uri();
    }

    /** Connect requests and probes. NATS dispatcher thread. */
    private void onRequest(Message m) {
        try {
            answer(m);
        } catch (RuntimeException e) {
            LOG.debug("connect request on {} not answered: {}", address, e.toString());
        }
    }

    private void answer(Message m) {
        byte[] p = m.getData();
        String replyTo = m.getReplyTo();
        if (closed.get() || replyTo == null || !Packet.isValid(p)) {
            return; // not a request we can answer; a closed listener lets the client time out or see no responders
        }
        if (Packet.PROBE == Packet.kind(p)) {
            link.publish(replyTo, null, Packet.allocate(Packet.REFUSE, 0, 0, 0, 0));
            return;
        }
        int n = Packet.payloadLength(p);
        if (Packet.OPEN != Packet.kind(p) || n > 40) {
            return;
        }
        String clientId = new String(p, Packet.HEADER_LENGTH, n, StandardCharsets.US_ASCII);
        if (!CLIENT_ID.matcher(clientId).matches()) {
            LOG.debug("connect request with a malformed id on {}", address);
            return;
        }
        String in = routeSubject + "." + clientId;
        String out = address.prefix() + ".c." + clientId;
        if (link.hasRoute(in)) {
            return; // a repeated (or replayed) request for a live connection
        }
        refs.incrementAndGet();
        StreamConnection c = new StreamConnection(link, settings, "nats-" + token + "-" + accepted.incrementAndGet(),
                in, address.uri(), URI.create("nats://" + address.serverKey() + "/" + out), this::release);
        ConnectionHandler h;
        try {
            h = handlers.apply(c);
        } catch (RuntimeException e) {
            LOG.warn("handler factory of {} threw; connection refused", address, e);
            h = null;
        }
        if (h == null) {
            release();
            link.publish(replyTo, null, Packet.allocate(Packet.REFUSE, 0, 0, 0, 0));
            return;
        }
        c.peer(out, Packet.seq(p), h);
        link.register(c);
        byte[] reply = Packet.allocate(Packet.ACCEPT, settings.window(), 0, 0, token.length());
        System.arraycopy(token.getBytes(StandardCharsets.US_ASCII), 0, reply, Packet.HEADER_LENGTH, token.length());
        try {
            link.publish(replyTo, null, reply);
        } catch (RuntimeException e) {
            c.fail(new IpcException(ErrorCode.TRANSPORT_IO, "accept reply not sent: " + e.getMessage()), true);
            return;
        }
        c.open(true);
    }

    private void release() {
        if (refs.decrementAndGet() == 0) {
            link.unsubscribeRoutes(routeSubject + ".>");
        }
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            link.unsubscribe(acceptSubscription);
            release();
        }
    }

    @Override
    public String toString() {
        return "NatsListener[" + address + "]";
    }
}
