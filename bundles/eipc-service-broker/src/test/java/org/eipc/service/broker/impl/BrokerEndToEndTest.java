package org.eipc.service.broker.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.eipc.api.Message;
import org.eipc.api.MessageHandler;
import org.eipc.api.SendResult;
import org.eipc.api.Session;
import org.eipc.runtime.EipcRuntimes;
import org.eipc.runtime.FixedKeyring;
import org.eipc.runtime.EndpointOptions;
import org.eipc.runtime.StandaloneRuntime;
import org.eipc.security.hmac.impl.HmacSha256Provider;
import org.eipc.service.broker.SubscriberOptions;
import org.eipc.transport.unix.impl.UnixTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker behind a real server endpoint (standalone runtime, Unix domain socket, HMAC, hardened handshake) and
 * three client sessions of a second runtime: a subscriber, a publisher and a service provider.
 */
class BrokerEndToEndTest {
    private static final String KEY = "broker-end-to-end-test-key-32-b!";
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @TempDir
    Path dir;
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final BrokerComponent broker = new BrokerComponent(
            BrokerSettings.defaults().withSessionLimits(256, 16, 50));

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        broker.close();
    }

    private StandaloneRuntime runtime() {
        final UnixTransport unix = new UnixTransport();
        toClose.add(unix);
        final StandaloneRuntime r = EipcRuntimes.standalone(List.of(unix), new HmacSha256Provider(),
                new FixedKeyring("k1", KEY.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        toClose.add(r);
        return r;
    }

    private static Message call(final Session s, final String route, final String payload) throws Exception {
        return s.request(Messages.routed(route, "", payload), TIMEOUT).toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    @Test
    void shouldPublishSubscribeAndRouteRequestsOverRealSessions() throws Exception {
        final URI address = URI.create("unix://" + dir.resolve("broker.sock"));
        runtime().listen(List.of(address), EndpointOptions.builder().serviceId("host").build(), broker);
        final StandaloneRuntime clients = runtime();

        final LinkedBlockingQueue<Message> deliveries = new LinkedBlockingQueue<>();
        final Session sub = clients.connect(List.of(address), EndpointOptions.builder().serviceId("sub").build(),
                (s, m) -> deliveries.add(m), TIMEOUT);
        final MessageHandler calculator = (s, m) -> {
            if ("broker.request.calc.double".equals(m.header().route())) {
                final int n = Integer.parseInt(Messages.text(m));
                s.reply(m, Messages.text(m.header().serviceId() + ":" + 2 * n));
            }
        };
        final Session provider = clients.connect(List.of(address), EndpointOptions.builder().serviceId("calc")
                .build(), calculator, TIMEOUT);
        final Session pub = clients.connect(List.of(address), EndpointOptions.builder().serviceId("pub").build(),
                (s, m) -> { }, TIMEOUT);

        assertEquals("{\"status\":\"ok\"}", Messages.text(call(sub, "broker.subscribe.e2e.*", "{\"queue\":256}")));
        final LinkedBlockingQueue<Message> local = new LinkedBlockingQueue<>();
        broker.subscribe("e2e.>", SubscriberOptions.defaults(), (t, m) -> local.add(m));
        for (int i = 0; i < 200; i++) {
            assertEquals(SendResult.OK, pub.send(Messages.routed("broker.publish.e2e.numbers", "", "n" + i)));
        }
        for (int i = 0; i < 200; i++) {
            final Message remote = deliveries.poll(20, TimeUnit.SECONDS);
            assertNotNull(remote, "remote delivery " + i);
            assertEquals("n" + i, Messages.text(remote));
            assertEquals("broker.deliver.e2e.numbers", remote.header().route());
            assertEquals("pub", remote.header().serviceId());
            final Message inHost = local.poll(20, TimeUnit.SECONDS);
            assertNotNull(inHost, "in-host delivery " + i);
            assertEquals("n" + i, Messages.text(inHost));
        }

        assertEquals("{\"status\":\"ok\"}", Messages.text(call(provider, "broker.register.calc.double", "")));
        assertEquals("pub:42", Messages.text(call(pub, "broker.request.calc.double", "21")));
        assertEquals("host-request:8", Messages.text(broker.request("calc.double",
                Message.of(org.eipc.api.MessageType.INTENT, org.eipc.api.Header.builder().serviceId("host-request")
                        .build(), "4".getBytes(java.nio.charset.StandardCharsets.US_ASCII)), TIMEOUT)
                .toCompletableFuture().get(20, TimeUnit.SECONDS)));

        // a closed session's subscription and service go (the sweep runs every 50 ms here)
        sub.close();
        provider.close();
        final long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (broker.core().subscriptions() != 1 || broker.wire().peers() != 0) {
            assertTrue(System.nanoTime() < end, "subscriptions " + broker.core().subscriptions() + ", peers "
                    + broker.wire().peers());
            Thread.sleep(5);
        }
        // an error status is the runtime's error notice: the requester's own request fails with the broker's code
        final java.util.concurrent.ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(
                java.util.concurrent.ExecutionException.class, () -> call(pub, "broker.request.calc.double", "1"));
        assertEquals(org.eipc.api.ErrorCode.CONNECT_FAILED, ((org.eipc.api.IpcException) e.getCause()).code());
        assertEquals("{\"status\":\"ok\",\"matched\":1,\"enqueued\":1,\"dropped\":0}",
                Messages.text(call(pub, "broker.publish.e2e.last", "bye")));
    }
}
