package org.eipc.runtime.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.eipc.api.Endpoint;
import org.eipc.api.ErrorCode;
import org.eipc.api.Header;
import org.eipc.api.IpcException;
import org.eipc.api.Message;
import org.eipc.api.MessageType;
import org.eipc.api.Priority;
import org.eipc.api.SendResult;
import org.eipc.api.Session;
import org.eipc.runtime.EipcRuntimes;
import org.eipc.runtime.EndpointOptions;
import org.eipc.runtime.StandaloneRuntime;
import org.eipc.security.hmac.impl.HmacSha256Provider;
import org.eipc.transport.tcp.impl.TcpTransport;
import org.eipc.transport.unix.impl.UnixTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The exported API: standalone runtimes (a server one and a client one) over real TCP and Unix sockets. */
class EipcRuntimeTest {
    private static final String K1 = "EIPC-golden-vector-key-32-bytes!";
    private static final String K2 = "a-second-key-for-rotation-tests!";

    @TempDir
    Path dir;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private StandaloneRuntime runtime(StaticKeyring keyring, UnixTransport unix) {
        TcpTransport tcp = new TcpTransport();
        toClose.add(tcp);
        toClose.add(unix);
        StandaloneRuntime r = EipcRuntimes.standalone(List.of(tcp, unix), new HmacSha256Provider(), keyring);
        toClose.add(r);
        return r;
    }

    private StandaloneRuntime runtime(StaticKeyring keyring) {
        return runtime(keyring, new UnixTransport());
    }

    private static StaticKeyring keys(String id, String key) {
        return new StaticKeyring(StaticKeyring.key(id, key, null));
    }

    private static Message msg(String text, Priority p) {
        return Message.of(MessageType.INTENT, Header.builder().priority(p).build(),
                text.getBytes(StandardCharsets.UTF_8));
    }

    private static String text(Message m) {
        return new String(m.payloadBytes(), StandardCharsets.UTF_8);
    }

    private URI unixUri(String name) {
        return URI.create("unix://" + dir.resolve(name));
    }

    @Test
    void listenAndConnectCarryMessagesAndRequestsOverTcpAndUnix() throws Exception {
        StandaloneRuntime server = runtime(keys("k1", K1));
        StandaloneRuntime client = runtime(keys("k1", K1));
        assertTrue(server.schemes().containsAll(List.of("tcp", "unix")), server.schemes().toString());
        List<String> got = new CopyOnWriteArrayList<>();
        CountDownLatch all = new CountDownLatch(500);
        Endpoint ep = server.listen(List.of(URI.create("tcp://127.0.0.1:0"), unixUri("s.sock")),
                EndpointOptions.builder().serviceId("host").service("app", List.of("ui:control")).build(),
                (s, m) -> {
                    if (!m.header().requestId().isEmpty()) {
                        s.reply(m, msg("re:" + text(m), Priority.P1));
                    } else {
                        got.add(text(m));
                        all.countDown();
                    }
                });
        for (URI target : List.of(ep.address(), unixUri("s.sock"))) {
            got.clear();
            Session s = client.connect(List.of(target), EndpointOptions.builder().serviceId("app").build(),
                    (x, m) -> { }, Duration.ofSeconds(10));
            assertEquals("host", s.peer().serviceId());
            for (int i = 0; i < 250; i++) {
                assertEquals(SendResult.OK, s.send(msg("m" + i, Priority.P2)));
            }
            Message reply = s.request(msg("ping", Priority.P0), Duration.ofSeconds(10)).toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
            assertEquals("re:ping", text(reply));
            s.close();
        }
        assertTrue(all.await(10, TimeUnit.SECONDS));
        ep.close();
    }

