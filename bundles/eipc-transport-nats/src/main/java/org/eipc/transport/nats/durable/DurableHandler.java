package org.eipc.transport.nats.durable;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Receives the messages of one durable channel (or channel pattern). Applications register it as an OSGi service
 * (whiteboard) with the service property {@link #PROP_CHANNEL}, and optionally {@link #PROP_DURABLE_NAME}.
 *
 * <p>For each (durable name, channel) JetStream keeps one durable consumer: what it has acknowledged survives
 * restarts of this host, so a handler registered again under the same name resumes after the last message it
 * acknowledged, and receives what was published while it was away.
 *
 * <p>Called on one thread per registered handler, one message at a time, in stream order.
 */
@ConsumerType
@FunctionalInterface
public interface DurableHandler {

    /**
     * Service property (String): the channel, or a channel pattern with {@code *} (one token) and {@code >} (the
     * rest), for example {@code orders} or {@code orders.>}. Required; it must lie within the configured durable
     * channels.
     */
    String PROP_CHANNEL = "eipc.durable.channel";

    /**
     * Service property (String, optional): the durable consumer's name, {@code [A-Za-z0-9_-]}, at most 64
     * characters. Default: the configured {@code hostId}. Handlers with different names each get every message;
     * a second handler with the same name and channel on one host is refused.
     */
    String PROP_DURABLE_NAME = "eipc.durable.name";

    /**
     * Handles one message. Returning normally acknowledges it (after the return); throwing makes JetStream
     * deliver it again after the configured delay, up to the configured number of redeliveries, after which
     * it is terminated, counted and logged, and later messages flow on.
     *
     * <p>A message whose handler returned may still be delivered again when the host stops abruptly before the
     * acknowledgement reached the server: use {@link DurableDelivery#streamSequence()} (or
     * {@link DurableDelivery#messageId()}) to recognise it.
     *
     * @param delivery the message; valid during and after the call
     * @throws Exception to have the message delivered again
     */
    void onMessage(DurableDelivery delivery) throws Exception;
}
