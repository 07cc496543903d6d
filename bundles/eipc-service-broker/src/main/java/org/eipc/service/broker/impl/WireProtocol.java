package org.eipc.service.broker.impl;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.eipc.api.ErrorCode;
import org.eipc.api.Header;
import org.eipc.api.IpcException;
import org.eipc.api.Message;
import org.eipc.api.MessageType;
import org.eipc.api.Session;
import org.eipc.service.broker.PublishResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker for remote peers: messages whose header {@code route} starts with {@code broker.} (the protocol is
 * in this bundle's README). Called on the runtime's delivery threads; never blocks. A request (non-empty
 * {@code request_id}) gets a {@code broker.status} reply or, for {@code broker.request.*}, the service's reply;
 * a bad message without a request id is counted and dropped.
 */
final class WireProtocol {
    private static final Logger LOG = LoggerFactory.getLogger(WireProtocol.class);

    private final BrokerCore core;
    private final Map<String, RemotePeer> peers = new ConcurrentHashMap<>();
    private final String requestPrefix;
    private final AtomicLong requests = new AtomicLong();
    private final LongAdder rejected = new LongAdder();

    WireProtocol(final BrokerCore core) {
        this.core = core;
        final byte[] nonce = new byte[6];
        new SecureRandom().nextBytes(nonce);
        // unique per broker instance: a restarted broker's ids never meet replies meant for the previous one
        this.requestPrefix = "brk-" + HexFormat.of().formatHex(nonce) + "-";
    }

    void onMessage(final Session session, final Message message) {
        final String route = message.header().route();
        if (!route.startsWith(Routes.PREFIX) || !core.isOpen()) {
            return;
        }
        try {
            dispatch(session, message, route);
        } catch (IpcException e) {
            fail(session, message, e);
        }
    }

    private void dispatch(final Session s, final Message m, final String route) {
        if (route.startsWith(Routes.PUBLISH)) {
            final PublishResult r = core.publish(route.substring(Routes.PUBLISH.length()), m, s.peer().serviceId());
            ok(s, m, r.matched(), r.enqueued(), r.dropped());
        } else if (route.startsWith(Routes.SUBSCRIBE)) {
            peer(s).subscribe(route.substring(Routes.SUBSCRIBE.length()), WireJson.options(m.payload()));
            ok(s, m, -1, 0, 0);
        } else if (route.startsWith(Routes.UNSUBSCRIBE)) {
            final RemotePeer p = peers.get(s.id());
            if (p != null) {
                p.unsubscribe(route.substring(Routes.UNSUBSCRIBE.length()));
            }
            ok(s, m, -1, 0, 0);
        } else if (route.startsWith(Routes.REQUEST)) {
            if (m.header().requestId().isEmpty()) {
                throw new IpcException(ErrorCode.PROTOCOL_VIOLATION, "broker.request needs a request_id");
            }
            final Duration timeout = Duration.ofMillis(core.settings().maxRequestTimeoutMillis());
            core.request(route.substring(Routes.REQUEST.length()), m, timeout, s.peer().serviceId())
                    .whenComplete((reply, e) -> {
                        if (e != null) {
                            fail(s, m, BrokerCore.failure(e));
                        } else {
                            s.reply(m, reply);
                        }
                    });
        } else if (route.startsWith(Routes.REGISTER)) {
            peer(s).register(Topics.service(route.substring(Routes.REGISTER.length())));
            ok(s, m, -1, 0, 0);
        } else if (route.startsWith(Routes.UNREGISTER)) {
            final RemotePeer p = peers.get(s.id());
            if (p != null) {
                p.unregister(route.substring(Routes.UNREGISTER.length()));
            }
            ok(s, m, -1, 0, 0);
        } else if (!route.startsWith(Routes.DELIVER) && !route.startsWith(Routes.CANCELLED)
                && !route.equals(Routes.STATUS)) { // those go from a broker to a peer: not ours to serve
            throw new IpcException(ErrorCode.PROTOCOL_VIOLATION, "unknown broker route");
        }
    }

    private RemotePeer peer(final Session s) {
        return peers.computeIfAbsent(s.id(), id -> new RemotePeer(s, core, this));
    }

    private static void ok(final Session s, final Message m, final int matched, final int enqueued,
            final int dropped) {
        if (!m.header().requestId().isEmpty()) {
            s.reply(m, status(m, WireJson.ok(matched, enqueued, dropped)));
        }
    }

    private void fail(final Session s, final Message m, final IpcException e) {
        if (!m.header().requestId().isEmpty()) {
            s.reply(m, status(m, WireJson.error(e)));
        } else {
            rejected.increment();
            LOG.debug("broker message from session {} refused: {}", s.id(), e.getMessage());
        }
    }

    private static Message status(final Message request, final byte[] json) {
        return Message.of(MessageType.ACK, Header.builder().priority(request.header().priority())
                .route(Routes.STATUS).build(), json);
    }

    String nextRequestId() {
        return requestPrefix + requests.incrementAndGet();
    }

    void removed(final RemotePeer peer) {
        peers.remove(peer.session().id(), peer);
    }

    /** Drops what closed sessions held. Run periodically. */
    void sweep() {
        for (RemotePeer p : peers.values()) {
            if (!p.session().isOpen()) {
                p.sessionClosed();
            }
        }
    }

    /** Remote sessions holding subscriptions or services. */
    int peers() {
        return peers.size();
    }

    /** Refused messages that carried no request id to answer. */
    long rejected() {
        return rejected.sum();
    }
}
