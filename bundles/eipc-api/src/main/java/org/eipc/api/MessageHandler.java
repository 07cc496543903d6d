package org.eipc.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Implemented by applications to receive messages. Called on a runtime thread; a handler that needs long work
 * should hand it off. Messages of one priority lane of one session arrive in order.
 */
@ConsumerType
@FunctionalInterface
public interface MessageHandler {
    /**
     * A message arrived on a session. Reply with {@link Session#reply(Message, Message)} or
     * {@link Session#send(Message)}.
     */
    void onMessage(Session session, Message message);
}
