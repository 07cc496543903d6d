package org.eipc.protocol.ipcprims;

import java.nio.ByteBuffer;

import org.eipc.api.IpcException;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * What an application hears from an {@link IpcprimsPeer}. Calls come from the thread that feeds the peer (the
 * transport's), never while the peer holds a lock, so a callback may call {@link IpcprimsPeer#send}. The
 * exception is {@link #onClosed}, which comes from whichever thread ends the connection: the transport's, the
 * timer's (a deadline), or an application thread calling {@link IpcprimsPeer#close()}. It is called exactly
 * once. A callback that throws closes the connection with {@link org.eipc.api.ErrorCode#INTERNAL}.
 */
@ConsumerType
public interface IpcprimsPeerListener {

    /**
     * A frame on a negotiated channel (or, when unknown CONTROL messages are allowed, such a message on
     * channel 0), in arrival order.
     *
     * @param payload position 0 to limit; valid only during this call, copy what you keep
     */
    void onFrame(int channel, ByteBuffer payload);

    /** The handshake succeeded; {@link IpcprimsPeer#negotiatedChannels()} and the peer id are known now. */
    default void onHandshake(IpcprimsPeer peer) {
    }

    /**
     * The answer to a ping of ours. Pongs carry no id on the wire; since both sides answer in order, the n-th
     * pong answers the n-th ping.
     *
     * @param pingNumber 1 for the first ping this peer sent, then 2, ...
     * @param rttNanos round-trip time by the configured clock
     */
    default void onPong(long pingNumber, long rttNanos) {
    }

    /**
     * The other side asked to shut down; the peer has acknowledged. Frames that arrived with the request are
     * still delivered after this call, later ones are not, and sending is over.
     */
    default void onShutdownRequested(IpcprimsPeer peer) {
    }

    /** A received frame failed the {@link ChannelValidator}; it was dropped and the connection stays open. */
    default void onValidationFailed(int channel, IpcException error) {
    }

    /** A send refused with back-pressure may be retried now. */
    default void onWritable(IpcprimsPeer peer) {
    }

    /**
     * The connection is closed, exactly once per peer.
     *
     * @param cause null after a completed shutdown exchange (either side's), otherwise why: a protocol error
     *        (with its stream offset), {@link org.eipc.api.ErrorCode#HANDSHAKE_TIMEOUT},
     *        {@link org.eipc.api.ErrorCode#CONNECTION_CLOSED} when the other side just hung up, ...
     */
    default void onClosed(IpcprimsPeer peer, IpcException cause) {
    }
}
