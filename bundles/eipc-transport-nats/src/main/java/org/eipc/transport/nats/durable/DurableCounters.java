package org.eipc.transport.nats.durable;

import org.osgi.annotation.versioning.ProviderType;

/** A snapshot of what a {@link DurableChannels} component did since it started. Immutable. */
@ProviderType
public interface DurableCounters {

    /** Why a message read from the stream was terminated without reaching a handler. */
    enum Rejection {
        /** Not an EIPC frame, an unknown message type, or a subject outside the durable channels. */
        MALFORMED,
        /** A frame without a MAC. */
        MAC_MISSING,
        /** A MAC that does not verify under the named key for the subject's channel. */
        MAC_INVALID,
        /** No key id, or a key the keyring does not accept (unknown, or retired since). */
        KEY_UNKNOWN,
        /** A verified frame whose channel is not the subject's. */
        CHANNEL_MISMATCH,
        /** A verified frame stored again: its message id or its time does not match how it was stored. */
        REPLAYED
    }

    /** @return messages JetStream confirmed as stored for this component's publishers */
    long published();

    /** @return messages a handler returned from (and that were acknowledged) */
    long delivered();

    /** @return handler calls that threw: the message was delivered again later (or terminated) */
    long handlerFailures();

    /** @return messages terminated after their last allowed redelivery */
    long exhausted();

    /** @return deliveries of a message already acknowledged here, acknowledged again without a handler call */
    long duplicatesSkipped();

    /**
     * @param reason a reason
     * @return messages terminated for that reason
     */
    long rejected(Rejection reason);

    /** @return messages terminated for any {@link Rejection} */
    long rejected();
}
