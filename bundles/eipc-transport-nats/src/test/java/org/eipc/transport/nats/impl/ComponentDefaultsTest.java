package org.eipc.transport.nats.impl;

import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.Set;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The DS component activates with no configuration (no NATS server needed until first use). */
class ComponentDefaultsTest {

    /** What SCR passes: each method returns the given value or else its annotation default. */
    static NatsTransportConfig config(Map<String, Object> values) {
        return (NatsTransportConfig) Proxy.newProxyInstance(NatsTransportConfig.class.getClassLoader(),
                new Class<?>[] {NatsTransportConfig.class},
                (proxy, m, args) -> values.getOrDefault(m.getName(), m.getDefaultValue()));
    }

    @Test
    void activatesWithDefaultsAndStopsItsThreads() {
        NatsTransport t = new NatsTransport(config(Map.of()));
        try {
            assertEquals("nats", t.kind());
            assertEquals(Set.of("nats"), t.schemes());
            assertTrue(t.isRunning());
        } finally {
            t.close();
        }
        assertFalse(t.isRunning());
    }

    @Test
    void constructsWithoutOsgiFromThePublicNoArgumentConstructor() {
        NatsTransport t = new NatsTransport();
        t.close();
        assertFalse(t.isRunning());
    }

    @Test
    void rejectsInvalidConfigurationListingEveryBadKey() {
        IpcException e = assertThrows(IpcException.class, () -> new NatsTransport(config(Map.of(
                "writeQueueLimit", 10L, "heartbeatMillis", 5L, "peerTimeoutMillis", 1L))));
        assertEquals(ErrorCode.CONFIG_INVALID, e.code());
        assertTrue(e.getMessage().contains("writeQueueLimit=10"), e.getMessage());
        assertTrue(e.getMessage().contains("heartbeatMillis=5"), e.getMessage());
        assertTrue(e.getMessage().contains("peerTimeoutMillis=1"), e.getMessage());
    }

    @Test
    void secretsNeverAppearInMessagesOrToString() {
        NatsClientOptions o = NatsClientOptions.from(config(Map.of("user", "alice", "_password", "pw-s3cret")));
        assertFalse(o.toString().contains("pw-s3cret"), o.toString());
        IpcException e = assertThrows(IpcException.class, () -> NatsClientOptions.from(config(Map.of(
                "_token", "tok-s3cret", "user", "bob", "_password", "pw-s3cret"))));
        assertEquals(ErrorCode.CONFIG_INVALID, e.code());
        assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
        IpcException tls = assertThrows(IpcException.class, () -> NatsClientOptions.from(config(Map.of(
                "tls_enabled", true, "tls_trustStore", "/nonexistent/trust.p12",
                "_tls_trustStorePassword", "ts-s3cret"))));
        assertFalse(tls.getMessage().contains("ts-s3cret"), tls.getMessage());
    }
}
