package org.eipc.api;

/**
 * What happened to a message handed to {@link Session#send(Message)}. Back-pressure is a value, never an
 * exception and never a blocked thread.
 */
public enum SendResult {
    /** Accepted: the session owns the message now and will deliver it or report why it could not. */
    OK,
    /** Not accepted: no credit or no queue space. Retry after {@link Session#whenWritable()} completes. */
    BACK_PRESSURE,
    /** Not accepted: the session is closed. */
    CLOSED
}
