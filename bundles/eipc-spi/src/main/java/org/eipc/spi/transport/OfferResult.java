package org.eipc.spi.transport;

/** Outcome of {@link Connection#offer(java.nio.ByteBuffer)}. */
public enum OfferResult {
    /** The bytes are queued (copied); the caller may reuse its buffer. */
    ACCEPTED,
    /**
     * Nothing was queued: the write queue is at its bound. {@link ConnectionHandler#onWritable(Connection)}
     * is called once space is free again.
     */
    BACK_PRESSURE,
    /** Nothing was queued: the connection is closed (or its output was shut down). */
    CLOSED
}
