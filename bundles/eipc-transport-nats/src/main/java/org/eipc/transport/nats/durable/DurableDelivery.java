package org.eipc.transport.nats.durable;

import java.nio.ByteBuffer;
import java.time.Instant;

import org.eipc.api.MessageType;
import org.osgi.annotation.versioning.ProviderType;

/**
 * One verified message of a durable channel, as handed to a {@link DurableHandler}. Every value comes from the
 * MAC-verified frame except the stream sequence and the delivery count, which JetStream assigns. Immutable.
 */
@ProviderType
public interface DurableDelivery {

    /** @return the channel the message was published on (never a pattern) */
    String channel();

    /**
     * @return the JetStream stream sequence: unique per stored message and increasing in delivery order, the
     *         idempotency key for a handler that must not act twice on one message
     */
    long streamSequence();

    /**
     * @return the publisher's message id, {@code <publisher>/<instance>/<sequence>}: unique per accepted message
     *         and covered by the MAC, an idempotency key that does not depend on the NATS servers' honesty
     */
    String messageId();

    /** @return 1 on the first delivery, 2 on the first redelivery, and so on */
    long deliveryCount();

    /** @return how often this message was delivered before: {@code deliveryCount() - 1} */
    default long redeliveries() {
        return deliveryCount() - 1;
    }

    /** @return the message type */
    MessageType type();

    /** @return the publishing host's id (its configured {@code hostId}) */
    String publisher();

    /** @return when the publisher signed the message */
    Instant publishedAt();

    /** @return a read-only view of the payload, positioned at 0 */
    ByteBuffer payload();

    /** @return a copy of the payload */
    default byte[] payloadBytes() {
        ByteBuffer p = payload();
        byte[] b = new byte[p.remaining()];
        p.get(b);
        return b;
    }
}
