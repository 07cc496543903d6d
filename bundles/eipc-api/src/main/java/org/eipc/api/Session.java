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

    /**
     * Sends a request and blocks the calling thread until its reply arrives, the deadline passes or the request
     * fails, with the outcomes of {@link #request}. The runtime wakes the waiting thread straight from the transport's
     * I/O thread, with no hand-off through a delivery thread: the lowest-latency way to wait for one reply. Unlike a
     * {@link #request} future, the reply does not wait behind earlier messages of this session that are still queued
     * for or in their handlers, so a handler may call a peer synchronously.
     *
     * <p>Not from a handler that runs on the transport's I/O thread (an endpoint with {@code deliverOnIoThread}):
     * that thread has to read the reply, so the call fails at once with {@link ErrorCode#ILLEGAL_STATE}.
     *
     * @return the reply
     * @throws IpcException as {@link #request} would complete exceptionally; {@link ErrorCode#ILLEGAL_STATE} when
     *         the thread is interrupted while waiting (its interrupt status is set again)
     * @since 1.2
     */
    default Message call(Message message, Duration timeout) {
        try {
            return request(message, timeout).toCompletableFuture().get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof IpcException ? (IpcException) e.getCause()
                    : new IpcException(ErrorCode.INTERNAL, "request failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IpcException(ErrorCode.ILLEGAL_STATE, "interrupted while waiting for the reply", e);
        }
    }

    /** Answers {@code request}: the reply carries the request's {@code request_id}. */
    SendResult reply(Message request, Message reply);

    /** Closes the session after in-flight messages are delivered or reported. */
    @Override
    void close();
}
