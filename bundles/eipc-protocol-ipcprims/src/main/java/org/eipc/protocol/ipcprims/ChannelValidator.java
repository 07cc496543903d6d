package org.eipc.protocol.ipcprims;

import java.nio.ByteBuffer;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Optional payload check per channel (for example a JSON schema service). An {@link IpcprimsPeer} calls it
 * for every non-CONTROL frame it receives, before delivery, and for every frame the application sends, before
 * anything is written. Must be thread-safe when the peer sends from several threads.
 */
@ConsumerType
@FunctionalInterface
public interface ChannelValidator {

    /**
     * Checks one payload. Channels without a rule should simply return.
     *
     * @param channel the channel id (never 0)
     * @param payload the payload from position to limit; a view valid only during the call (reading moves
     *        only this view's position)
     * @throws org.eipc.api.IpcException {@link org.eipc.api.ErrorCode#SCHEMA_INVALID} with a message naming
     *         the failed rule (never the payload)
     */
    void validate(int channel, ByteBuffer payload);
}