    @Test
    void aStandaloneRuntimeSwapsATransportUnderASession() throws Exception {
        UnixTransport serverUnix = new UnixTransport();
        StandaloneRuntime server = runtime(keys("k1", K1), serverUnix);
        StandaloneRuntime client = runtime(keys("k1", K1));
        List<String> got = new CopyOnWriteArrayList<>();
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            port = free.getLocalPort();
        }
        List<URI> addresses = List.of(unixUri("swap.sock"), URI.create("tcp://127.0.0.1:" + port));
        Endpoint ep = server.listen(addresses, EndpointOptions.builder().serviceId("host").build(),
                (s, m) -> got.add(text(m)));
        Session s = client.connect(addresses, EndpointOptions.builder().serviceId("app").build(), (x, m) -> { },
                Duration.ofSeconds(10));
        assertEquals(SendResult.OK, s.send(msg("before", Priority.P2)));
        server.removeTransport(serverUnix); // returns once the session moved to tcp
        assertFalse(server.schemes().contains("unix"), server.schemes().toString());
        assertEquals(SendResult.OK, s.send(msg("after", Priority.P2)));
        HardenedHandshakeTest.waitFor(() -> got.size() == 2);
        assertEquals(List.of("before", "after"), got);
        server.addTransport(serverUnix);
        assertTrue(server.schemes().contains("unix"));
        assertTrue(s.isOpen());
        ep.close();
    }

    @Test
    void connectGivesUpAfterItsTimeoutWhenNobodyListens() {
        StandaloneRuntime client = runtime(keys("k1", K1));
        IpcException e = assertThrows(IpcException.class, () -> client.connect(List.of(unixUri("nobody.sock")),
                EndpointOptions.defaults(), (s, m) -> { }, Duration.ofMillis(300)));
        assertEquals(ErrorCode.CONNECT_FAILED, e.code());
    }

    @Test
    void connectWaitsForAServerThatStartsLater() throws Exception {
        StandaloneRuntime server = runtime(keys("k1", K1));
        StandaloneRuntime client = runtime(keys("k1", K1));
        var pending = client.connectAsync(List.of(unixUri("late.sock")), EndpointOptions.defaults(), (s, m) -> { },
                Duration.ofSeconds(20)).toCompletableFuture();
        server.listen(List.of(unixUri("late.sock")), EndpointOptions.defaults(), (s, m) -> { });
        assertTrue(pending.get(20, TimeUnit.SECONDS).isOpen());
    }

    @Test
    void closedRuntimeClosesItsEndpointsAndRefusesNewOnes() throws Exception {
        StandaloneRuntime server = runtime(keys("k1", K1));
        StandaloneRuntime client = runtime(keys("k1", K1));
        server.listen(List.of(unixUri("c.sock")), EndpointOptions.defaults(), (s, m) -> { });
        Session s = client.connect(List.of(unixUri("c.sock")), EndpointOptions.defaults(), (x, m) -> { },
                Duration.ofSeconds(10));
        client.close();
        assertFalse(s.isOpen());
        IpcException e = assertThrows(IpcException.class,
                () -> client.listen(List.of(unixUri("d.sock")), EndpointOptions.defaults(), (x, m) -> { }));
        assertEquals(ErrorCode.CONNECTION_CLOSED, e.code());
    }

    @Test
    void swappingKeyringsIsARotationWithOverlap() throws Exception {
        StandaloneRuntime server = runtime(keys("k1", K1));
        Providers sp = ((RuntimeFacade) server).context().providers;
        StaticKeyring first = (StaticKeyring) sp.keyring();
        server.listen(List.of(unixUri("k.sock")), EndpointOptions.defaults(), (s, m) -> { });
        StandaloneRuntime oldClient = runtime(keys("k1", K1));
        StandaloneRuntime newClient = runtime(keys("k2", K2));

        // the old keyring leaves before the new one arrives: its current key still serves
        sp.unsetKeyring(first);
        assertEquals("k1", sp.currentKey().id());
        connects(oldClient, "k.sock");
        // the new keyring (k2 only) arrives: k2 sends, k1 stays accepted inside the overlap
        sp.keyring(keys("k2", K2));
        assertEquals("k2", sp.currentKey().id());
        connects(oldClient, "k.sock");
        connects(newClient, "k.sock");

        // without an overlap, a departed keyring's keys are gone at once
        StandaloneRuntime strict = runtime(keys("k1", K1));
        Providers sp2 = ((RuntimeFacade) strict).context().providers;
        sp2.keyringOverlap(Duration.ZERO);
        KeyringProviderHolder.swap(sp2, keys("k2", K2));
        strict.listen(List.of(unixUri("k0.sock")), EndpointOptions.defaults(), (s, m) -> { });
        IpcException e = assertThrows(IpcException.class, () -> oldClient.connect(List.of(unixUri("k0.sock")),
                EndpointOptions.defaults(), (s, m) -> { }, Duration.ofSeconds(10)));
        assertEquals(ErrorCode.AUTH_FAILED, e.code());
        connects(newClient, "k0.sock");
    }

    /** Greedy order: the new keyring binds, then the old one unbinds. */
    private static final class KeyringProviderHolder {
        static void swap(Providers p, StaticKeyring next) {
            org.eipc.spi.keyring.KeyringProvider old = p.keyring();
            p.keyring(next);
            p.unsetKeyring(old);
        }
    }

    private void connects(StandaloneRuntime client, String sock) {
        Session s = client.connect(List.of(unixUri(sock)), EndpointOptions.defaults(), (x, m) -> { },
                Duration.ofSeconds(10));
        assertTrue(s.isOpen());
        s.close();
    }

    @Test
    void closeWhileDisconnectedDeliversWhatWaitsOnceTheSessionResumes() throws Exception {
        UnixTransport serverUnix = new UnixTransport();
        StandaloneRuntime server = runtime(keys("k1", K1), serverUnix);
        StandaloneRuntime client = runtime(keys("k1", K1));
        Providers sp = ((RuntimeFacade) server).context().providers;
        List<String> got = new CopyOnWriteArrayList<>();
        CountDownLatch all = new CountDownLatch(300);
        server.listen(List.of(unixUri("r.sock")), EndpointOptions.defaults(), (s, m) -> {
            got.add(text(m));
            all.countDown();
        });
        Session s = client.connect(List.of(unixUri("r.sock")),
                EndpointOptions.builder().closeDrainTimeout(Duration.ofSeconds(30)).build(), (x, m) -> { },
                Duration.ofSeconds(10));
        sp.removeTransport(serverUnix); // the server's listener and connection go away
        for (int i = 0; i < 300; i++) {
            assertEquals(SendResult.OK, s.send(msg("m" + i, Priority.P2)));
        }
        s.close(); // waits for the resume
        sp.addTransport(serverUnix);
        assertTrue(all.await(30, TimeUnit.SECONDS));
        for (int i = 0; i < 300; i++) {
            assertEquals("m" + i, got.get(i));
        }
        while (s.isOpen()) {
            Thread.sleep(10);
        }
        assertEquals(0, ((SessionImpl) s).undelivered());
    }

    @Test
    void closeReportsWhatItCouldNotDeliver() throws Exception {
        UnixTransport serverUnix = new UnixTransport();
        StandaloneRuntime server = runtime(keys("k1", K1), serverUnix);
        StandaloneRuntime client = runtime(keys("k1", K1));
        Providers sp = ((RuntimeFacade) server).context().providers;
        CountDownLatch first = new CountDownLatch(1);
        server.listen(List.of(unixUri("u.sock")), EndpointOptions.defaults(), (x, m) -> first.countDown());
        Session s = client.connect(List.of(unixUri("u.sock")),
                EndpointOptions.builder().closeDrainTimeout(Duration.ofMillis(200)).build(), (x, m) -> { },
                Duration.ofSeconds(10));
        assertEquals(SendResult.OK, s.send(msg("before", Priority.P2)));
        assertTrue(first.await(10, TimeUnit.SECONDS));
        while (((SessionImpl) s).inFlight() > 0) { // acknowledged: only what follows is at stake
            Thread.sleep(5);
        }
        sp.removeTransport(serverUnix); // and it never comes back
        while (((SessionImpl) s).isAttached()) {
            Thread.sleep(5);
        }
        for (int i = 0; i < 50; i++) {
            assertEquals(SendResult.OK, s.send(msg("m" + i, Priority.P2)));
        }
        s.close();
        while (s.isOpen()) {
            Thread.sleep(10);
        }
        assertEquals(50, ((SessionImpl) s).undelivered());
    }
}
