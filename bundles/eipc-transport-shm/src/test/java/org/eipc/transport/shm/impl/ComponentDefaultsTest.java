package org.eipc.transport.shm.impl;

import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

import org.eipc.spi.transport.Connection;
import org.eipc.spi.transport.OfferResult;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The DS component activates with no configuration at all, and the plain-Java constructor gives the same. */
class ComponentDefaultsTest {

    /** What SCR passes when ConfigAdmin has nothing: each method returns its annotation default. */
    static <T> T defaults(final Class<T> type) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                (proxy, m, args) -> m.getDefaultValue()));
    }

    @Test
    void activatesWithDefaults() {
        try (ShmTransport t = new ShmTransport(defaults(ShmTransportConfig.class))) {
            assertEquals("shm", t.kind());
            assertEquals(Set.of("shm"), t.schemes());
        }
    }

    @Test
    void carriesBytesWhenBuiltWithoutOsgiFromThePublicNoArgumentConstructor() throws Exception {
        final Path dir = TestDirs.newDir();
        try (ShmTransport t = new ShmTransport()) {
            final Recorder server = new Recorder(false);
            t.listen(TestDirs.address(dir, "d"), c -> server);
            final Recorder client = new Recorder(false);
            final Connection c = t.connect(TestDirs.address(dir, "d"), client, Duration.ofSeconds(10));
            assertEquals(ShmSettings.DEFAULT_WRITE_QUEUE_LIMIT, c.writeQueueLimit());
            assertEquals(OfferResult.ACCEPTED, c.offer(ByteBuffer.wrap(new byte[] {1, 2, 3})));
            assertEquals(3, server.await(3, 10_000).length);
            assertTrue(t.connections().size() >= 1);
        } finally {
            TestDirs.deleteTree(dir);
        }
    }
}
