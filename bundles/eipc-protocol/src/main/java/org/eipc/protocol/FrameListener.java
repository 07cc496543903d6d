package org.eipc.protocol;

import org.osgi.annotation.versioning.ConsumerType;

/** Receives the frames a {@link StreamDecoder} completes. */
@ConsumerType
@FunctionalInterface
public interface FrameListener {
    /**
     * Called once per complete, valid frame, in stream order.
     *
     * <p>The frame's views point into the chunk being fed or into the decoder's reused accumulation buffer:
     * they are valid only until this method returns. So is the {@code Frame} itself, which is the
     * {@link FrameDecoder}'s reused flyweight. Its {@link Frame#header() header} may be kept; copy what else must
     * outlive the call.
     *
     * @param frame the decoded frame
     * @param streamOffset stream offset of the frame's 4-byte length prefix
     */
    void onFrame(Frame frame, long streamOffset);
}
