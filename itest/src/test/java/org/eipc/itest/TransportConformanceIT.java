package org.eipc.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

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
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

/**
 * The transport conformance kit run inside Felix against the transport services as DS registers them from the
 * {@code eipc-default} feature: the bundles as built, found by their {@code eipc.transport.kind} property.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class TransportConformanceIT {
    private static final long SERVICE_WAIT_MS = 10_000;

    @Inject
    BundleContext context;

    @Configuration
    public Option[] config() {
        return options(EipcOptions.base(), EipcOptions.feature("eipc-default"),
                bundle(Path.of(System.getProperty("eipc.tck.jar")).toUri().toString()));
    }

    @Test
    public void tcpPassesTheKit() throws Exception {
        runKit("tcp", () -> URI.create("tcp://127.0.0.1:0"));
    }

    @Test
    public void unixPassesTheKit() throws Exception {
        Path dir = Files.createTempDirectory("eipc-it-unix");
        AtomicInteger n = new AtomicInteger();
        runKit("unix", () -> URI.create("unix://" + dir.resolve("s" + n.incrementAndGet() + ".sock")));
    }

    @Test
    public void shmPassesTheKit() throws Exception {
        Path dir = Files.createTempDirectory("eipc-it-shm");
        AtomicInteger n = new AtomicInteger();
        runKit("shm", () -> URI.create("shm://" + dir.resolve("r" + n.incrementAndGet())));
    }

    private void runKit(String kind, Supplier<URI> addresses) throws Exception {
        Transport transport = await(kind);
        List<String> failures = new ArrayList<>();
        List<ConformanceCheck> checks = new TransportConformanceKit(transport, addresses).checks();
        assertFalse("the kit has checks", checks.isEmpty());
        for (ConformanceCheck check : checks) {
            try {
                check.run();
            } catch (Throwable t) {
                failures.add(kind + " / " + check.name() + ": " + t);
            }
        }
        assertEquals("conformance failures", List.of(), failures);
    }

    private Transport await(String kind) throws InterruptedException, InvalidSyntaxException {
        long deadline = System.currentTimeMillis() + SERVICE_WAIT_MS;
        String filter = "(" + Transport.PROP_KIND + "=" + kind + ")";
        while (true) {
            Collection<ServiceReference<Transport>> refs = context.getServiceReferences(Transport.class, filter);
            if (!refs.isEmpty()) {
                return context.getService(refs.iterator().next());
            }
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("no Transport service with " + filter);
            }
            Thread.sleep(50);
        }
    }
}
