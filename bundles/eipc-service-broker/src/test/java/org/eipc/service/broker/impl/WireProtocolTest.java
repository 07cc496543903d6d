package org.eipc.service.broker.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.eipc.api.ErrorCode;
import org.eipc.api.Header;
import org.eipc.api.IpcException;
import org.eipc.api.Message;
import org.eipc.api.MessageType;
import org.eipc.service.broker.SubscriberOptions;
import org.eipc.service.broker.Subscription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The wire protocol against in-memory sessions: subscribe, publish, back-pressure, services, cleanup, errors. */
class WireProtocolTest {
    private final BrokerComponent broker = new BrokerComponent(BrokerSettings.defaults().withSessionLimits(2, 1, 1000));

    @AfterEach
    void close() {
        broker.close();
    }

    private static void waitFor(final String what, final BooleanSupplier cond) throws InterruptedException {
        final long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!cond.getAsBoolean()) {
            assertTrue(System.nanoTime() < end, "timed out waiting for " + what);
            Thread.sleep(1);
        }
    }

    /** Sends a control request and returns the broker's status payload. */
    private String control(final FakeSession s, final String route, final String payload) throws Exception {
        broker.onMessage(s, Messages.routed(route, "c-" + route, payload));
        final Message reply = s.take();
        assertEquals("broker.status", reply.header().route());
        assertEquals("c-" + route, reply.header().requestId());
        return Messages.text(reply);
    }

    @Test
    void shouldDeliverToARemoteSubscriberAndNameTheAuthenticatedPublisher() throws Exception {
        final FakeSession sub = new FakeSession("s1", "app-sub");
        assertEquals("{\"status\":\"ok\"}", control(sub, "broker.subscribe.orders.*", ""));
        broker.publish("orders.eu", Messages.text("local"));
        final Message d = sub.take();
        assertEquals("broker.deliver.orders.eu", d.header().route());
        assertEquals("local", Messages.text(d));

        final LinkedBlockingQueue<Message> local = new LinkedBlockingQueue<>();
        broker.subscribe("orders.>", SubscriberOptions.defaults(), (t, m) -> local.add(m));
        final FakeSession pub = new FakeSession("s2", "app-pub");
        final Message spoofed = Message.of(MessageType.INTENT, Header.builder().serviceId("someone-else")
                .route("broker.publish.orders.us").requestId("p1").build(), new byte[] {1, 2, 3});
        broker.onMessage(pub, spoofed);
        assertEquals("{\"status\":\"ok\",\"matched\":2,\"enqueued\":2,\"dropped\":0}", Messages.text(pub.take()));
        final Message got = local.poll(10, TimeUnit.SECONDS);
        assertEquals("app-pub", got.header().serviceId()); // from the session's authentication, not the header
        assertEquals("", got.header().requestId());
        assertEquals(3, got.payloadLength());
        assertEquals("app-pub", sub.take().header().serviceId());
    }

    @Test
    void shouldHoldDeliveriesWhileTheSessionIsBackPressuredAndApplyTheOverflowPolicy() throws Exception {
        final FakeSession sub = new FakeSession("s1", "slow");
        control(sub, "broker.subscribe.feed", "{\"queue\":4,\"overflow\":\"drop_oldest\",\"future\":[1]}");
        sub.backPressure(true);
        broker.publish("feed", Messages.text("m1"));
        waitFor("the first refused send", () -> sub.refused.get() >= 1);
        for (int i = 2; i <= 10; i++) {
            broker.publish("feed", Messages.text("m" + i));
        }
        sub.release();
        for (String expected : List.of("m7", "m8", "m9", "m10")) {
            assertEquals(expected, Messages.text(sub.take()));
        }
        assertEquals(6, broker.topicStats().get("feed").dropped());
    }

    @Test
    void shouldDropEverythingASessionHeldWhenItCloses() throws Exception {
        final FakeSession a = new FakeSession("s1", "a");
        control(a, "broker.subscribe.x.>", "");
        control(a, "broker.register.svc", "");
        final FakeSession b = new FakeSession("s2", "b");
        control(b, "broker.subscribe.y", "");
        assertEquals(2, broker.core().subscriptions());

        a.close(); // found by the sweep
        broker.wire().sweep();
        assertEquals(1, broker.core().subscriptions());
        assertEquals(ErrorCode.CONNECT_FAILED, ((IpcException) broker.request("svc", Messages.text("x"),
                Duration.ofSeconds(5)).toCompletableFuture().handle((m, e) -> e.getCause() != null ? e.getCause() : e)
                .get(10, TimeUnit.SECONDS)).code());

        b.close(); // found by a delivery that answers CLOSED
        broker.publish("y", Messages.text("x"));
        waitFor("b's subscription to go", () -> broker.core().subscriptions() == 0);
        waitFor("b's peer entry to go", () -> broker.wire().peers() == 0);
    }

    @Test
    void shouldRefuseBadControlMessagesWithTheirErrorCode() throws Exception {
        final FakeSession s = new FakeSession("s1", "a");
        assertTrue(control(s, "broker.subscribe.a..b", "").contains("\"code\":\"ADDRESS_INVALID\""));
        assertTrue(control(s, "broker.subscribe.a", "{\"queue\":").contains("\"code\":\"CODEC_ERROR\""));
        assertTrue(control(s, "broker.subscribe.a", "[]").contains("\"code\":\"CODEC_ERROR\""));
        assertTrue(control(s, "broker.subscribe.a", "{\"queue\":0}").contains("\"code\":\"CONFIG_INVALID\""));
        assertTrue(control(s, "broker.subscribe.a", "{\"queue\":1e3}").contains("\"code\":\"CONFIG_INVALID\""));
        assertTrue(control(s, "broker.subscribe.a", "{\"overflow\":\"block\"}").contains("CONFIG_INVALID"));
        assertTrue(control(s, "broker.subscribe.a", "{\"queue\":100000000}").contains("CONFIG_INVALID"));
        assertTrue(control(s, "broker.subscribe.a", " ".repeat(2000)).contains("CODEC_ERROR"));
        assertTrue(control(s, "broker.frobnicate", "").contains("PROTOCOL_VIOLATION"));
        assertEquals(0, broker.core().subscriptions());
        final int replies = s.sent.size();

        broker.onMessage(s, Messages.routed("broker.request.svc", "", "")); // no request id: nothing to answer
        broker.onMessage(s, Messages.routed("broker.subscribe.a b", "", ""));
        assertEquals(2, broker.wire().rejected());
        broker.onMessage(s, Messages.routed("app.other", "", "")); // not a broker route: not ours
        assertEquals(replies, s.sent.size());
    }

    @Test
    void shouldLimitSubscriptionsAndServicesPerSession() throws Exception {
        final FakeSession s = new FakeSession("s1", "a");
        control(s, "broker.subscribe.a", "");
        control(s, "broker.subscribe.b", "");
        control(s, "broker.subscribe.b", "{\"queue\":8}"); // the same pattern again replaces it
        assertTrue(control(s, "broker.subscribe.c", "").contains("QUOTA_EXCEEDED"));
        control(s, "broker.unsubscribe.a", "");
        control(s, "broker.subscribe.c", "");
        assertEquals(2, broker.core().subscriptions());
        control(s, "broker.register.one", "");
        assertTrue(control(s, "broker.register.two", "").contains("QUOTA_EXCEEDED"));
    }

    @Test
    void shouldRouteARemoteRequestToTheSessionServingTheName() throws Exception {
        final FakeSession provider = new FakeSession("p", "provider");
        control(provider, "broker.register.calc.add", "");
        final FakeSession requester = new FakeSession("r", "requester");
        broker.onMessage(requester, Messages.routed("broker.request.calc.add", "req-1", "1+2"));

        final FakeSession.Pending forwarded = provider.requests.poll(10, TimeUnit.SECONDS);
        assertEquals("broker.request.calc.add", forwarded.message().header().route());
        assertEquals("requester", forwarded.message().header().serviceId());
        assertTrue(forwarded.message().header().requestId().startsWith("brk-"));
        assertEquals("1+2", Messages.text(forwarded.message()));
        forwarded.reply().complete(Messages.text("3"));

        final Message reply = requester.take();
        assertEquals("req-1", reply.header().requestId());
        assertEquals("3", Messages.text(reply));

        // and an in-host caller reaches the same remote service
        final var local = broker.request("calc.add", Messages.text("2+2"), Duration.ofSeconds(10));
        provider.requests.poll(10, TimeUnit.SECONDS).reply().complete(Messages.text("4"));
        assertEquals("4", Messages.text(local.toCompletableFuture().get(10, TimeUnit.SECONDS)));

        broker.onMessage(requester, Messages.routed("broker.request.nobody", "req-2", ""));
        assertTrue(Messages.text(requester.take()).contains("CONNECT_FAILED"));
    }

    @Test
    void shouldTellRemoteSubscribersWhenTheBrokerStops() throws Exception {
        final FakeSession s = new FakeSession("s1", "a");
        control(s, "broker.subscribe.news.>", "");
        final Subscription local = broker.subscribe("news.>", SubscriberOptions.defaults(), (t, m) -> { });
        broker.close();
        final Message notice = s.take();
        assertEquals("broker.cancelled.news.>", notice.header().route());
        assertEquals("{\"reason\":\"broker stopped\"}", Messages.text(notice));
        assertTrue(!local.isActive());
    }
}
