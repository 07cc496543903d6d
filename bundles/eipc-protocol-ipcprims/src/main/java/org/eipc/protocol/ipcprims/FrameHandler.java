package org.eipc.protocol.ipcprims;

import java.nio.ByteBuffer;

import org.osgi.annotation.versioning.ConsumerType;

/** Receives the frames an {@link IpcprimsStreamDecoder} decodes. */
@ConsumerType
@FunctionalInterface
public interface FrameHandler {

    /**
     * One complete frame.
     *
     * @param channel the channel id (0 to 65 535)
     * @param payload the payload, position 0 to limit; a view into the caller's chunk or the decoder's
     *        reassembly buffer, valid only during this call (copy what you keep)
     * @param frameOffset stream offset of the frame's first header byte
     * @return true to go on decoding the chunk, false to stop after this frame (the chunk's position is left
     *         just after the frame)
     */
    boolean onFrame(int channel, ByteBuffer payload, long frameOffset);
}
