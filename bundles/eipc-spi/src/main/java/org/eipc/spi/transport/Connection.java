package org.eipc.spi.transport;

import java.net.URI;
import java.nio.ByteBuffer;

import org.osgi.annotation.versioning.ProviderType;

/**
 * One open byte pipe to a peer. Thread-safe: any thread may offer; bytes of one offer are never interleaved
 * with bytes of another.
 */
@ProviderType
public interface Connection extends AutoCloseable {

    /** An id unique within the transport, for logs and metrics. */
    String id();

    /** The transport's scheme, for example {@code "tcp"}. */
    String scheme();

    URI localAddress();

    URI remoteAddress();

    /** What the OS or TLS says about the peer. Never null. */
    PeerCredentials peerCredentials();

    /**
     * Queues the buffer's remaining bytes for writing, whole or not at all. Never blocks. The bytes are copied
     * (or written) before this returns, so the caller may reuse the buffer; its position is advanced to its
     * limit when accepted and left unchanged otherwise. An implementation is done with the buffer before any of its
     * bytes can reach the peer: a caller that refills the same buffer when the peer answers (possibly on another
     * thread, before this call has returned) must not find it changed under its hands (the conformance kit checks
     * this).
     */
    OfferResult offer(ByteBuffer bytes);

    /** Bytes accepted by {@link #offer(ByteBuffer)} and not yet handed to the OS or ring. */
    long pendingBytes();

    /** The bound on {@link #pendingBytes()} above which offers get {@link OfferResult#BACK_PRESSURE}. */
    long writeQueueLimit();

    /**
     * Stops delivering {@link ConnectionHandler#onData(Connection, ByteBuffer)}. The peer's sends then fill
     * the OS buffers and the peer sees back-pressure. Idempotent.
     */
    void suspendReads();

    /** Resumes delivery after {@link #suspendReads()}. Idempotent. */
    void resumeReads();

    /** Sends end-of-stream after the queued bytes; reading continues (half-close). */
    void shutdownOutput();

    boolean isOpen();

    /** Closes at once; queued bytes that were not written are dropped. Idempotent. */
    @Override
    void close();
}
