package org.eipc.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import javax.inject.Inject;

import org.eipc.api.MessageType;
import org.eipc.transport.nats.durable.DurableChannels;
import org.eipc.transport.nats.durable.DurableDelivery;
import org.eipc.transport.nats.durable.DurableHandler;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * Issue #9 inside Felix: the durable channels component of the NATS bundle, configured through ConfigAdmin (PID
 * {@code org.eipc.durable.nats}) with the file keyring's key, over a real {@code nats-server -js}. A whiteboard
 * {@link DurableHandler} is unregistered and registered again while publishing goes on, and the NATS bundle is
 * stopped and started with messages waiting in the stream: every message reaches the handlers exactly once, in
 * order. The NATS bundle is the module's freshly built jar (the distribution may hold an older one).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class NatsDurableIT {
    private static final String CHANNEL = "orders";

    @Inject
    BundleContext context;

    private final List<String> received = new CopyOnWriteArrayList<>();
    private final List<String> outOfOrder = new CopyOnWriteArrayList<>();
    private volatile long lastSequence;

    @Configuration
    public Option[] config() throws IOException {
        return options(EipcOptions.base(), EipcOptions.feature("eipc-default"), EipcOptions.feature("transport-nats"));
    }

    @Test
    public void handlerAndBundleRestartsLoseAndDuplicateNothing() throws Exception {
        Path store = Files.createTempDirectory("nats-js-itest");
        int port = ItSupport.freePort();
        Process server = startNats(port, store);
        try {
            Path keys = ItSupport.keyDirectory();
            ItSupport.writeKey(keys, "k1", ItSupport.keyBytes("durable-it"), Instant.now().minusSeconds(600));
            ItSupport.configure(context, "org.eipc.keyring.file", ItSupport.props("directory", keys.toString(),
                    "overlapSeconds", 300L, "rescanSeconds", 1L));
            ItSupport.awaitCurrentKey(context, "file", "k1");
            ItSupport.configure(context, "org.eipc.durable.nats", ItSupport.props("servers", "127.0.0.1:" + port,
                    "channels", new String[] {CHANNEL}, "hostId", "it-host", "ackWaitMillis", 5000L));
            DurableChannels first = ItSupport.await(context, DurableChannels.class, null);

            ServiceRegistration<DurableHandler> reg = registerHandler();
            CompletableFuture<Void> publishing = CompletableFuture.runAsync(() -> publish(first, 0, 2000));
            ItSupport.waitFor("500 delivered", () -> received.size() >= 500);
            reg.unregister(); // the handler's side goes away while publishing goes on
            int atStop = received.size();
            reg = registerHandler();
            publishing.get(60, TimeUnit.SECONDS);
            ItSupport.waitFor("2000 delivered", () -> received.size() >= 2000);
            assertTrue("deliveries paused while unregistered: " + atStop, atStop < 2000);

            reg.unregister();
            publish(first, 2000, 2500); // stored, nobody consuming
            Bundle nats = ItSupport.bundle(context, "org.eipc.transport.nats");
            nats.stop();
            nats.start();
            DurableChannels durable = ItSupport.await(context, DurableChannels.class, null);
            reg = registerHandler();
            publish(durable, 2500, 3000);
            ItSupport.waitFor("3000 delivered", () -> received.size() >= 3000);
            reg.unregister();

            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 3000; i++) {
                expected.add("m" + i);
            }
            assertEquals("exactly once, in order", expected, received);
            assertEquals(List.of(), outOfOrder);
            assertEquals(0, durable.counters().rejected());
        } finally {
            server.destroy();
            if (!server.waitFor(5, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
    }

    /** A whiteboard handler recording payloads and checking stream order. */
    private ServiceRegistration<DurableHandler> registerHandler() {
        DurableHandler h = (DurableDelivery d) -> {
            if (d.streamSequence() <= lastSequence) {
                outOfOrder.add(d.streamSequence() + " after " + lastSequence);
            }
            lastSequence = d.streamSequence();
            received.add(new String(d.payloadBytes(), StandardCharsets.UTF_8));
        };
        return context.registerService(DurableHandler.class, h, ItSupport.props(DurableHandler.PROP_CHANNEL, CHANNEL));
    }

    private static void publish(DurableChannels durable, int from, int to) {
        List<CompletableFuture<Long>> window = new ArrayList<>();
        for (int i = from; i < to; i++) {
            window.add(durable.publish(CHANNEL, MessageType.INTENT, ("m" + i).getBytes(StandardCharsets.UTF_8))
                    .toCompletableFuture());
            if (window.size() == 100) {
                window.forEach(CompletableFuture::join);
                window.clear();
            }
        }
        window.forEach(CompletableFuture::join);
    }

    private static Process startNats(int port, Path store) throws Exception {
        Path log = Files.createTempFile("nats-durable-itest", ".log");
        Process p = new ProcessBuilder(ItSupport.natsServer(), "-a", "127.0.0.1", "-p", Integer.toString(port), "-js", "-sd",
                store.toString()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return p;
            } catch (IOException notYet) {
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    throw new AssertionError("nats-server did not start: " + Files.readString(log));
                }
                Thread.sleep(20);
            }
        }
    }
}
