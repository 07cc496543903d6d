package org.eipc.transport.nats.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.Map;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;
import org.junit.jupiter.api.Test;

/** The federation component activates from its configuration even when no NATS server answers, and lists bad keys. */
class FederationDefaultsTest {

    /** What SCR passes: each method returns the given value or else its annotation default. */
    static FederationConfig config(Map<String, Object> values) {
        return (FederationConfig) Proxy.newProxyInstance(FederationConfig.class.getClassLoader(),
                new Class<?>[] {FederationConfig.class},
                (proxy, m, args) -> values.getOrDefault(m.getName(), m.getDefaultValue()));
    }

    @Test
    void shouldActivateWithDefaultsWithoutWaitingForAnUnreachableCluster() {
        NatsRegistryFederation f = new NatsRegistryFederation(config(Map.of("servers",
                "nats://127.0.0.1:" + NatsServer.freePort())));
        try {
            assertFalse(f.isConnected());
            assertTrue(f.remoteEntries().isEmpty());
            assertTrue(f.hostId().matches("[A-Za-z0-9_.-]{1,64}"), f.hostId());
        } finally {
            f.close();
        }
    }

    @Test
    void shouldRejectInvalidConfigurationListingEveryBadKey() {
        IpcException e = assertThrows(IpcException.class, () -> new NatsRegistryFederation(config(Map.of(
                "servers", "127.0.0.1:4222", "hostId", "a b", "announceIntervalMillis", 10L, "ttlMillis", 5L,
                "maxRemoteEntries", 0))));
        assertEquals(ErrorCode.CONFIG_INVALID, e.code());
        for (String key : new String[] {"hostId=a b", "announceIntervalMillis=10", "ttlMillis=5", "maxRemoteEntries=0"}) {
            assertTrue(e.getMessage().contains(key), e.getMessage());
        }
        IpcException servers = assertThrows(IpcException.class, () -> new NatsRegistryFederation(config(Map.of(
                "servers", "user:s3cret@127.0.0.1:4222"))));
        assertEquals(ErrorCode.CONFIG_INVALID, servers.code());
        IpcException prefix = assertThrows(IpcException.class, () -> new NatsRegistryFederation(config(Map.of(
                "servers", "127.0.0.1:4222", "subjectPrefix", "a..b"))));
        assertEquals(ErrorCode.CONFIG_INVALID, prefix.code());
    }
}
