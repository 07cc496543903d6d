package org.eipc.service.broker.impl;

import java.util.concurrent.CompletionStage;

import org.eipc.api.Header;
import org.eipc.api.Message;
import org.eipc.api.MessageType;
import org.eipc.api.Priority;
import org.eipc.api.Session;

/**
 * A remote subscriber: deliveries are {@link Session#send}s. {@code BACK_PRESSURE} from the session makes the
 * subscription wait for {@link Session#whenWritable()} while its queue applies the overflow policy; {@code CLOSED}
 * ends it.
 */
final class SessionSink implements Sink {
    private final RemotePeer peer;

    SessionSink(final RemotePeer peer) {
        this.peer = peer;
    }

    @Override
    public int deliver(final String topic, final Message message) {
        final Session s = peer.session();
        // an IpcException (FRAME_TOO_LARGE: the route made it too long) is counted by the outbox as failed
        switch (s.send(message)) {
            case OK:
                return DELIVERED;
            case BACK_PRESSURE:
                return BUSY;
            default:
                peer.sessionClosed();
                return GONE;
        }
    }

    @Override
    public CompletionStage<?> whenReady() {
        return peer.session().whenWritable();
    }

    @Override
    public void cancelled(final Outbox outbox, final String reason) {
        peer.cancelled(outbox);
        final Session s = peer.session();
        if (s.isOpen()) { // best effort: tell the peer, on the highest lane
            s.send(Message.of(MessageType.ACK, Header.builder().priority(Priority.P0)
                    .route(Routes.CANCELLED + outbox.pattern()).build(), WireJson.reason(reason)));
        }
    }
}
