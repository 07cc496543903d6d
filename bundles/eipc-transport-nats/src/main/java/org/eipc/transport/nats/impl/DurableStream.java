package org.eipc.transport.nats.impl;

import java.io.IOException;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;

import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.DiscardPolicy;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;

/**
 * Creates or updates the stream and the durable consumers, idempotently: the same configuration applied twice
 * changes nothing.
 *
 * <p>The stream keeps messages by limits (age, bytes), not by interest, so a consumer created later (a host that
 * registers its first handler after messages were published) still finds them; it discards new messages when
 * full, so a publish that completed is never dropped to make room: publishing fails with
 * {@link ErrorCode#QUOTA_EXCEEDED} instead.
 */
final class DurableStream {
    private static final int STREAM_NOT_FOUND = 10059;

    private DurableStream() {
    }

    static StreamConfiguration streamConfiguration(DurableSettings s) {
        return StreamConfiguration.builder().name(s.stream).subjects(s.prefix + ".>").storageType(s.storage)
                .replicas(s.replicas).maxAge(s.maxAge).maxBytes(s.maxBytes).duplicateWindow(s.duplicateWindow)
                .retentionPolicy(RetentionPolicy.Limits).discardPolicy(DiscardPolicy.New).build();
    }

    /**
     * @throws IpcException {@link ErrorCode#CONFIG_INVALID} when JetStream refuses the stream (for example another
     *         storage type than the existing stream's, or subjects another stream holds)
     */
    static void ensureStream(JetStreamManagement jsm, DurableSettings s) throws IOException {
        StreamConfiguration want = streamConfiguration(s);
        try {
            StreamInfo have;
            try {
                have = jsm.getStreamInfo(s.stream);
            } catch (JetStreamApiException e) {
                if (e.getApiErrorCode() != STREAM_NOT_FOUND) {
                    throw e;
                }
                jsm.addStream(want);
                return;
            }
            if (have.getConfiguration().getStorageType() != s.storage) {
                throw new IpcException(ErrorCode.CONFIG_INVALID, "stream " + s.stream + " exists with storage "
                        + have.getConfiguration().getStorageType() + ", configured " + s.storage
                        + "; JetStream cannot change it: configure that storage or delete the stream");
            }
            jsm.updateStream(want);
        } catch (JetStreamApiException e) {
            throw new IpcException(ErrorCode.CONFIG_INVALID, "JetStream refused stream " + s.stream + " (subjects "
                    + s.prefix + ".>): " + e.getErrorDescription() + " (" + e.getApiErrorCode() + ")");
        }
    }

    /** The durable pull consumer {@code name} on {@code filter}: explicit acks, from the stream's first message. */
    static void ensureConsumer(JetStreamManagement jsm, DurableSettings s, String name, String filter)
            throws IOException {
        ConsumerConfiguration cc = ConsumerConfiguration.builder().durable(name).filterSubject(filter)
                .deliverPolicy(DeliverPolicy.All).ackPolicy(AckPolicy.Explicit).ackWait(s.ackWait)
                .maxDeliver(-1) // the consumer terminates a message itself after maxRedeliveries (and counts it)
                .maxAckPending(s.maxAckPending).build();
        try {
            jsm.addOrUpdateConsumer(s.stream, cc);
        } catch (JetStreamApiException e) {
            throw new IpcException(ErrorCode.CONFIG_INVALID, "JetStream refused durable consumer " + name + " on "
                    + filter + ": " + e.getErrorDescription() + " (" + e.getApiErrorCode() + ")");
        }
    }
}
