package org.eipc.transport.tcp.impl;

import java.net.URI;
import java.util.stream.Stream;

import org.eipc.transport.nio.NioConnection;
import org.eipc.transport.tck.TransportConformanceKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

import static org.junit.jupiter.api.Assertions.assertFalse;

/** The whole transport conformance kit over plain TCP. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TcpConformanceTest {
    private TcpTransport transport;

    @BeforeAll
    void start() {
        transport = new TcpTransport(4L << 20, 64 * 1024, 1, TestTls.none());
    }

    @AfterAll
    void stop() {
        transport.close();
        assertFalse(transport.isRunning(), "I/O threads still running after close");
    }

    @TestFactory
    Stream<DynamicTest> conformance() {
        TransportConformanceKit kit = new TransportConformanceKit(transport, () -> URI.create("tcp://127.0.0.1:0"))
                .abruptCloser(c -> ((NioConnection) c).abort());
        return kit.checks().stream().map(c -> DynamicTest.dynamicTest(c.name(), c::run));
    }
}
