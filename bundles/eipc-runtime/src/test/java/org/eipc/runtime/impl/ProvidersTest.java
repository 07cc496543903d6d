package org.eipc.runtime.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;
import org.eipc.api.Session;
import org.eipc.security.hmac.impl.HmacSha256Provider;
import org.eipc.transport.tcp.impl.TcpTransport;
import org.junit.jupiter.api.Test;

/** Greedy DS binding: the replacement may be bound before the old provider is unbound; both orders work. */
class ProvidersTest {
    @Test
    void aTransportBoundBeforeTheOldOneIsUnboundTakesOver() {
        Providers p = new Providers();
        try (TcpTransport a = new TcpTransport(); TcpTransport b = new TcpTransport()) {
            p.addTransport(a);
            p.addTransport(b); // greedy: the replacement arrives first
            assertSame(b, p.transport("tcp"));
            p.removeTransport(a);
            assertSame(b, p.transport("tcp"));
            p.addTransport(b); // idempotent
            p.removeTransport(a);
            assertSame(b, p.transport("tcp"));
            p.removeTransport(b);
            assertEquals(ErrorCode.TRANSPORT_UNAVAILABLE,
                    assertThrows(IpcException.class, () -> p.transport("tcp")).code());
        }
    }

    @Test
    void singleProvidersSurviveEitherUnbindOrder() {
        Providers p = new Providers();
        HmacSha256Provider one = new HmacSha256Provider();
        HmacSha256Provider two = new HmacSha256Provider();
        p.integrity(one);
        p.integrity(two);
        p.unsetIntegrity(one);
        assertSame(two, p.integrity());
        p.integrity(one);
        p.unsetIntegrity(one);
        assertSame(two, p.integrity());
        p.unsetIntegrity(two);
        assertEquals(ErrorCode.CONFIG_INVALID, assertThrows(IpcException.class, p::integrity).code());
        // no replay provider bound: the built-in window of 128 is used
        assertEquals(org.eipc.spi.security.ReplayVerdict.ACCEPT, p.newReplayGuard().check(1));
    }

    @Test
    void configuredEndpointsParseTheirSettingsAndTalk() throws Exception {
        assertEquals(List.of("ui:control", "device:read"),
                EndpointComponent.services(new String[] {"nia.min = ui:control, device:read", "x"}).get("nia.min"));
        assertEquals(List.of(), EndpointComponent.services(new String[] {"x"}).get("x"));
        try (Harness h = new Harness()) {
            EndpointSettings s = Harness.settings("host");
            EndpointComponent server = new EndpointComponent(h.ctx, "server",
                    EndpointComponent.uris(new String[] {"tcp://127.0.0.1:0"}), s);
            java.util.concurrent.CompletableFuture<String> got = new java.util.concurrent.CompletableFuture<>();
            server.addHandler((sess, m) -> got.complete(new String(m.payloadBytes())));
            ClientEndpointImpl c = h.client(Harness.settings("app"), (x, m) -> { }, server.address());
            Session session = c.connect().toCompletableFuture().get(10, TimeUnit.SECONDS);
            session.send(SessionCoreTest.msg(org.eipc.api.MessageType.INTENT, "via DS shape"));
            assertEquals("via DS shape", got.get(10, TimeUnit.SECONDS));
            server.close();
            assertEquals(ErrorCode.CONFIG_INVALID, assertThrows(IpcException.class,
                    () -> new EndpointComponent(h.ctx, "sideways", List.of(URI.create("tcp://127.0.0.1:0")), s))
                    .code());
        }
    }

    @Test
    void aConfiguredClientWaitsForItsServerToAppear(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        try (Harness h = new Harness()) {
            URI address = URI.create("unix://" + dir.resolve("late.sock"));
            ClientEndpointImpl c = h.client(Harness.settings("app"), (x, m) -> { }, address);
            java.util.concurrent.CompletableFuture<Session> pending = c.connectPersistently().toCompletableFuture();
            assertEquals(false, pending.isCompletedExceptionally(), "a server not there yet is not a final failure");
            h.server(Harness.settings("host"), (x, m) -> { }, address);
            Session s = pending.get(10, TimeUnit.SECONDS);
            assertEquals("host", s.peer().serviceId());
        }
    }
}
