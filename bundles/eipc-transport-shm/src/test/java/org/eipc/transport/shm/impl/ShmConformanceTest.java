package org.eipc.transport.shm.impl;

import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

import org.eipc.transport.tck.TransportConformanceKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** The whole transport conformance kit against the shm transport (both ends in this JVM, real rings). */
class ShmConformanceTest {
    private static final Path DEV_SHM = Path.of("/dev/shm");
    private static Path dir;
    private static ShmTransport transport;
    private static long ringFilesBefore;

    @BeforeAll
    static void start() throws Exception {
        dir = TestDirs.newDir();
        ringFilesBefore = TestDirs.ringFiles(DEV_SHM);
        // default settings: rings in /dev/shm
        transport = new ShmTransport(new ShmSettings(ShmSettings.DEFAULT_RING_CAPACITY,
                ShmSettings.DEFAULT_WRITE_QUEUE_LIMIT, ShmSettings.DEFAULT_SPIN_MICROS,
                ShmSettings.DEFAULT_YIELD_MICROS, "", 5000, 256));
    }

    @AfterAll
    static void stop() throws Exception {
        transport.close();
        try {
            if (TestDirs.ringFiles(DEV_SHM) > ringFilesBefore) {
                throw new AssertionError("ring files left behind in " + DEV_SHM);
            }
        } finally {
            TestDirs.deleteTree(dir);
        }
    }

    @TestFactory
    Stream<DynamicTest> conformance() {
        TransportConformanceKit kit = new TransportConformanceKit(transport, TestDirs.addresses(dir),
                Duration.ofSeconds(20)).abruptCloser(c -> ((ShmConnection) c).abort());
        return kit.checks().stream().map(c -> DynamicTest.dynamicTest(c.name(), c::run));
    }
}
