package org.eipc.transport.nats.impl;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;

/**
 * The per-connection limits and timers of one transport instance, validated once.
 *
 * @param window bytes a sender may have published but not yet consumed by the receiver (the write queue limit)
 * @param chunkLimit largest stream slice per NATS message (bounded again by the server's max_payload)
 * @param ackDelayMillis how long a receiver may owe an acknowledgement (also the timer period)
 * @param heartbeatMillis an idle connection sends an acknowledgement this often
 * @param peerTimeoutMillis a connection that heard nothing from its peer for this long is closed
 */
record NatsSettings(long window, int chunkLimit, long ackDelayMillis, long heartbeatMillis, long peerTimeoutMillis) {

    /** The largest single offer accepted on an idle connection even when it exceeds the window. */
    static final long MAX_OFFER = 32L << 20;

    NatsSettings {
        StringBuilder bad = new StringBuilder();
        if (window < 4096 || window > (1L << 30)) {
            bad.append(" writeQueueLimit=").append(window).append(" outside [4096, 1073741824];");
        }
        if (chunkLimit < 1024 || chunkLimit > (8 << 20)) {
            bad.append(" maxChunkBytes=").append(chunkLimit).append(" outside [1024, 8388608];");
        }
        if (ackDelayMillis < 1 || ackDelayMillis > 1000) {
            bad.append(" ackDelayMillis=").append(ackDelayMillis).append(" outside [1, 1000];");
        }
        if (heartbeatMillis < ackDelayMillis || heartbeatMillis > 600_000) {
            bad.append(" heartbeatMillis=").append(heartbeatMillis).append(" outside [ackDelayMillis, 600000];");
        }
        if (peerTimeoutMillis < 2 * heartbeatMillis || peerTimeoutMillis > 3_600_000) {
            bad.append(" peerTimeoutMillis=").append(peerTimeoutMillis)
                    .append(" outside [2 * heartbeatMillis, 3600000];");
        }
        if (bad.length() > 0) {
            throw new IpcException(ErrorCode.CONFIG_INVALID, "invalid NATS transport configuration:" + bad);
        }
    }
}
