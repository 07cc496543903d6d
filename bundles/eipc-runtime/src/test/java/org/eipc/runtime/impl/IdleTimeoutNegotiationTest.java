package org.eipc.runtime.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.eipc.api.Header;
import org.eipc.api.Message;
import org.eipc.api.MessageType;
import org.eipc.api.Session;
import org.junit.jupiter.api.Test;

/** The idle timeout travels in the hardened handshake ({@code idle_ms}), so the two sides need not agree on it. */
class IdleTimeoutNegotiationTest extends TwoRuntimes {

    @Test
    void keepalivesFollowTheSmallerTimeoutOfBothSides() {
        assertEquals(200, SessionImpl.keepaliveMillis(600, 30_000));
        assertEquals(200, SessionImpl.keepaliveMillis(30_000, 600));
        assertEquals(200, SessionImpl.keepaliveMillis(0, 600)); // we never close, but the peer would
        assertEquals(200, SessionImpl.keepaliveMillis(600, -1)); // an older peer announces nothing
        assertEquals(0, SessionImpl.keepaliveMillis(0, 0));
        assertEquals(0, SessionImpl.keepaliveMillis(0, -1));
    }

    @Test
    void aServerWithAShorterTimeoutKeepsAQuietClientsConnection() throws Exception {
        EndpointSettings ss = Harness.settings("host");
        ss.idleTimeout = Duration.ofMillis(600);
        CountDownLatch got = new CountDownLatch(1);
        ServerEndpointImpl server = serverSide.server(ss, (s, m) -> got.countDown(), URI.create("tcp://127.0.0.1:0"));
        EndpointSettings cs = Harness.settings("app");
        cs.idleTimeout = Duration.ofSeconds(30); // alone, it would send a keepalive only every 10 s
        ClientEndpointImpl client = clientSide.client(cs, (s, m) -> { }, server.address());
        Session s = client.connect().toCompletableFuture().get(10, TimeUnit.SECONDS);
        s.send(Message.of(MessageType.FEATURES, Header.builder().build(), new byte[] {1}));
        assertTrue(got.await(10, TimeUnit.SECONDS));
        // quiet for several of the server's timeouts: the client's keepalives (every 200 ms) keep the carrier
        Thread.sleep(2_000);
        assertEquals(0, server.carrierLosses(), String.valueOf(server.lastCarrierLoss()));
        assertEquals(0, client.resumes());
        assertTrue(s.isOpen());
    }
}
