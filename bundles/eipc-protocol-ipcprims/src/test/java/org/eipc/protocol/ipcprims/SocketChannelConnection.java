package org.eipc.protocol.ipcprims;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

import org.eipc.spi.transport.Connection;
import org.eipc.spi.transport.ConnectionHandler;
import org.eipc.spi.transport.OfferResult;
import org.eipc.spi.transport.PeerCredentials;

/**
 * A minimal test-only transport connection over a JDK {@link SocketChannel} (a real Unix domain socket): one
 * reader thread delivers chunks to the handler; offers write synchronously (the other side always reads, so
 * this cannot deadlock in the tests). The real Unix transport bundle replaces this in production.
 */
final class SocketChannelConnection implements Connection {
    private final SocketChannel channel;
    private final ConnectionHandler handler;
    private final String name;
    private final Thread reader;
    private boolean outputShut;

    SocketChannelConnection(SocketChannel channel, ConnectionHandler handler, String name) {
        this.channel = channel;
        this.handler = handler;
        this.name = name;
        this.reader = new Thread(this::readLoop, "ipcprims-test-reader-" + name);
        this.reader.setDaemon(true);
    }

    void start() {
        handler.onOpen(this);
        reader.start();
    }

    void join() throws InterruptedException {
        reader.join(30_000);
    }

    private void readLoop() {
        final ByteBuffer buf = ByteBuffer.allocate(8192);
        try {
            while (true) {
                buf.clear();
                final int n = channel.read(buf);
                if (n < 0) {
                    handler.onInputShutdown(this);
                    break;
                }
                buf.flip();
                handler.onData(this, buf);
            }
        } catch (IOException e) {
            // closed by us or by the peer: reported as an orderly close below
        } finally {
            close();
            handler.onClose(this, null);
        }
    }

    @Override
    public String id() {
        return name;
    }

    @Override
    public String scheme() {
        return "unix";
    }

    @Override
    public URI localAddress() {
        return URI.create("unix:local");
    }

    @Override
    public URI remoteAddress() {
        return URI.create("unix:remote");
    }

    @Override
    public PeerCredentials peerCredentials() {
        return PeerCredentials.UNKNOWN;
    }

    @Override
    public synchronized OfferResult offer(ByteBuffer bytes) {
        if (outputShut || !channel.isOpen()) {
            return OfferResult.CLOSED;
        }
        try {
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            return OfferResult.ACCEPTED;
        } catch (IOException e) {
            return OfferResult.CLOSED;
        }
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
        try {
            channel.shutdownOutput();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public boolean isOpen() {
        return channel.isOpen();
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // nothing to do
        }
    }
}
