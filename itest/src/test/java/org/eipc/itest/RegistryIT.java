package org.eipc.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemTimeout;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import javax.inject.Inject;

import org.eipc.api.Header;
import org.eipc.api.Message;
import org.eipc.api.MessageHandler;
import org.eipc.api.MessageType;
import org.eipc.api.Session;
import org.eipc.runtime.EipcRuntime;
import org.eipc.runtime.EndpointOptions;
import org.eipc.service.registry.RegistryEvent;
import org.eipc.service.registry.ServiceEntry;
import org.eipc.service.registry.ServiceRegistry;
import org.eipc.service.registry.ServiceVersion;
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
 * The registry bundle inside Felix with the {@code eipc-default} feature: an entry registered by a bundle vanishes
 * when that bundle stops (the registry is bundle-scoped); an entry registered by a remote session over a configured
 * endpoint ({@code org.eipc.endpoint}) is found locally and vanishes when the session closes (the runtime's
 * session-closed event); and the host keeps answering a client that sends all along while the registry bundle stops
 * and starts.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class RegistryIT {
    private static final Duration T = Duration.ofSeconds(10);
    private static final String HANDLERS = "(|(eipc.handler=registry)(eipc.handler=it-echo))";

    @Inject
    BundleContext context;

    private EipcRuntime runtime;

    @org.ops4j.pax.exam.Configuration
    public Option[] config() {
        return options(EipcOptions.base(), EipcOptions.feature("eipc-default"),
                systemTimeout(30_000)); // the probe may come up slowly on a busy 2-core machine
    }

    @Before
    public void keysAndRuntime() throws Exception {
        runtime = ItSupport.keyAndRuntime(context, "registry");
    }

    @Test
    public void entriesOfABundleVanishWhenItStops() throws Exception {
        ServiceRegistry registry = ItSupport.await(context, ServiceRegistry.class, null);
        CountDownLatch removed = removals(registry, "org.example.ui");
        Bundle app = emptyBundle("org.eipc.itest.registry.user");
        app.start();
        BundleContext appContext = app.getBundleContext();
        ServiceRegistry appView = appContext.getService(appContext.getServiceReference(ServiceRegistry.class));
        appView.register(ServiceEntry.builder("org.example.ui", ServiceVersion.parse("1.2.0")).capability("ui:control")
                .transport(URI.create("unix:///run/eipc/ui.sock")).build());
        assertEquals("bundle:" + app.getBundleId() + "/org.eipc.itest.registry.user",
                registry.lookup("org.example.ui").orElseThrow().owner());
        app.stop();
        assertTrue("the stopped bundle's entry was removed", removed.await(10, TimeUnit.SECONDS));
        assertTrue(registry.findByCapability("ui:control").isEmpty());
        app.uninstall();
    }

    @Test
    public void entriesOfARemoteSessionVanishWhenItCloses() throws Exception {
        ServiceRegistry registry = ItSupport.await(context, ServiceRegistry.class, null);
        CountDownLatch removed = removals(registry, "remote.ui");
        URI address = endpoint("session.sock");
        Session app = runtime.connect(List.of(address), EndpointOptions.builder().serviceId("app").build(),
                (s, m) -> { }, T);
        String reply = request(app, "registry.register", "{\"name\":\"remote.ui\",\"version\":\"3.0.0\","
                + "\"capabilities\":[\"ui:control\"],\"transports\":[\"" + address + "\"]}");
        assertTrue(reply, reply.contains("\"status\":\"ok\""));
        assertEquals("3.0.0", registry.lookup("remote.ui").orElseThrow().version().toString());
        app.close();
        assertTrue("the closed session's entry was removed", removed.await(10, TimeUnit.SECONDS));
    }

    @Test
    public void hostKeepsServingWhileTheRegistryBundleStopsAndStarts() throws Exception {
        ServiceRegistration<MessageHandler> echo = context.registerService(MessageHandler.class, (s, m) -> {
            if (!m.header().route().startsWith("registry.") && !m.header().requestId().isEmpty()) {
                s.reply(m, Message.of(MessageType.ACK, Header.builder().build(), m.payloadBytes()));
            }
        }, ItSupport.props("eipc.handler", "it-echo"));
        Session app = runtime.connect(List.of(endpoint("bounce.sock")), EndpointOptions.builder().serviceId("app")
                .build(), (s, m) -> { }, T);
        try (Traffic traffic = new Traffic(() -> assertEquals("ping", request(app, "echo", "ping")))) {
            traffic.restart(ItSupport.bundle(context, "org.eipc.service.registry"), 2, 200,
                    () -> ItSupport.await(context, MessageHandler.class, "(eipc.handler=registry)"));
        }
        assertTrue(request(app, "registry.lookup", "{\"name\":\"x\"}").contains("\"entries\":[]"));
        assertTrue("session still open", app.isOpen());
        app.close();
        echo.unregister();
    }

    /** A configured server endpoint on a Unix socket whose messages go to the registry and the test's echo. */
    private URI endpoint(String socket) throws Exception {
        Path dir = Files.createTempDirectory("eipc-it-registry");
        URI address = URI.create("unix://" + dir.resolve(socket));
        ConfigurationAdmin ca = ItSupport.await(context, ConfigurationAdmin.class, null);
        Configuration c = ca.getFactoryConfiguration("org.eipc.endpoint", socket.replace('.', '-'), null);
        c.update(ItSupport.props("name", socket, "uri", new String[] {address.toString()}, "serviceId", "host",
                "services", new String[] {"app=registry:register"}, "handler.target", HANDLERS));
        ItSupport.await(context, org.eipc.api.Endpoint.class, "(name=" + socket + ")");
        return address;
    }

    private static CountDownLatch removals(ServiceRegistry registry, String name) {
        CountDownLatch removed = new CountDownLatch(1);
        registry.watch(e -> {
            if (e.kind() == RegistryEvent.Kind.REMOVED && e.entry().name().equals(name)) {
                removed.countDown();
            }
        });
        return removed;
    }

    private static String request(Session s, String route, String payload) throws Exception {
        Message reply = s.request(Message.of(MessageType.TOOL_REQUEST, Header.builder().route(route).build(),
                payload.getBytes(StandardCharsets.UTF_8)), T).toCompletableFuture().get(10, TimeUnit.SECONDS);
        return new String(reply.payloadBytes(), StandardCharsets.UTF_8);
    }

    /** A bundle with nothing but a manifest: something to own entries and to stop. */
    private Bundle emptyBundle(String bsn) throws Exception {
        Manifest mf = new Manifest();
        mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        mf.getMainAttributes().putValue("Bundle-ManifestVersion", "2");
        mf.getMainAttributes().putValue("Bundle-SymbolicName", bsn);
        mf.getMainAttributes().putValue("Import-Package", "org.eipc.service.registry");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new JarOutputStream(out, mf).close();
        return context.installBundle("inline:" + bsn, new ByteArrayInputStream(out.toByteArray()));
    }
}
