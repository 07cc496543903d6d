package org.eipc.transport.nats.durable;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletionStage;

import org.eipc.api.MessageType;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Publishes messages on durable channels: channels the configuration names as durable, stored in a JetStream
 * stream so that they survive the restart of the receiving host (and, with file storage, of the NATS servers).
 * Registered as an OSGi service by the NATS bundle while its durable configuration is present.
 *
 * <p>Thread-safe. Stages complete on the component's own publish thread: keep their callbacks short and never
 * block in them.
 */
@ProviderType
public interface DurableChannels {

    /**
     * Publishes one message without blocking. The payload's remaining bytes are copied before this method returns
     * (its position is left unchanged), so the caller may reuse the buffer at once. Nothing bounds how many
     * publishes are in flight: a caller that publishes faster than JetStream stores should limit its own window.
     * Messages published from one thread are stored in that order unless a publish had to be retried.
     *
     * <p>The stage completes with the JetStream stream sequence once JetStream has stored the message (on every
     * replica the stream asks for): from then on the message is delivered to every durable consumer of its
     * channel, at least once and in stream order. A publish retried after a lost acknowledgement is stored once
     * (JetStream deduplication on a message id that the MAC covers).
     *
     * @param channel subject tokens {@code [A-Za-z0-9_-]} joined by dots, matching one of the configured durable
     *        channel patterns
     * @param type the message type carried in the frame
     * @param payload the payload, at most about 1 MiB (the frame limit and the servers' {@code max_payload})
     * @return the stream sequence once stored. Fails with an {@link org.eipc.api.IpcException}:
     *         {@link org.eipc.api.ErrorCode#ADDRESS_INVALID} for a malformed channel name,
     *         {@link org.eipc.api.ErrorCode#CONFIG_INVALID} for a channel that is not configured durable (or a
     *         stream whose set-up failed), {@link org.eipc.api.ErrorCode#FRAME_TOO_LARGE} for a payload over the
     *         limit, {@link org.eipc.api.ErrorCode#KEY_UNKNOWN} when the keyring has no current key,
     *         {@link org.eipc.api.ErrorCode#QUOTA_EXCEEDED} when the stream refuses the message (its limits),
     *         {@link org.eipc.api.ErrorCode#REQUEST_TIMEOUT} when JetStream did not confirm within the publish
     *         timeout (the message may or may not be stored; publishing it again may store it twice),
     *         {@link org.eipc.api.ErrorCode#CONNECTION_CLOSED} after the component stopped
     */
    CompletionStage<Long> publish(String channel, MessageType type, ByteBuffer payload);

    /** Same as {@link #publish(String, MessageType, ByteBuffer)} with the whole array (copied). */
    default CompletionStage<Long> publish(String channel, MessageType type, byte[] payload) {
        return publish(channel, type, ByteBuffer.wrap(payload));
    }

    /**
     * True when {@code channel} is a well-formed channel name matching a configured durable channel pattern.
     *
     * @param channel a channel name
     * @return whether {@link #publish} accepts it
     */
    boolean isDurable(String channel);

    /**
     * What this component did since it started: a snapshot.
     *
     * @return the counters now
     */
    DurableCounters counters();
}
