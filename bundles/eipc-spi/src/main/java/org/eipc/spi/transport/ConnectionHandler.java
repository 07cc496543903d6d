package org.eipc.spi.transport;

import java.nio.ByteBuffer;

import org.eipc.api.IpcException;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Implemented by the runtime (or a test) to receive what happens on a connection. Calls for one connection
 * are never concurrent, and arrive in order: {@code onOpen}, any number of {@code onData} and
 * {@code onWritable}, then exactly one {@code onClose}.
 */
@ConsumerType
public interface ConnectionHandler {

    /** The connection is ready (after any TLS or side-channel handshake). */
    default void onOpen(Connection connection) {
    }

    /**
     * Bytes arrived. The buffer is valid only during the call and is owned by the transport: consume what you
     * can, copy what you must keep. Bytes arrive in order, in chunks of any size. Bytes left unconsumed (the
     * buffer's remaining bytes when the call returns) are delivered again, in front of newer bytes.
     */
    void onData(Connection connection, ByteBuffer data);

    /** An offer was refused with BACK_PRESSURE before, and the write queue has room again. */
    default void onWritable(Connection connection) {
    }

    /**
     * The peer shut its output down, or closed. Stream transports cannot tell a half-close from a full close,
     * so a handler that has nothing more to send should close the connection here.
     */
    default void onInputShutdown(Connection connection) {
    }

    /**
     * The connection is closed. {@code cause} is null after an orderly close by either side, otherwise it
     * says why ({@link org.eipc.api.ErrorCode#TRANSPORT_IO}, {@link org.eipc.api.ErrorCode#TLS_FAILED}, a
     * protocol error raised by {@code onData}, ...).
     */
    void onClose(Connection connection, IpcException cause);
}
