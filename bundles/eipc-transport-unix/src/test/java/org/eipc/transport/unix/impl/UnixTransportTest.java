package org.eipc.transport.unix.impl;

import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;
import org.eipc.spi.transport.Connection;
import org.eipc.spi.transport.ConnectionHandler;
import org.eipc.spi.transport.Listener;
import org.eipc.spi.transport.PeerCredentials;
import org.eipc.transport.tck.TransportConformanceKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The conformance kit over Unix sockets, plus socket-file safety and peer credentials. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@SuppressWarnings("try") // listeners opened only to be closed
class UnixTransportTest {
    private static final Duration T = Duration.ofSeconds(10);
    private final AtomicInteger n = new AtomicInteger();
    private Path dir;
    private UnixTransport transport;

    @BeforeAll
    void start() throws Exception {
        // short, because sun_path is 108 bytes
        dir = Files.createTempDirectory(Path.of("/tmp"), "eipc-ut");
        transport = new UnixTransport(4L << 20, 64 * 1024, 1);
    }

    @AfterAll
    void stop() throws Exception {
        transport.close();
        assertFalse(transport.isRunning(), "I/O threads still running after close");
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private URI fresh() {
        return URI.create("unix://" + dir.resolve("s-" + n.incrementAndGet() + ".sock"));
    }

    @TestFactory
    Stream<DynamicTest> conformance() {
        TransportConformanceKit kit = new TransportConformanceKit(transport, this::fresh);
        return kit.checks().stream().map(c -> DynamicTest.dynamicTest("unix: " + c.name(), c::run));
    }

    @Test
    void socketFileIsOwnerOnlyAndRemovedOnClose() throws Exception {
        URI a = fresh();
        Path p = Path.of(a.getPath());
        try (Listener l = transport.listen(a, c -> new Sink())) {
            assertEquals(a, l.address());
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
            assertEquals(PosixFilePermissions.fromString("rw-------"), perms);
            try (Stream<Path> s = Files.list(dir)) {
                assertTrue(s.noneMatch(f -> f.getFileName().toString().startsWith(".eipc-")),
                        "private bind directory left behind");
            }
        }
        assertFalse(Files.exists(p, LinkOption.NOFOLLOW_LINKS), "socket file not removed on close");
    }

    @Test
    void staleSocketFileIsReplaced() throws Exception {
        URI a = fresh();
        Path p = Path.of(a.getPath());
        // a "crashed" server: bound, closed, file left behind
        try (ServerSocketChannel crashed = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            crashed.bind(UnixDomainSocketAddress.of(p));
        }
        assertTrue(Files.exists(p, LinkOption.NOFOLLOW_LINKS));
        try (Listener l = transport.listen(a, c -> new Sink())) {
            Connection c = transport.connect(a, new Sink(), T);
            c.close();
        }
    }

    @Test
    void liveSocketIsNotStolen() throws Exception {
        URI a = fresh();
        CompletableFuture<Connection> accepted = new CompletableFuture<>();
        try (Listener l = transport.listen(a, c -> {
            accepted.complete(c);
            return new Sink();
        })) {
            IpcException e = assertThrows(IpcException.class, () -> transport.listen(a, c -> new Sink()));
            assertEquals(ErrorCode.TRANSPORT_IO, e.code());
            assertTrue(e.getMessage().contains("live server"), e.getMessage());
            Connection c = transport.connect(a, new Sink(), T);
            accepted.get(10, TimeUnit.SECONDS); // the first listener still owns the name
            c.close();
        }
    }

    @Test
    void aRegularFileIsNeverRemoved() throws Exception {
        URI a = fresh();
        Path p = Path.of(a.getPath());
        Files.writeString(p, "precious");
        IpcException e = assertThrows(IpcException.class, () -> transport.listen(a, c -> new Sink()));
        assertEquals(ErrorCode.TRANSPORT_IO, e.code());
        assertEquals("precious", Files.readString(p));
    }

    @Test
    void peerCredentialsNameTheCurrentUser() throws Exception {
        URI a = fresh();
        CompletableFuture<Connection> accepted = new CompletableFuture<>();
        try (Listener l = transport.listen(a, c -> {
            accepted.complete(c);
            return new Sink();
        })) {
            Connection c = transport.connect(a, new Sink(), T);
            PeerCredentials server = accepted.get(10, TimeUnit.SECONDS).peerCredentials();
            PeerCredentials client = c.peerCredentials();
            String me = System.getProperty("user.name");
            int myUid = (Integer) Files.getAttribute(dir, "unix:uid");
            int myGid = (Integer) Files.getAttribute(dir, "unix:gid");
            for (PeerCredentials pc : new PeerCredentials[] {server, client}) {
                assertEquals(me, pc.user(), pc.toString());
                assertEquals(myUid, pc.uid().orElse(-1), pc.toString());
                assertEquals(myGid, pc.gid().orElse(-1), pc.toString());
                assertFalse(pc.group().isEmpty());
            }
            assertEquals("unix", c.scheme());
            c.close();
        }
    }

    @Test
    void badAddressesAreRejected() {
        for (String bad : new String[] {"unix://host/tmp/x.sock", "unix:relative.sock", "tcp://127.0.0.1:1",
            "unix:///tmp/" + "x".repeat(120) + ".sock"}) {
            IpcException e = assertThrows(IpcException.class, () -> transport.listen(URI.create(bad), c -> new Sink()),
                    bad);
            assertEquals(ErrorCode.ADDRESS_INVALID, e.code(), bad);
        }
    }

    @Test
    void connectToMissingSocketFails() {
        IpcException e = assertThrows(IpcException.class, () -> transport.connect(fresh(), new Sink(), T));
        assertEquals(ErrorCode.CONNECT_FAILED, e.code());
    }

    /** Drops data. */
    static final class Sink implements ConnectionHandler {
        @Override
        public void onData(Connection connection, ByteBuffer data) {
            data.position(data.limit());
        }

        @Override
        public void onInputShutdown(Connection connection) {
            connection.close();
        }

        @Override
        public void onClose(Connection connection, IpcException cause) {
        }
    }
}
