package org.eipc.transport.shm.impl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.eipc.api.ErrorCode;
import org.eipc.spi.transport.Connection;
import org.eipc.spi.transport.OfferResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two real processes: this JVM and a child JVM running {@link ShmPeerMain}. */
class CrossProcessTest {
    private Path dir;
    private Path rings;
    private ShmTransport transport;

    @BeforeEach
    void start() throws Exception {
        dir = TestDirs.newDir();
        rings = Files.createDirectory(dir.resolve("rings"));
        transport = new ShmTransport(new ShmSettings(ShmSettings.DEFAULT_RING_CAPACITY,
                ShmSettings.DEFAULT_WRITE_QUEUE_LIMIT, 20, 50, rings.toString(), 5000, 16));
    }

    @AfterEach
    void stop() throws Exception {
        transport.close();
        TestDirs.deleteTree(dir);
    }

    @Test
    void shouldExchangeMessagesBothWaysWithAnotherProcess() throws Exception {
        final URI address = TestDirs.address(dir, "s");
        try (ChildProcess child = ChildProcess.start(dir.resolve("child.log"), "server", address.toString(),
                rings.toString())) {
            final Recorder me = new Recorder(false);
            final Connection c = transport.connect(address, me, Duration.ofSeconds(10));
            assertEquals(System.getProperty("user.name"), c.peerCredentials().user());
            // the listener unlinks the rings when it reads our acknowledgement, which may be after connect() returns
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (TestDirs.ringFiles(rings) != 0) {
                assertTrue(System.nanoTime() < deadline, "rings unlinked once mapped by both processes");
                Thread.sleep(5);
            }
            final Random random = new Random(3);
            final ByteArrayOutputStream expected = new ByteArrayOutputStream();
            for (int i = 0; i < 2000; i++) {
                final byte[] msg = new byte[1 + random.nextInt(i % 100 == 0 ? 100_000 : 300)];
                random.nextBytes(msg);
                send(c, msg);
                expected.write(msg);
            }
            final byte[] big = new byte[1 << 20];
            random.nextBytes(big);
            send(c, big);
            expected.write(big);
            assertArrayEquals(expected.toByteArray(), me.await(expected.size(), 30_000));
            c.close();
            Recorder.awaitLatch(me.closed, "close");
            assertEquals(null, me.cause);
        }
        assertEquals(0, TestDirs.ringFiles(rings));
    }

    /** Offers whole, waiting out back-pressure (the echo comes back while we send). */
    private static void send(final Connection c, final byte[] msg) throws InterruptedException {
        final ByteBuffer b = ByteBuffer.wrap(msg);
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (c.offer(b) == OfferResult.BACK_PRESSURE) {
            assertTrue(System.nanoTime() < deadline, "back-pressure did not clear");
            Thread.sleep(1);
        }
        assertTrue(!b.hasRemaining());
    }

    @Test
    void shouldDetectAKilledServerProcessAndReuseItsStaleSocket() throws Exception {
        final URI address = TestDirs.address(dir, "s");
        final Recorder me = new Recorder(false);
        try (ChildProcess child = ChildProcess.start(dir.resolve("child.log"), "server", address.toString(),
                rings.toString())) {
            final Connection c = transport.connect(address, me, Duration.ofSeconds(10));
            send(c, new byte[] {1, 2, 3});
            me.await(3, 10_000);
            child.kill();
        }
        Recorder.awaitLatch(me.closed, "onClose after the peer process was killed");
        assertNotNull(me.cause, "a killed peer is not an orderly close");
        assertEquals(ErrorCode.TRANSPORT_IO, me.cause.code());
        assertEquals(0, TestDirs.ringFiles(rings), "no ring file survives the crash");
        assertTrue(Files.exists(dir.resolve("s")), "the killed child left its socket file");
        // the stale socket is recognised and replaced
        transport.listen(address, x -> new Recorder(true)).close();
    }

    @Test
    void shouldDetectAKilledClientProcess() throws Exception {
        final URI address = TestDirs.address(dir, "s");
        final BlockingQueue<Recorder> accepted = new LinkedBlockingQueue<>();
        transport.listen(address, c -> {
            final Recorder r = new Recorder(false);
            accepted.add(r);
            return r;
        });
        final Recorder server;
        try (ChildProcess child = ChildProcess.start(dir.resolve("child.log"), "client", address.toString())) {
            server = accepted.poll(20, TimeUnit.SECONDS);
            assertNotNull(server, "the child connected");
            Recorder.awaitLatch(server.opened, "open");
            send(server.connection, new byte[] {4, 5});
            assertArrayEquals(new byte[] {4, 5}, server.await(2, 10_000));
            assertTrue(server.connection.peerCredentials().uid().isPresent());
            child.kill();
        }
        Recorder.awaitLatch(server.closed, "onClose after the client process was killed");
        assertNotNull(server.cause);
        assertEquals(ErrorCode.TRANSPORT_IO, server.cause.code());
        assertEquals(0, TestDirs.ringFiles(rings));
        assertTrue(transport.connections().isEmpty());
    }
}
