package org.eipc.protocol.ipcprims;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.ByteBuffer;

import org.eipc.spi.transport.Connection;
import org.eipc.spi.transport.OfferResult;
import org.eipc.spi.transport.PeerCredentials;

/**
 * A test-only in-memory {@link Connection} (an implementation of the SPI, not a mock of our code): records the
 * bytes offered and can push back on demand.
 */
final class MemoryConnection implements Connection {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private boolean open = true;
    private boolean outputShut;
    boolean pushBack;

    @Override
    public String id() {
        return "memory";
    }

    @Override
    public String scheme() {
        return "memory";
    }

    @Override
    public URI localAddress() {
        return URI.create("memory:local");
    }

    @Override
    public URI remoteAddress() {
        return URI.create("memory:remote");
    }

    @Override
    public PeerCredentials peerCredentials() {
        return PeerCredentials.UNKNOWN;
    }

    @Override
    public synchronized OfferResult offer(ByteBuffer bytes) {
        if (!open || outputShut) {
            return OfferResult.CLOSED;
        }
        if (pushBack) {
            return OfferResult.BACK_PRESSURE;
        }
        final byte[] b = new byte[bytes.remaining()];
        bytes.get(b);
        out.write(b, 0, b.length);
        return OfferResult.ACCEPTED;
    }

    synchronized byte[] written() {
        return out.toByteArray();
    }

    @Override
    public long pendingBytes() {
        return 0;
    }

    @Override
    public long writeQueueLimit() {
        return Long.MAX_VALUE;
    }

    @Override
    public void suspendReads() {
    }

    @Override
    public void resumeReads() {
    }

    @Override
    public synchronized void shutdownOutput() {
        outputShut = true;
    }

    synchronized boolean outputShut() {
        return outputShut;
    }

    @Override
    public synchronized boolean isOpen() {
        return open;
    }

    @Override
    public synchronized void close() {
        open = false;
    }
}
