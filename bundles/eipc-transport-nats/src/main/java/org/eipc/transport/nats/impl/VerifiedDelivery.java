package org.eipc.transport.nats.impl;

import java.nio.ByteBuffer;
import java.time.Instant;

import org.eipc.api.MessageType;
import org.eipc.transport.nats.durable.DurableDelivery;

/** A delivery whose frame verified; the payload is a read-only view of the message body, which nothing reuses. */
record VerifiedDelivery(String channel, long streamSequence, String messageId, long deliveryCount,
        MessageType type, String publisher, Instant publishedAt, ByteBuffer payloadView) implements DurableDelivery {

    @Override
    public ByteBuffer payload() {
        return payloadView.asReadOnlyBuffer().position(0);
    }

    @Override
    public String toString() {
        return "DurableDelivery[" + channel + " #" + streamSequence + " " + messageId + " delivery " + deliveryCount
                + " " + type.wireName() + " " + payloadView.remaining() + " bytes]";
    }
}
