package org.eipc.transport.nio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLEngine;

import org.eipc.api.IpcException;
import org.eipc.spi.transport.Connection;
import org.eipc.spi.transport.ConnectionHandler;
import org.eipc.spi.transport.OfferResult;
import org.eipc.spi.transport.PeerCredentials;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The engine's write queue under a peer that reads slower than the sender offers (the queue stays busy between
 * its half-full and full marks for many rounds): drained 64 KiB chunks are reused for the tail instead of new
 * direct buffers being allocated, and the stream the peer reads is exactly what was offered, in order, although
 * the loop writes chunks while offers append to them.
 */
class WriteQueueReuseTest {
    private static final long LIMIT = 1 << 20;
    private static final int RECORD = 1000;

    private Path dir;
    private NioEngine engine;

    @BeforeEach
    void setUp() throws IOException {
        dir = Files.createTempDirectory("eipc-nio");
        engine = new NioEngine("eipc-nio-test", 1, 64 * 1024, LIMIT);
    }

    @AfterEach
    void tearDown() throws IOException {
        engine.close();
        try (var s = Files.list(dir)) {
            s.forEach(p -> p.toFile().delete());
        }
        Files.deleteIfExists(dir);
    }

    @Test
    void busyQueueReusesItsChunksAndKeepsTheStreamIntact() throws Exception {
        Path sock = dir.resolve("q.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(sock));
            SocketChannel out = SocketChannel.open(UnixDomainSocketAddress.of(sock));
            Writable handler = new Writable();
            NioConnection c = engine.open(out, new Plain(), handler, Duration.ofSeconds(10));
            try (SocketChannel peer = server.accept()) {
                ByteBuffer record = ByteBuffer.allocate(RECORD);
                long offered = fill(c, record, 0);
                int madeWhenFull = c.chunksAllocated();
                assertTrue(madeWhenFull >= LIMIT / NioConnection.CHUNK, "queue not full: " + madeWhenFull);
                Reader reader = new Reader(peer);
                for (int round = 0; round < 30; round++) {
                    reader.read(LIMIT * 3 / 4 + round * 1000L); // the loop moves as much of the queue to the kernel
                    assertTrue(handler.writable.tryAcquire(30, TimeUnit.SECONDS), "no onWritable");
                    offered = fill(c, record, offered);
                    assertTrue(c.pendingBytes() > LIMIT / 2, "the queue drained: " + c.pendingBytes());
                }
                // 30 rounds moved over 15 MiB through a queue of 16 chunks: without reuse each round allocates 8+
                assertTrue(c.chunksAllocated() <= madeWhenFull + 2, "chunks allocated: " + madeWhenFull
                        + " when the queue was first full, " + c.chunksAllocated() + " after 30 rounds");
                reader.read(offered - reader.read);
                assertEquals(offered, reader.read);
            } finally {
                c.close();
            }
        }
    }

    /** Offers numbered bytes (byte i of the stream is (byte) i) until back-pressure; returns the new total. */
    private static long fill(NioConnection c, ByteBuffer record, long offered) {
        while (true) {
            record.clear();
            for (int i = 0; i < RECORD; i++) {
                record.put((byte) (offered + i));
            }
            record.flip();
            OfferResult r = c.offer(record);
            if (r == OfferResult.BACK_PRESSURE) {
                return offered;
            }
            assertEquals(OfferResult.ACCEPTED, r);
            offered += RECORD;
        }
    }

    /** Reads the peer's end and checks every byte against its position in the stream. */
    private static final class Reader {
        private final SocketChannel peer;
        private final ByteBuffer in = ByteBuffer.allocate(64 * 1024);
        long read;

        Reader(SocketChannel peer) {
            this.peer = peer;
        }

        void read(long bytes) throws IOException {
            long end = read + bytes;
            while (read < end) {
                in.clear().limit((int) Math.min(in.capacity(), end - read));
                int n = peer.read(in);
                if (n < 0) {
                    throw new IOException("end of stream after " + read + " bytes");
                }
                for (int i = 0; i < n; i++) {
                    if (in.get(i) != (byte) (read + i)) {
                        throw new AssertionError("byte " + (read + i) + " is " + in.get(i));
                    }
                }
                read += n;
            }
        }
    }

    private static final class Writable implements ConnectionHandler {
        final Semaphore writable = new Semaphore(0);

        @Override
        public void onData(Connection c, ByteBuffer data) {
            data.position(data.limit());
        }

        @Override
        public void onWritable(Connection c) {
            writable.release();
        }

        @Override
        public void onClose(Connection c, IpcException cause) {
            writable.release(1000);
        }
    }

    private static final class Plain implements ChannelAdapter {
        @Override
        public String scheme() {
            return "unix";
        }

        @Override
        public void configure(SocketChannel channel) {
        }

        @Override
        public URI localUri(SocketChannel channel) {
            return URI.create("unix:///test");
        }

        @Override
        public URI remoteUri(SocketChannel channel) {
            return URI.create("unix:///test");
        }

        @Override
        public PeerCredentials credentials(SocketChannel channel) {
            return PeerCredentials.UNKNOWN;
        }

        @Override
        public SSLEngine sslEngine(SocketChannel channel) {
            return null;
        }
    }
}
