package org.eipc.runtime.impl;

import org.eipc.api.IpcException;
import org.eipc.protocol.Frame;

/** What a {@link Carrier} hands its frames to: a handshake while it runs, then the session. */
interface FrameSink {
    /** A verified frame; the views are valid during the call only. Throwing closes the carrier with the cause. */
    void onFrame(Carrier carrier, Frame frame);

    /** The carrier's connection closed ({@code cause} null for an orderly close). */
    void onClosed(Carrier carrier, IpcException cause);

    /** The connection has room again after a refused offer. */
    default void onWritable(Carrier carrier) {
    }

    /**
     * A frame failed to decode or verify. The carrier closes right after; a handshake may first send a denial.
     */
    default void onDecodeFailure(Carrier carrier, IpcException cause) {
    }
}
