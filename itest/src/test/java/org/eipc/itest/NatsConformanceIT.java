package org.eipc.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.inject.Inject;

import org.eipc.spi.transport.Transport;
import org.eipc.transport.tck.ConformanceCheck;
import org.eipc.transport.tck.TransportConformanceKit;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * The transport conformance kit inside Felix against the NATS transport service of the {@code transport-nats}
 * feature, over a real {@code nats-server} on loopback (Debian's package; {@code .ci/run} installs it). Fails,
 * never skips, when the server is missing.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class NatsConformanceIT {
    @Inject
    BundleContext context;

    @Configuration
    public Option[] config() {
        return options(EipcOptions.base(), EipcOptions.feature("eipc-default"), EipcOptions.feature("transport-nats"),
                bundle(Path.of(System.getProperty("eipc.tck.jar")).toUri().toString()));
    }

    @Test
    public void natsPassesTheKit() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path log = Files.createTempFile("nats-itest", ".log");
        Process server = new ProcessBuilder(ItSupport.natsServer(), "-a", "127.0.0.1", "-p", Integer.toString(port))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            awaitListening(port, server, log);
            Transport transport = awaitTransport();
            AtomicInteger n = new AtomicInteger();
            List<String> failures = new ArrayList<>();
            for (ConformanceCheck check : new TransportConformanceKit(transport,
                    () -> URI.create("nats://127.0.0.1:" + port + "/itest.l" + n.incrementAndGet())).checks()) {
                try {
                    check.run();
                } catch (Throwable t) {
                    failures.add("nats / " + check.name() + ": " + t);
                }
            }
            assertEquals("conformance failures", List.of(), failures);
        } finally {
            server.destroy();
            if (!server.waitFor(5, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
    }

    private static void awaitListening(int port, Process server, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (java.io.IOException notYet) {
                if (!server.isAlive() || System.nanoTime() > deadline) {
                    throw new AssertionError("nats-server did not start: " + Files.readString(log));
                }
                Thread.sleep(20);
            }
        }
    }

    private Transport awaitTransport() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        String filter = "(" + Transport.PROP_KIND + "=nats)";
        while (true) {
            Collection<ServiceReference<Transport>> refs = context.getServiceReferences(Transport.class, filter);
            if (!refs.isEmpty()) {
                return context.getService(refs.iterator().next());
            }
            assertFalse("no Transport service with " + filter, System.nanoTime() > deadline);
            Thread.sleep(50);
        }
    }
}
