package org.eipc.transport.unix.impl;

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
        UnixTransport t = new UnixTransport(defaults(UnixTransportConfig.class));
        try {
            assertEquals("unix", t.kind());
            assertEquals(Set.of("unix"), t.schemes());
        } finally {
            t.close();
        }
        assertFalse(t.isRunning());
    }

    @Test
    void constructsWithoutOsgiFromThePublicNoArgumentConstructor() {
        UnixTransport t = new UnixTransport();
        try {
            assertEquals("unix", t.kind());
            assertEquals(Set.of("unix"), t.schemes());
        } finally {
            t.close();
        }
        assertFalse(t.isRunning());
    }
}
