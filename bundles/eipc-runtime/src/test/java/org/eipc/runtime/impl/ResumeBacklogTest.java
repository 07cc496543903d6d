package org.eipc.runtime.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.eipc.api.Header;
import org.eipc.api.IpcException;
import org.eipc.api.Message;
import org.eipc.api.MessageType;
import org.eipc.api.SendResult;
import org.eipc.api.Session;
import org.eipc.runtime.impl.ResumeTest.Sink;
import org.eipc.spi.transport.Connection;
import org.eipc.spi.transport.ConnectionHandler;
import org.eipc.spi.transport.Listener;
import org.eipc.spi.transport.OfferResult;
import org.eipc.spi.transport.PeerCredentials;
import org.eipc.spi.transport.Transport;
import org.junit.jupiter.api.Test;

/**
 * A session that resumes with a backlog (thousands of messages queued while no transport was there, as during an
 * in-place update of the only transport) does not encode the whole backlog on the transport's I/O thread: the resume
 * completes inside one I/O callback (the server's ok), which offers at most one flush batch, so the first messages
 * reach the wire at once and the I/O thread, which every connection of the transport shares, is free again. The rest
 * follows in batches; everything arrives exactly once, in order.
 */
class ResumeBacklogTest extends TwoRuntimes {
    private static final int BACKLOG = 3000;

    @Test
    void aResumeWithABacklogOffersOneBatchPerIoCallback() throws Exception {
        Sink sink = new Sink();
        ServerEndpointImpl server = serverSide.server(Harness.settings("host"), (s, m) -> sink.add(m),
                URI.create("tcp://127.0.0.1:0"));
        CountingTransport tcp = new CountingTransport(clientSide.tcp);
        clientSide.providers.removeTransport(clientSide.tcp);
        clientSide.providers.addTransport(tcp);
        ClientEndpointImpl client = clientSide.client(Harness.settings("app"), (s, m) -> { }, server.address());
        Session s = client.connect().toCompletableFuture().get(10, TimeUnit.SECONDS);

        clientSide.providers.removeTransport(tcp); // the client's transport leaves: its connection closes
        HardenedHandshakeTest.waitFor(() -> !((SessionImpl) s).isAttached());
        for (long i = 1; i <= BACKLOG; i++) {
            SendResult r = s.send(Message.of(MessageType.FEATURES, Header.builder().build(),
                    ByteBuffer.allocate(8).putLong(i).array()));
            assertEquals(SendResult.OK, r, "message " + i + " queued while detached");
        }
        assertEquals(BACKLOG, ((SessionImpl) s).queued());
        tcp.maxOffersInOneCallback.set(0);

        clientSide.providers.addTransport(tcp); // back: the session resumes with the backlog waiting
        HardenedHandshakeTest.waitFor(() -> sink.count.get() >= BACKLOG);
        ResumeTest.assertExactlyOnceInOrder(sink, BACKLOG);
        assertTrue(client.resumes() >= 1, "resumed");
        // a batch per flush (an acknowledgement arriving in the same read may start another), never the backlog
        int most = tcp.maxOffersInOneCallback.get();
        assertTrue(most < BACKLOG / 4, "an I/O callback offered " + most + " frames (batch "
                + SessionImpl.FLUSH_BATCH + ")");
        assertTrue(most >= 1, "the resume offered frames from the I/O callback that completed it");
    }

    /**
     * Counts, for every handler callback of its connections (on the transport's I/O thread), how many frames the
     * runtime offered from inside that callback.
     */
    static final class CountingTransport implements Transport {
        final Transport delegate;
        final AtomicInteger maxOffersInOneCallback = new AtomicInteger();
        private final ThreadLocal<int[]> inCallback = new ThreadLocal<>();

        CountingTransport(Transport delegate) {
            this.delegate = delegate;
        }

        @Override
        public String kind() {
            return delegate.kind();
        }

        @Override
        public Set<String> schemes() {
            return delegate.schemes();
        }

        @Override
        public Listener listen(URI address, Function<Connection, ConnectionHandler> handlers) {
            throw new UnsupportedOperationException("client side only");
        }

        @Override
        public Connection connect(URI address, ConnectionHandler handler, Duration timeout) {
            Counted conn = new Counted();
            conn.d = delegate.connect(address, new ConnectionHandler() {
                @Override
                public void onOpen(Connection c) {
                    conn.d = c;
                    counted(() -> handler.onOpen(conn));
                }

                @Override
                public void onData(Connection c, ByteBuffer data) {
                    counted(() -> handler.onData(conn, data));
                }

                @Override
                public void onWritable(Connection c) {
                    counted(() -> handler.onWritable(conn));
                }

                @Override
                public void onInputShutdown(Connection c) {
                    counted(() -> handler.onInputShutdown(conn));
                }

                @Override
                public void onClose(Connection c, IpcException cause) {
                    handler.onClose(conn, cause);
                }
            }, timeout);
            return conn;
        }

        private void counted(Runnable callback) {
            int[] n = {0};
            inCallback.set(n);
            try {
                callback.run();
            } finally {
                inCallback.remove();
                maxOffersInOneCallback.accumulateAndGet(n[0], Math::max);
            }
        }

        /** The connection as the runtime sees it: every offer counted into the running callback, if any. */
        private final class Counted implements Connection {
            volatile Connection d;

            @Override
            public OfferResult offer(ByteBuffer bytes) {
                int[] n = inCallback.get();
                if (n != null) {
                    n[0]++;
                }
                return d.offer(bytes);
            }

            @Override
            public String id() {
                return d.id();
            }

            @Override
            public String scheme() {
                return d.scheme();
            }

            @Override
            public URI localAddress() {
                return d.localAddress();
            }

            @Override
            public URI remoteAddress() {
                return d.remoteAddress();
            }

            @Override
            public PeerCredentials peerCredentials() {
                return d.peerCredentials();
            }

            @Override
            public long pendingBytes() {
                return d.pendingBytes();
            }

            @Override
            public long writeQueueLimit() {
                return d.writeQueueLimit();
            }

            @Override
            public void suspendReads() {
                d.suspendReads();
            }

            @Override
            public void resumeReads() {
                d.resumeReads();
            }

            @Override
            public void shutdownOutput() {
                d.shutdownOutput();
            }

            @Override
            public boolean isOpen() {
                return d.isOpen();
            }

            @Override
            public void close() {
                d.close();
            }
        }
    }
}
