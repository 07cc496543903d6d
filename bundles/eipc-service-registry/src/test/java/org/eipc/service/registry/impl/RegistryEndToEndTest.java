package org.eipc.service.registry.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;


import org.eipc.api.ErrorCode;
import org.eipc.api.Header;
import org.eipc.api.IpcException;
import org.eipc.api.Message;
import org.eipc.api.MessageType;
import org.eipc.api.Session;
import org.eipc.runtime.EipcRuntimes;
import org.eipc.runtime.FixedKeyring;
import org.eipc.runtime.EndpointOptions;
import org.eipc.runtime.StandaloneRuntime;
import org.eipc.security.hmac.impl.HmacSha256Provider;
import org.eipc.service.registry.RegistryEvent;
import org.eipc.transport.unix.impl.UnixTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The remote registry through the real runtime: a server runtime listening on a Unix socket with the registry as its
 * handler, client runtimes that register and look up over authenticated (strict, HMAC) sessions, and a session whose
 * close makes its entries vanish.
 */
class RegistryEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration T = Duration.ofSeconds(10);

    @TempDir
    Path dir;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }


    private StandaloneRuntime runtime() {
        UnixTransport unix = new UnixTransport();
        toClose.add(unix);
        StandaloneRuntime r = EipcRuntimes.standalone(List.of(unix), new HmacSha256Provider(), new FixedKeyring("k1", "registry-end-to-end-test-key-32b".getBytes(StandardCharsets.US_ASCII)));
        toClose.add(r);
        return r;
    }

    private static JsonNode call(Session s, String route, String payload) throws Exception {
        Message reply = s.request(Message.of(MessageType.TOOL_REQUEST, Header.builder().route(route).build(),
                payload.getBytes(StandardCharsets.UTF_8)), T).toCompletableFuture().get(10, TimeUnit.SECONDS);
        return JSON.readTree(reply.payloadBytes());
    }

    @Test
    void shouldRegisterAndDiscoverOverRealSessionsAndForgetAClosedSession() throws Exception {
        RegistryCore core = new RegistryCore();
        RemoteRegistry registry = new RemoteRegistry(core, "registry:register", 8, 100, Duration.ofMillis(50));
        toClose.add(registry::deactivate);
        CountDownLatch removed = new CountDownLatch(1);
        core.watch("test", e -> {
            if (e.kind() == RegistryEvent.Kind.REMOVED) {
                removed.countDown();
            }
        });
        URI address = URI.create("unix://" + dir.resolve("registry.sock"));
        runtime().listen(List.of(address), EndpointOptions.builder().serviceId("host")
                .service("app", List.of("registry:register")).service("reader", List.of()).build(), registry);

        StandaloneRuntime clients = runtime();
        Session app = clients.connect(List.of(address), EndpointOptions.builder().serviceId("app").build(),
                (s, m) -> { }, T);
        Session reader = clients.connect(List.of(address), EndpointOptions.builder().serviceId("reader").build(),
                (s, m) -> { }, T);
        assertEquals("ok", call(app, "registry.register", "{\"name\":\"ui\",\"version\":\"2.1.0\",\"capabilities\":"
                + "[\"ui:control\"],\"transports\":[\"" + address + "\"]}").get("status").asText());
        ExecutionException refused = assertThrows(ExecutionException.class, () -> call(reader, "registry.register",
                "{\"name\":\"evil\",\"version\":\"1.0.0\"}"));
        assertEquals(ErrorCode.CAPABILITY_DENIED, ((IpcException) refused.getCause()).code(),
                "the error reply fails the caller's request with its code");

        JsonNode found = call(reader, "registry.find", "{\"capability\":\"ui:control\"}").get("entries");
        assertEquals(1, found.size());
        assertEquals("ui", found.get(0).get("name").asText());
        assertEquals(address.toString(), found.get(0).get("transports").get(0).asText());
        assertTrue(found.get(0).get("owner").asText().startsWith("session:"));

        app.close();
        assertTrue(removed.await(10, TimeUnit.SECONDS), "the closed session's entry was swept");
        assertEquals(0, call(reader, "registry.lookup", "{\"name\":\"ui\"}").get("entries").size());
    }

    @Test
    void shouldForgetAClosedSessionOnTheRuntimesEventWithoutASweep() throws Exception {
        RegistryCore core = new RegistryCore();
        RemoteRegistry registry = new RemoteRegistry(core, "", 8, 100, Duration.ZERO);
        CountDownLatch removed = new CountDownLatch(1);
        core.watch("test", e -> {
            if (e.kind() == RegistryEvent.Kind.REMOVED) {
                removed.countDown();
            }
        });
        URI address = URI.create("unix://" + dir.resolve("events.sock"));
        StandaloneRuntime server = runtime();
        server.addHook(new SessionReaper(core));
        server.listen(List.of(address), EndpointOptions.builder().serviceId("host").build(), registry);
        Session app = runtime().connect(List.of(address), EndpointOptions.builder().serviceId("app").build(),
                (s, m) -> { }, T);
        assertEquals("ok", call(app, "registry.register", "{\"name\":\"ui\",\"version\":\"1.0.0\"}")
                .get("status").asText());
        app.close();
        assertTrue(removed.await(10, TimeUnit.SECONDS), "SESSION_CLOSED removed the entry");
        assertEquals(0, core.size());
    }
}
