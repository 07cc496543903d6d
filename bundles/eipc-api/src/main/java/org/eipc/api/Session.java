package org.eipc.api;

import java.time.Duration;
import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ProviderType;

/**
 * An authenticated conversation with one peer. A session is not a connection: it owns its sequence numbers,
 * unacknowledged messages, replay window and keys, and it survives the loss or replacement of the connection
 * that carries it (a transport hot-swap or a reconnect), so no message is lost or delivered twice.
 */
@ProviderType
public interface Session extends AutoCloseable {

    /** The session id, unique within the host. */
    String id();

    /** The authenticated peer. */
    PeerIdentity peer();

    /** True until the session is closed or expires. */
    boolean isOpen();

    /**
     * Queues a message for delivery. Never blocks. The session stamps sequence, timestamp and session id.
     *
     * @return {@link SendResult#OK}, {@link SendResult#BACK_PRESSURE} when there is no credit or queue space,
     *         or {@link SendResult#CLOSED}
     */
    SendResult send(Message message);

    /** Completes when a {@link #send(Message)} that returned BACK_PRESSURE may succeed. */
    CompletionStage<Void> whenWritable();

    /**
     * Sends a request and completes with its reply, matched by {@code request_id}. Completes exceptionally
     * with an {@link IpcException}: {@link ErrorCode#BACK_PRESSURE} at once when the send queue is full (nothing
     * was sent; retry after {@link #whenWritable()}), {@link ErrorCode#REQUEST_TIMEOUT} after the deadline, the
     * peer's refusal ({@code CAPABILITY_DENIED}, {@code POLICY_DENIED}, {@code QUOTA_EXCEEDED}, ...), or why it
     * could not be sent. A reply that arrives after the deadline is dropped and counted.
     */
    CompletionStage<Message> request(Message message, Duration timeout);

    /** Answers {@code request}: the reply carries the request's {@code request_id}. */
    SendResult reply(Message request, Message reply);

    /** Closes the session after in-flight messages are delivered or reported. */
    @Override
    void close();
}
