package org.eipc.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemTimeout;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import javax.inject.Inject;

import org.eipc.api.Endpoint;
import org.eipc.api.Header;
import org.eipc.api.Message;
import org.eipc.api.MessageHandler;
import org.eipc.api.MessageType;
import org.eipc.api.Session;
import org.eipc.runtime.EipcRuntime;
import org.eipc.runtime.EndpointOptions;
import org.eipc.service.health.HealthReport;
import org.eipc.service.health.HealthService;
import org.eipc.service.health.HealthStatus;
import org.eipc.spi.transport.Transport;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The health bundle in Felix with the {@code eipc-default} feature: readiness follows a server endpoint's transport
 * (its only transport's bundle stops: not ready, the endpoint named; it starts again: ready), and the health bundle
 * can stop and start while a client's requests flow through a configured endpoint, without one failing, while
 * {@code route=health} requests on that endpoint get the report as JSON whenever the bundle is there.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class HealthIT {
    private static final String HEALTH_BSN = "org.eipc.service.health";

    @Inject
    BundleContext context;

    @org.ops4j.pax.exam.Configuration
    public Option[] config() {
        return options(EipcOptions.base(), EipcOptions.feature("eipc-default"), systemTimeout(30_000));
    }

    @Before
    public void keyring() throws Exception {
        Path keys = ItSupport.keyDirectory();
        ItSupport.writeKey(keys, "k1", ItSupport.keyBytes("health"), Instant.now().minusSeconds(60));
        ItSupport.configure(context, "org.eipc.keyring.file", ItSupport.props("directory", keys.toString()));
        ItSupport.awaitCurrentKey(context, "file", "k1");
    }

    @Test
    public void readinessFollowsTheTransportOfAServerEndpoint() throws Exception {
        EipcRuntime runtime = ItSupport.await(context, EipcRuntime.class, null);
        ItSupport.await(context, Transport.class, "(" + Transport.PROP_KIND + "=unix)");
        HealthService health = ItSupport.await(context, HealthService.class, null);
        URI address = URI.create("unix://" + Files.createTempDirectory("eipc-it-health").resolve("h.sock"));
        Endpoint server = runtime.listen(List.of(address), EndpointOptions.builder().serviceId("host").build(),
                (s, m) -> { });
        try {
            awaitReady(health, true);
            Bundle unix = ItSupport.bundle(context, "org.eipc.transport.unix");
            unix.stop();
            HealthReport down = awaitReady(health, false);
            assertEquals(HealthStatus.DOWN, down.status());
            assertTrue(down.live());
            assertTrue(down.toString(), down.checks().stream().anyMatch(c -> c.name().equals("endpoints")
                    && c.status() == HealthStatus.DOWN && c.detail().contains(address.toString())));
            unix.start();
            HealthReport up = awaitReady(health, true);
            assertTrue(up.schemes().contains("unix"));
        } finally {
            server.close();
        }
    }

    @Test
    public void healthBundleStopsAndStartsUnderTrafficWithoutDisturbingIt() throws Exception {
        EipcRuntime runtime = ItSupport.await(context, EipcRuntime.class, null);
        ItSupport.await(context, Transport.class, "(" + Transport.PROP_KIND + "=unix)");
        URI address = URI.create("unix://" + Files.createTempDirectory("eipc-it-health").resolve("ep.sock"));
        ConfigurationAdmin ca = ItSupport.await(context, ConfigurationAdmin.class, null);
        Configuration endpoint = ca.getFactoryConfiguration("org.eipc.endpoint", "health-it", null);
        endpoint.update(ItSupport.props("name", "health-it", "uri", new String[] {address.toString()},
                "serviceId", "host"));
        MessageHandler echo = (s, m) -> {
            if ("echo".equals(m.header().route())) {
                s.reply(m, Message.ofWire(m.typeByte(), Header.builder().route("echo").build(), m.payload()));
            }
        };
        ServiceRegistration<MessageHandler> reg = context.registerService(MessageHandler.class, echo,
                new java.util.Hashtable<>(java.util.Map.of("eipc.endpoint", "health-it")));
        Session session = runtime.connect(List.of(address), EndpointOptions.builder().serviceId("app").build(),
                (s, m) -> { }, Duration.ofSeconds(20));
        try {
            assertTrue(healthJson(session).contains("\"format\":1"));
            AtomicInteger answered = new AtomicInteger();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            int total = 2_000;
            CompletableFuture<Void> traffic = CompletableFuture.runAsync(() -> {
                for (int i = 0; i < total && failure.get() == null; i++) {
                    try {
                        Message reply = session.request(Message.of(MessageType.INTENT, Header.builder().route("echo")
                                .build(), ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8)), Duration.ofSeconds(20))
                                .toCompletableFuture().get(25, TimeUnit.SECONDS);
                        assertEquals("{\"n\":" + i + "}", new String(reply.payloadBytes(), StandardCharsets.UTF_8));
                        answered.incrementAndGet();
                    } catch (Throwable t) {
                        failure.set(t);
                    }
                }
            });
            Bundle bundle = ItSupport.bundle(context, HEALTH_BSN);
            ItSupport.waitFor("traffic flowing", () -> answered.get() >= total / 10 || traffic.isDone());
            bundle.stop();
            ItSupport.waitFor("more traffic without the health bundle", () -> answered.get() >= total / 3
                    || traffic.isDone());
            bundle.start();
            ItSupport.await(context, HealthService.class, null);
            ItSupport.await(context, MessageHandler.class,
                    "(component.name=org.eipc.service.health.impl.HealthRequestHandler)");
            traffic.get(120, TimeUnit.SECONDS);
            assertNull("a request failed: " + failure.get(), failure.get());
            assertEquals(total, answered.get());
            assertTrue(healthJson(session).contains("\"status\":\"UP\""));
            assertTrue(session.isOpen());
        } finally {
            session.close();
            reg.unregister();
            endpoint.delete();
        }
    }

    private static String healthJson(Session session) throws Exception {
        Message reply = session.request(Message.of(MessageType.INTENT, Header.builder().route("health").build(),
                "{}".getBytes(StandardCharsets.UTF_8)), Duration.ofSeconds(10)).toCompletableFuture()
                .get(15, TimeUnit.SECONDS);
        return new String(reply.payloadBytes(), StandardCharsets.UTF_8);
    }

    private static HealthReport awaitReady(HealthService health, boolean ready) throws InterruptedException {
        AtomicReference<HealthReport> last = new AtomicReference<>();
        try {
            ItSupport.waitFor("ready=" + ready, () -> {
                last.set(health.report());
                return last.get().ready() == ready;
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + ": " + last.get(), e);
        }
        assertFalse(last.get().checks().isEmpty());
        return last.get();
    }
}
