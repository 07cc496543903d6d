package org.eipc.spi.runtime;

import org.eipc.api.Message;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Sees the application messages of every session: inbound ones when they are handed to the handler (after every
 * check and gate) or complete a request of this side, outbound ones when the session puts them on the wire (stamped with sequence, timestamp and
 * session id). Control frames and handshakes are not shown. Registered as a service; used by tracing and by
 * record/replay.
 *
 * <p>Called on runtime threads, in order per session and direction: must not block and must not keep the message's
 * payload buffer beyond the call without copying it.
 */
@ConsumerType
public interface MessageTap {

    /** Direction of a tapped message, seen from this process. */
    enum Direction {
        INBOUND, OUTBOUND
    }

    /**
     * @param direction inbound (received) or outbound (sent)
     * @param context the session
     * @param message the message
     * @param nanoTime {@link System#nanoTime()} when the runtime saw it
     */
    void onMessage(Direction direction, MessageContext context, Message message, long nanoTime);
}
