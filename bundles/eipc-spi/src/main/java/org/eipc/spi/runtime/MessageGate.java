package org.eipc.spi.runtime;

import org.eipc.api.Message;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Decides whether an inbound application message may be delivered. Registered as a service; the runtime asks every
 * gate, in service ranking order, after the frame's MAC, replay, capability and quota checks and before the handler
 * runs. Replies matched to a request this side sent go to their requester without a gate: gates govern what
 * reaches handlers.
 * The first denial wins: the message is not delivered, the denial is counted, reported as a
 * {@link RuntimeEvent.Kind#MESSAGE_DENIED} event and, when the message is a request, answered with an error reply
 * (type {@code a}, {@code {"request_id","status":"error","code":CODE,"error":text}}) so the caller's request fails
 * with that code at once.
 *
 * <p>Called on a runtime thread for every message: must not block.
 */
@ConsumerType
@FunctionalInterface
public interface MessageGate {

    /**
     * @param context who sent the message and over which session
     * @param message the message as the handler would see it (capability already verified and shown by name)
     * @return {@link GateVerdict#ALLOW} or a denial
     */
    GateVerdict check(MessageContext context, Message message);
}
