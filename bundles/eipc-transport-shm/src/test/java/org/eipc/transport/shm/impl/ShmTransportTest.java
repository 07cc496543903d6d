package org.eipc.transport.shm.impl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;
import org.eipc.spi.transport.Connection;
import org.eipc.spi.transport.Listener;
import org.eipc.spi.transport.OfferResult;
import org.eipc.spi.transport.PeerCredentials;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Shm-specific behaviour, both ends in this JVM (the cross-process cases are in {@link CrossProcessTest}). */
class ShmTransportTest {
    private Path dir;
    private Path rings;
    private ShmTransport transport;

    @BeforeEach
    void start() throws Exception {
        dir = TestDirs.newDir();
        rings = Files.createDirectory(dir.resolve("rings"));
        transport = new ShmTransport(settings(rings));
    }

    static ShmSettings settings(final Path rings) {
        return new ShmSettings(64 * 1024, 1 << 20, 20, 50, rings.toString(), 5000, 64);
    }

    @AfterEach
    void stop() throws Exception {
        transport.close();
        TestDirs.deleteTree(dir);
    }

    /** A connected pair: [client recorder, server recorder]. */
    private Recorder[] pair(final URI address, final boolean serverEcho) throws Exception {
        final BlockingQueue<Recorder> accepted = new LinkedBlockingQueue<>();
        transport.listen(address, c -> {
            final Recorder r = new Recorder(serverEcho);
            accepted.add(r);
            return r;
        });
        final Recorder client = new Recorder(false);
        transport.connect(address, client, Duration.ofSeconds(5));
        final Recorder server = accepted.poll(10, TimeUnit.SECONDS);
        assertNotNull(server, "accepted");
        Recorder.awaitLatch(client.opened, "client open");
        Recorder.awaitLatch(server.opened, "server open");
        return new Recorder[] {client, server};
    }

