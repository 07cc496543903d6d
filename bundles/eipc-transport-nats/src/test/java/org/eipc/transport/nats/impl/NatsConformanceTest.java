package org.eipc.transport.nats.impl;

import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.eipc.transport.tck.TransportConformanceKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

import static org.junit.jupiter.api.Assertions.assertFalse;

/** The transport conformance kit against one real nats-server on loopback. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NatsConformanceTest {
    private final AtomicInteger n = new AtomicInteger();
    private NatsServer server;
    private NatsTransport transport;

    @BeforeAll
    void start() {
        server = NatsServer.single();
        transport = new NatsTransport(TestSettings.fast(), NatsClientOptions.defaults());
    }

    @AfterAll
    void stop() {
        try {
            if (transport != null) {
                transport.close();
                assertFalse(transport.isRunning(), "event thread still running after close");
            }
        } finally {
            server.close();
        }
    }

    private URI fresh() {
        return server.uri("tck.l" + n.incrementAndGet());
    }

    @TestFactory
    Stream<DynamicTest> conformance() {
        TransportConformanceKit kit = new TransportConformanceKit(transport, this::fresh)
                // harsher than close(): the peer goes silent without a goodbye, as a crashed process would
                .abruptCloser(c -> ((StreamConnection) c).vanish());
        return kit.checks().stream().map(c -> DynamicTest.dynamicTest("nats: " + c.name(), c::run));
    }
}
