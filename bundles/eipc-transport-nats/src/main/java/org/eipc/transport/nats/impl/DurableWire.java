package org.eipc.transport.nats.impl;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.eipc.api.ErrorCode;
import org.eipc.api.Header;
import org.eipc.api.IpcException;
import org.eipc.api.MessageType;
import org.eipc.protocol.Frame;
import org.eipc.protocol.FrameDecoder;
import org.eipc.protocol.FrameEncoder;
import org.eipc.protocol.FrameFlags;
import org.eipc.protocol.ProtocolLimits;
import org.eipc.protocol.ProtocolMode;
import org.eipc.protocol.Timestamps;
import org.eipc.spi.keyring.KeyEntry;
import org.eipc.spi.keyring.KeyringProvider;
import org.eipc.transport.nats.durable.DurableCounters.Rejection;

/**
 * A durable message on the wire: the NATS message body is one EIPC frame (strict: HMAC flag, no trailing bytes)
 * with {@code service_id} = publisher host, {@code session_id} = publisher instance, {@code sequence} = the
 * instance's message number, {@code timestamp} = when it was signed and {@code route} = the channel, MAC'd with
 * the channel's key ({@link ChannelKeys}). NATS headers carry the key id ({@value #KEY_HEADER}) and the JetStream
 * deduplication id ({@value #MSG_ID_HEADER}), which must equal the message id the MAC covers.
 *
 * <p>Not thread-safe: one per publisher (under its lock) and one per consumer thread.
 */
final class DurableWire {
    static final String KEY_HEADER = "Eipc-Key";
    static final String MSG_ID_HEADER = "Nats-Msg-Id";

    /** Why a stored message is refused; thrown without a stack trace (expected, counted, logged de-duplicated). */
    static final class Rejected extends Exception {
        private static final long serialVersionUID = 1L;
        final Rejection reason;

        Rejected(Rejection reason, String detail) {
            super(detail, null, false, false);
            this.reason = reason;
        }
    }

    private final ChannelKeys keys;
    private final FrameEncoder encoder = new FrameEncoder();
    private final FrameDecoder decoder = new FrameDecoder(ProtocolMode.STRICT);

    DurableWire(ChannelKeys keys) {
        this.keys = keys;
    }

    static String messageId(String publisher, String instance, long sequence) {
        return publisher + "/" + instance + "/" + Long.toUnsignedString(sequence);
    }

    /**
     * The signed frame.
     *
     * @throws IpcException {@link ErrorCode#FRAME_TOO_LARGE} over {@code maxFrame} or the protocol's limit
     */
    byte[] encode(KeyEntry key, String channel, MessageType type, ByteBuffer payload, String publisher,
            String instance, long sequence, Instant now, long maxFrame) {
        Header h = Header.builder().serviceId(publisher).sessionId(instance).sequence(sequence)
                .timestamp(Timestamps.format(now)).route(channel).build();
        int len = encoder.encodedLength(h, payload.remaining(), true);
        if (len > maxFrame || len > ProtocolLimits.MAX_FRAME) {
            throw new IpcException(ErrorCode.FRAME_TOO_LARGE, "durable message of " + payload.remaining()
                    + " payload bytes makes a frame of " + len + " bytes, over the limit of "
                    + Math.min(maxFrame, ProtocolLimits.MAX_FRAME));
        }
        ByteBuffer out = ByteBuffer.allocate(len);
        encoder.encode(type.wireByte(), FrameFlags.HMAC, h, payload, keys.mac(key, channel), out);
        return out.array();
    }

    /**
     * Verifies a stored message and returns it as a delivery.
     *
     * @param channel the channel its subject names ({@code null} when the subject is outside the channels)
     * @param storedAt when JetStream stored it
     * @throws Rejected when any check fails
     */
    VerifiedDelivery open(String channel, byte[] body, String keyId, String natsMsgId, long streamSequence,
            long deliveryCount, Instant storedAt, KeyringProvider keyring, Duration window) throws Rejected {
        if (channel == null) {
            throw new Rejected(Rejection.MALFORMED, "subject outside the durable channels");
        }
        if (keyId == null || keyId.isEmpty()) {
            throw new Rejected(Rejection.KEY_UNKNOWN, "no " + KEY_HEADER + " header");
        }
        Optional<KeyEntry> key = keyring.find(keyId);
        if (key.isEmpty()) {
            throw new Rejected(Rejection.KEY_UNKNOWN, "key id " + keyId + " not accepted by the keyring");
        }
        Frame f;
        try {
            f = decoder.decode(ByteBuffer.wrap(body), keys.mac(key.get(), channel));
        } catch (IpcException e) {
            Rejection r = e.code() == ErrorCode.MAC_MISSING ? Rejection.MAC_MISSING
                    : e.code() == ErrorCode.MAC_INVALID ? Rejection.MAC_INVALID : Rejection.MALFORMED;
            throw new Rejected(r, e.getMessage());
        }
        Header h = f.header();
        if (!channel.equals(h.route())) {
            throw new Rejected(Rejection.CHANNEL_MISMATCH, "frame for channel " + h.route() + " stored under "
                    + channel);
        }
        MessageType type = f.type();
        if (type == null || h.sequence() == 0) {
            throw new Rejected(Rejection.MALFORMED, "unknown message type or sequence 0");
        }
        String id = messageId(h.serviceId(), h.sessionId(), h.sequence());
        if (!id.equals(natsMsgId)) {
            throw new Rejected(Rejection.REPLAYED, "stored with message id " + natsMsgId + ", signed as " + id);
        }
        Instant signed = Timestamps.parse(h.timestamp());
        if (signed == null || storedAt == null || Duration.between(signed, storedAt).abs().compareTo(window) > 0) {
            throw new Rejected(Rejection.REPLAYED, "signed at " + h.timestamp() + " but stored at " + storedAt
                    + ": outside the duplicate window of " + window.toMillis() + " ms");
        }
        return new VerifiedDelivery(channel, streamSequence, id, deliveryCount, type, h.serviceId(), signed,
                f.payload());
    }
}