    @Test
    void shouldBindTheSocketOwnerOnlyInAnOwnerOnlyDirectory() throws Exception {
        final Path socket = dir.resolve("new/sub/s");
        final Listener l = transport.listen(TestDirs.address(dir, "new/sub/s"), c -> new Recorder(false));
        assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(socket, LinkOption.NOFOLLOW_LINKS)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket.getParent())));
        try (var s = Files.list(socket.getParent())) {
            assertEquals(1, s.count(), "no temporary directory left next to the socket");
        }
        l.close();
        assertFalse(Files.exists(socket, LinkOption.NOFOLLOW_LINKS), "socket removed on close");
    }

    @Test
    void shouldCreateRingFilesOwnerOnlyAndRemoveThemOnceMapped() throws Exception {
        final RingFile f = RingFile.create(rings.resolve(RingFile.newBaseName(new java.security.SecureRandom())),
                4096);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f.path())));
        assertThrows(java.nio.file.FileAlreadyExistsException.class, () -> RingFile.create(f.path(), 4096));
        f.unlink();
        final Recorder[] p = pair(TestDirs.address(dir, "s"), true);
        assertEquals(0, TestDirs.ringFiles(rings), "ring files are unlinked once both sides mapped them");
        p[0].connection.close();
        Recorder.awaitLatch(p[1].closed, "server close");
        assertEquals(0, TestDirs.ringFiles(rings));
    }

    @Test
    void shouldReplaceAStaleSocketFile() throws Exception {
        final Path socket = dir.resolve("s");
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(socket)); // closing leaves the file behind, like a crash
        }
        assertTrue(Files.exists(socket, LinkOption.NOFOLLOW_LINKS));
        final Recorder[] p = pair(TestDirs.address(dir, "s"), true);
        p[0].connection.offer(ByteBuffer.wrap(new byte[] {1, 2, 3}));
        assertArrayEquals(new byte[] {1, 2, 3}, p[0].await(3, 10_000));
    }

    @Test
    void shouldRefuseAnAddressWithALiveServer() throws Exception {
        final URI address = TestDirs.address(dir, "s");
        pair(address, true);
        final IpcException e = assertThrows(IpcException.class, () -> transport.listen(address, c -> new Recorder(false)));
        assertEquals(ErrorCode.TRANSPORT_IO, e.code());
        assertTrue(e.getMessage().contains("another server"), e.getMessage());
        // the first listener is untouched
        final Recorder again = new Recorder(false);
        transport.connect(address, again, Duration.ofSeconds(5)).close();
    }

    @Test
    void shouldRefuseToReplaceSomethingThatIsNotASocket() throws Exception {
        final Path file = Files.writeString(dir.resolve("f"), "keep me");
        final IpcException e = assertThrows(IpcException.class,
                () -> transport.listen(TestDirs.address(dir, "f"), c -> new Recorder(false)));
        assertEquals(ErrorCode.TRANSPORT_IO, e.code());
        assertEquals("keep me", Files.readString(file));
    }

    @Test
    void shouldRejectInvalidAddresses() {
        for (String bad : new String[] {"shm://host/tmp/x", "shm:relative", "tcp:///tmp/x", "shm:///tmp/a/../b",
            "shm:///tmp/x?q=1", "shm:///" + "a".repeat(120), "shm:///"}) {
            final IpcException e = assertThrows(IpcException.class,
                    () -> transport.listen(URI.create(bad), c -> new Recorder(false)), bad);
            assertEquals(ErrorCode.ADDRESS_INVALID, e.code(), bad);
            assertEquals(ErrorCode.ADDRESS_INVALID, assertThrows(IpcException.class,
                    () -> transport.connect(URI.create(bad), new Recorder(false), Duration.ofSeconds(1))).code());
        }
    }

    @Test
    void shouldFailToConnectWhereNobodyListens() {
        final IpcException e = assertThrows(IpcException.class,
                () -> transport.connect(TestDirs.address(dir, "none"), new Recorder(false), Duration.ofSeconds(1)));
        assertEquals(ErrorCode.CONNECT_FAILED, e.code());
    }

    @Test
    void shouldRejectInvalidConfigurationListingEveryBadKey() {
        final IpcException e = assertThrows(IpcException.class,
                () -> new ShmSettings(1000, 0, -1, 5, "relative", 0, 0));
        assertEquals(ErrorCode.CONFIG_INVALID, e.code());
        for (String key : new String[] {"ringCapacity", "writeQueueLimit", "spinMicros", "ringDirectory",
            "handshakeTimeoutMillis", "maxConnections"}) {
            assertTrue(e.getMessage().contains(key), e.getMessage());
        }
    }

    @Test
    void shouldReportThePeersUserFromSoPeercred() throws Exception {
        final Recorder[] p = pair(TestDirs.address(dir, "s"), false);
        final PeerCredentials creds = p[1].connection.peerCredentials();
        assertEquals(System.getProperty("user.name"), creds.user());
        final Path probe = Files.createFile(dir.resolve("probe"));
        assertEquals(Files.getAttribute(probe, "unix:uid"), creds.uid().orElse(-1));
        assertEquals(System.getProperty("user.name"), p[0].connection.peerCredentials().user());
    }

    @Test
    void shouldCarryAOneMebibyteMessageThroughASmallRing() throws Exception {
        final Recorder[] p = pair(TestDirs.address(dir, "s"), true);
        final byte[] msg = new byte[1 << 20];
        new Random(7).nextBytes(msg);
        assertEquals(OfferResult.ACCEPTED, p[0].connection.offer(ByteBuffer.wrap(msg)));
        assertTrue(p[0].connection.pendingBytes() <= p[0].connection.writeQueueLimit());
        assertArrayEquals(msg, p[0].await(msg.length, 20_000));
    }

    @Test
    void shouldNotLoseWakeUpsWhenBothSidesPark() throws Exception {
        final Recorder[] p = pair(TestDirs.address(dir, "s"), true);
        final byte[] expected = new byte[200];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = (byte) i;
            assertEquals(OfferResult.ACCEPTED, p[0].connection.offer(ByteBuffer.wrap(expected, i, 1)));
            if (i % 20 == 0) {
                Thread.sleep(2); // longer than spin + yield: both I/O threads park between these messages
            }
            p[0].await(i + 1, 10_000);
        }
        assertArrayEquals(expected, p[0].await(expected.length, 10_000));
    }

    @Test
    void shouldCloseOnlyTheConnectionWhoseRingHasACorruptLength() throws Exception {
        final URI address = TestDirs.address(dir, "s");
        final Recorder[] victim = pair(address, true);
        final Recorder[] other = pair(TestDirs.address(dir, "s2"), true);
        ((ShmConnection) victim[0].connection).writeQueue().injectForTest(Integer.MAX_VALUE, RingLayout.TYPE_DATA, 16);
        Recorder.awaitLatch(victim[1].closed, "server close after corrupt record");
        assertNotNull(victim[1].cause);
        assertEquals(ErrorCode.PROTOCOL_VIOLATION, victim[1].cause.code());
        assertTrue(victim[1].cause.getMessage().contains("record length"), victim[1].cause.getMessage());
        Recorder.awaitLatch(victim[0].closed, "client learns of the close");
        assertNotNull(victim[0].cause, "the peer of a failed connection sees an abnormal close");
        other[0].connection.offer(ByteBuffer.wrap(new byte[] {9}));
        assertArrayEquals(new byte[] {9}, other[0].await(1, 10_000));
    }

    @Test
    void shouldNotBurnCpuWhileIdle() throws Exception {
        final Recorder[] p = pair(TestDirs.address(dir, "s"), true);
        p[0].connection.offer(ByteBuffer.wrap(new byte[] {1}));
        p[0].await(1, 10_000);
        final ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        final Thread clientIo = ((ShmConnection) p[0].connection).thread();
        final Thread serverIo = ((ShmConnection) p[1].connection).thread();
        Thread.sleep(100); // past spin and yield: both park
        final long c0 = mx.getThreadCpuTime(clientIo.getId());
        final long s0 = mx.getThreadCpuTime(serverIo.getId());
        Thread.sleep(500);
        final long c1 = mx.getThreadCpuTime(clientIo.getId());
        final long s1 = mx.getThreadCpuTime(serverIo.getId());
        // a spinning thread would use ~500 ms here; a parked one ~0. 50 ms leaves room for a loaded machine.
        assertTrue(c1 - c0 < TimeUnit.MILLISECONDS.toNanos(50), "client I/O thread used " + (c1 - c0) + " ns");
        assertTrue(s1 - s0 < TimeUnit.MILLISECONDS.toNanos(50), "server I/O thread used " + (s1 - s0) + " ns");
        // and it still wakes up
        p[0].connection.offer(ByteBuffer.wrap(new byte[] {2}));
        assertArrayEquals(new byte[] {1, 2}, p[0].await(2, 10_000));
    }

    @Test
    void shouldStopEveryThreadAndRemoveEveryFileOnDeactivate() throws Exception {
        final Recorder[] p = pair(TestDirs.address(dir, "s"), true);
        final Thread clientIo = ((ShmConnection) p[0].connection).thread();
        final Thread serverIo = ((ShmConnection) p[1].connection).thread();
        transport.close();
        Recorder.awaitLatch(p[0].closed, "client close");
        Recorder.awaitLatch(p[1].closed, "server close");
        clientIo.join(10_000);
        serverIo.join(10_000);
        assertFalse(clientIo.isAlive());
        assertFalse(serverIo.isAlive());
        assertFalse(Files.exists(dir.resolve("s"), LinkOption.NOFOLLOW_LINKS));
        assertEquals(0, TestDirs.ringFiles(rings));
        assertTrue(transport.connections().isEmpty());
        assertEquals(ErrorCode.CONNECTION_CLOSED, assertThrows(IpcException.class,
                () -> transport.listen(TestDirs.address(dir, "t"), c -> new Recorder(false))).code());
    }

    @Test
    void shouldRefuseClientsBeyondMaxConnections() throws Exception {
        transport.close();
        transport = new ShmTransport(new ShmSettings(4096, 1 << 20, 20, 50, rings.toString(), 5000, 2));
        final URI address = TestDirs.address(dir, "s");
        pair(address, true); // two connections: client and accepted side
        final IpcException e = assertThrows(IpcException.class,
                () -> transport.connect(address, new Recorder(false), Duration.ofSeconds(5)));
        assertEquals(ErrorCode.CONNECT_FAILED, e.code());
    }

    @Test
    void shouldKeepTheQueueBoundedWhileThePeerDoesNotRead() throws Exception {
        final Recorder[] p = pair(TestDirs.address(dir, "s"), false);
        p[1].connection.suspendReads();
        final Connection c = p[0].connection;
        final ByteBuffer chunk = ByteBuffer.allocate(8192);
        int accepted = 0;
        while (c.offer(chunk.clear()) == OfferResult.ACCEPTED) {
            accepted++;
            assertTrue(c.pendingBytes() <= c.writeQueueLimit());
            assertTrue(accepted < 10_000, "no back-pressure");
        }
        assertTrue(c.pendingBytes() <= c.writeQueueLimit());
        p[1].connection.resumeReads();
        p[1].await(accepted * 8192, 20_000);
    }
}
