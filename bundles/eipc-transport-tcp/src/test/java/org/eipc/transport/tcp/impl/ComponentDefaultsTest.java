package org.eipc.transport.tcp.impl;

import java.lang.reflect.Proxy;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The DS component activates with no configuration at all (every attribute at its default). */
class ComponentDefaultsTest {

    /** What SCR passes when ConfigAdmin has nothing: each method returns its annotation default. */
    static <T> T defaults(Class<T> type) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                (proxy, m, args) -> m.getDefaultValue()));
    }

    @Test
    void activatesWithDefaultsAndStopsItsThreads() {
        TcpTransport t = new TcpTransport(defaults(TcpTransportConfig.class));
        try {
            assertEquals("tcp", t.kind());
            assertEquals(Set.of("tcp", "tls"), t.schemes());
        } finally {
            t.close();
        }
        assertFalse(t.isRunning());
    }

    @Test
    void constructsWithoutOsgiFromThePublicNoArgumentConstructor() {
        TcpTransport t = new TcpTransport();
        try {
            assertEquals("tcp", t.kind());
            assertEquals(Set.of("tcp", "tls"), t.schemes());
        } finally {
            t.close();
        }
        assertFalse(t.isRunning());
    }
}
