package org.eipc.transport.tcp.impl;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;
import org.eipc.spi.transport.Connection;
import org.eipc.spi.transport.ConnectionHandler;
import org.eipc.spi.transport.Listener;
import org.eipc.spi.transport.OfferResult;
import org.eipc.transport.nio.NioConnection;
import org.eipc.transport.tck.TransportConformanceKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** TLS 1.3 and mutual TLS: the conformance kit over tls://, and the trust decisions. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TlsTransportTest {
    private static final URI ANY = URI.create("tls://127.0.0.1:0");
    private static final Duration T = Duration.ofSeconds(10);
    /**
     * Connections for the churn check: each TLS handshake costs milliseconds of CPU, so 1,000 of them per
     * variant would dominate the build; the engine's leak behaviour is covered with 1,000 by the plain run.
     */
    private static final int CHURN = 250;

    private TestTls certs;
    /** server cert + trusts it: plays both ends of plain TLS */
    private TcpTransport tls;
    /** mTLS server: requires a client certificate it trusts */
    private TcpTransport mtlsServer;
    /** mTLS client: presents the client certificate, trusts the server */
    private TcpTransport mtlsClient;

    @BeforeAll
    void setUp(@TempDir Path dir) throws Exception {
        certs = TestTls.generate(dir);
        tls = new TcpTransport(4L << 20, 64 * 1024, 1, certs.setup("server", "trust-server", "none"));
        mtlsServer = new TcpTransport(4L << 20, 64 * 1024, 1, certs.setup("server", "trust-client", "need"));
        mtlsClient = new TcpTransport(4L << 20, 64 * 1024, 1, certs.setup("client", "trust-server", "none"));
    }

    @AfterAll
    void tearDown() {
        for (TcpTransport t : new TcpTransport[] {tls, mtlsServer, mtlsClient}) {
            if (t != null) {
                t.close();
                assertFalse(t.isRunning());
            }
        }
    }

    @TestFactory
    Stream<DynamicTest> tlsConformance() {
        TransportConformanceKit kit = new TransportConformanceKit(tls, () -> ANY)
                .abruptCloser(c -> ((NioConnection) c).abort()).churnConnections(CHURN);
        return kit.checks().stream().map(c -> DynamicTest.dynamicTest("tls: " + c.name(), c::run));
    }

    @TestFactory
    Stream<DynamicTest> mutualTlsConformance() {
        TransportConformanceKit kit = new TransportConformanceKit(new SplitTransport(mtlsServer, mtlsClient),
                () -> ANY).abruptCloser(c -> ((NioConnection) c).abort()).churnConnections(CHURN);
        return kit.checks().stream().map(c -> DynamicTest.dynamicTest("mtls: " + c.name(), c::run));
    }

    @Test
    void principalIsTheVerifiedClientCertificateSubject() throws Exception {
        CompletableFuture<Connection> accepted = new CompletableFuture<>();
        try (Listener l = mtlsServer.listen(ANY, c -> {
            accepted.complete(c);
            return new Sink();
        })) {
            Connection c = mtlsClient.connect(l.address(), new Sink(), T);
            try {
                Connection s = accepted.get(10, TimeUnit.SECONDS);
                assertTrue(s.peerCredentials().principal().contains("CN=eipc-client"),
                        s.peerCredentials().toString());
                assertTrue(c.peerCredentials().principal().contains("CN=eipc-server"),
                        c.peerCredentials().toString());
                assertEquals("tls", s.scheme());
            } finally {
                c.close();
            }
        }
    }

    @Test
    void untrustedServerCertificateIsRejected() throws Exception {
        TcpTransport wary = new TcpTransport(1 << 20, 64 * 1024, 1, certs.setup(null, "trust-stranger", "none"));
        try (Listener l = tls.listen(ANY, c -> new Sink())) {
            IpcException e = assertThrows(IpcException.class, () -> wary.connect(l.address(), new Sink(), T));
            assertEquals(ErrorCode.TLS_FAILED, e.code(), e.toString());
        } finally {
            wary.close();
        }
    }

    @Test
    void serverCertificateMustNameTheDialledAddress() throws Exception {
        // a server presenting the client certificate (SAN dns:client) to a client that trusts it
        TcpTransport wrongName = new TcpTransport(1 << 20, 64 * 1024, 1, certs.setup("client", null, "none"));
        TcpTransport dialer = new TcpTransport(1 << 20, 64 * 1024, 1, certs.setup(null, "trust-client", "none"));
        try (Listener l = wrongName.listen(ANY, c -> new Sink())) {
            IpcException e = assertThrows(IpcException.class, () -> dialer.connect(l.address(), new Sink(), T));
            assertEquals(ErrorCode.TLS_FAILED, e.code(), e.toString());
        } finally {
            wrongName.close();
            dialer.close();
        }
    }

    @Test
    void clientWithoutCertificateIsRejectedWhenMutualTlsIsRequired() throws Exception {
        TcpTransport anonymous = new TcpTransport(1 << 20, 64 * 1024, 1, certs.setup(null, "trust-server", "none"));
        BlockingQueue<Connection> accepted = new ArrayBlockingQueue<>(4);
        try (Listener l = mtlsServer.listen(ANY, c -> {
            accepted.add(c);
            return new Sink();
        })) {
            Sink client = new Sink();
            Connection c;
            try {
                c = anonymous.connect(l.address(), client, T);
            } catch (IpcException e) {
                assertEquals(ErrorCode.TLS_FAILED, e.code(), e.toString());
                c = null;
            }
            if (c != null) {
                // TLS 1.3: the client finishes first; the server's alert then closes the connection
                c.offer(ByteBuffer.wrap(new byte[] {1, 2, 3}));
                // (the JDK reports the server's certificate_required alert as end of stream or as a TLS error)
                client.closed.get(10, TimeUnit.SECONDS);
                assertFalse(c.isOpen());
            }
            assertEquals(null, accepted.poll(200, TimeUnit.MILLISECONDS), "server accepted an anonymous client");
        } finally {
            anonymous.close();
        }
    }

    @Test
    void plainClientCannotTalkToTlsListener() throws Exception {
        TcpTransport plain = new TcpTransport(1 << 20, 64 * 1024, 1, TestTls.none());
        BlockingQueue<Connection> accepted = new ArrayBlockingQueue<>(4);
        try (Listener l = tls.listen(ANY, c -> {
            accepted.add(c);
            return new Sink();
        })) {
            URI plainUri = URI.create("tcp://127.0.0.1:" + l.address().getPort());
            Sink s = new Sink();
            Connection c = plain.connect(plainUri, s, T);
            assertEquals(OfferResult.ACCEPTED, c.offer(ByteBuffer.wrap(new byte[64])));
            s.closed.get(10, TimeUnit.SECONDS); // the TLS server drops the garbage
            assertEquals(null, accepted.poll(100, TimeUnit.MILLISECONDS));
        } finally {
            plain.close();
        }
    }

    @Test
    void silentClientIsDroppedAfterTheHandshakeTimeout() throws Exception {
        TcpTransport strict = new TcpTransport(1 << 20, 64 * 1024, 1, certs.setup("server", "trust-server", "none"),
                Duration.ofMillis(300));
        BlockingQueue<Connection> accepted = new ArrayBlockingQueue<>(4);
        try (Listener l = strict.listen(ANY, c -> {
            accepted.add(c);
            return new Sink();
        }); java.nio.channels.SocketChannel raw = java.nio.channels.SocketChannel.open(
                new java.net.InetSocketAddress("127.0.0.1", l.address().getPort()))) {
            raw.socket().setSoTimeout(10_000);
            // says nothing; the server must hang up on its own
            int n = raw.socket().getInputStream().read();
            assertEquals(-1, n, "expected the server to close the silent connection");
            assertEquals(null, accepted.poll(), "a connection without handshake reached the handler");
        } finally {
            strict.close();
        }
    }

    @Test
    void tlsListenerWithoutKeyStoreIsAConfigError() {
        TcpTransport keyless = new TcpTransport(1 << 20, 64 * 1024, 1, TestTls.none());
        try {
            IpcException e = assertThrows(IpcException.class, () -> keyless.listen(ANY, c -> new Sink()));
            assertEquals(ErrorCode.CONFIG_INVALID, e.code());
        } finally {
            keyless.close();
        }
    }

    @Test
    void wrongKeyStorePasswordIsAConfigErrorWithoutThePassword() {
        IpcException e = assertThrows(IpcException.class, () -> new TlsSetup(certs.path("server"),
                "wrong-secret".toCharArray(), "", new char[0], "none", true));
        assertEquals(ErrorCode.CONFIG_INVALID, e.code());
        assertFalse(e.getMessage().contains("wrong-secret"));
    }

    /** Drops data; records the close. */
    static final class Sink implements ConnectionHandler {
        final CompletableFuture<IpcException> closed = new CompletableFuture<>();

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
            closed.complete(cause);
        }
    }

}
