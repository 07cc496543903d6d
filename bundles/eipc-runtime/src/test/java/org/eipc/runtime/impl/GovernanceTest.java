package org.eipc.runtime.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.eipc.api.ErrorCode;
import org.eipc.api.Header;
import org.eipc.api.IpcException;
import org.eipc.api.Message;
import org.eipc.api.MessageType;
import org.eipc.api.Priority;
import org.eipc.api.Session;
import org.eipc.runtime.EndpointMetrics;
import org.eipc.runtime.SessionMetrics;
import org.eipc.spi.runtime.GateVerdict;
import org.eipc.spi.runtime.MessageTap;
import org.eipc.spi.runtime.RuntimeEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Gates, taps, quotas, latency budgets and metrics on real Unix sockets. */
class GovernanceTest extends OneRuntime {
    @TempDir
    Path dir;

    private static Message request(String route, String text) {
        return Message.of(MessageType.TOOL_REQUEST, Header.builder().route(route).build(),
                text.getBytes(StandardCharsets.UTF_8));
    }

    private static Message ok() {
        return Message.of(MessageType.ACK, Header.builder().build(), "ok".getBytes(StandardCharsets.UTF_8));
    }

    private Session connect(ServerEndpointImpl server, String service) throws Exception {
        return h.client(Harness.settings(service), (s, m) -> { }, server.address()).connect().toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
    }

    private static IpcException failure(CompletableFuture<Message> f) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(15, TimeUnit.SECONDS));
        return assertInstanceOf(IpcException.class, e.getCause());
    }

    @Test
    void aGateDeniesBeforeTheHandlerAndTheRequestFailsWithItsCodeWhileTapsSeeWhatPassed() throws Exception {
        List<String> tapped = new CopyOnWriteArrayList<>();
        h.ctx.hooks.addGate((ctx, m) -> m.header().route().startsWith("admin.")
                ? GateVerdict.deny(ErrorCode.POLICY_DENIED, "admin routes are closed to " + ctx.peer().serviceId())
                : GateVerdict.ALLOW, 0);
        h.ctx.hooks.addTap((d, ctx, m, t) -> tapped.add(d + (ctx.server() ? "@server " : "@client ")
                + m.header().route()));
        List<String> handled = new CopyOnWriteArrayList<>();
        ServerEndpointImpl server = h.server(Harness.settings("host"), (s, m) -> {
            handled.add(m.header().route());
            s.reply(m, ok());
        }, URI.create("unix://" + dir.resolve("g.sock")));
        Session app = connect(server, "app");

        IpcException denied = failure(app.request(request("admin.reboot", "now"), Duration.ofSeconds(10))
                .toCompletableFuture());
        assertEquals(ErrorCode.POLICY_DENIED, denied.code());
        assertTrue(denied.getMessage().contains("admin routes are closed to app"), denied.getMessage());
        app.request(request("tools.list", ""), Duration.ofSeconds(10)).toCompletableFuture().get(15, TimeUnit.SECONDS);

        assertEquals(List.of("tools.list"), handled);
        assertTrue(tapped.contains("INBOUND@server tools.list"), tapped.toString());
        assertTrue(tapped.contains("OUTBOUND@client tools.list"), tapped.toString());
        assertTrue(tapped.stream().noneMatch(t -> t.startsWith("INBOUND@server admin")), "a denied message is not tapped");
        assertEquals(1L, h.ctx.hooks.counters().get("messages_denied"));
    }

    @Test
    void aPeerOverItsQuotaIsRefusedWhileAnotherPeerStaysWithinItsLatencyBudget() throws Exception {
        EndpointSettings ss = Harness.settings("host");
        ss.quotas = Limits.quotas(new String[] {"flood=100,0,0"});
        ss.budgets = Limits.budgets(new String[] {"calm.*=2000"});
        List<RuntimeEvent> events = new CopyOnWriteArrayList<>();
        h.ctx.hooks.addListener(events::add);
        ServerEndpointImpl server = h.server(ss, (s, m) -> s.reply(m, ok()),
                URI.create("unix://" + dir.resolve("q.sock")));
        Session flood = connect(server, "flood");
        Session calm = connect(server, "calm");

        List<CompletableFuture<Message>> floods = new ArrayList<>();
        List<CompletableFuture<Message>> calms = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            floods.add(flood.request(request("bulk.put", "x" + i), Duration.ofSeconds(20)).toCompletableFuture());
            if (i % 10 == 0) {
                calms.add(calm.request(request("calm.ping", "p" + i), Duration.ofSeconds(20)).toCompletableFuture());
            }
        }
        int refused = 0;
        int answered = 0;
        for (CompletableFuture<Message> f : floods) {
            try {
                f.get(30, TimeUnit.SECONDS);
                answered++;
            } catch (ExecutionException e) {
                assertEquals(ErrorCode.QUOTA_EXCEEDED, ((IpcException) e.getCause()).code());
                refused++;
            }
        }
        for (CompletableFuture<Message> f : calms) {
            f.get(30, TimeUnit.SECONDS); // every calm request answered: its peer has no quota and its budget held
        }
        assertEquals(1000, refused + answered);
        assertTrue(refused > 0 && answered >= 100, "refused " + refused + ", answered " + answered);
        SessionMetrics floodMetrics = sessionOf(server, "flood");
        SessionMetrics calmMetrics = sessionOf(server, "calm");
        assertEquals(refused, floodMetrics.quotaRejections());
        assertEquals(0, calmMetrics.quotaRejections());
        assertEquals(0L, h.ctx.hooks.counters().get("deadline_exceeded"), "the calm peer's budget was never missed");
        assertTrue(events.stream().anyMatch(e -> e.kind() == RuntimeEvent.Kind.QUOTA_EXCEEDED
                && e.peer().serviceId().equals("flood")));
    }

    @Test
    void aMessageThatWaitsLongerThanItsChannelsBudgetIsReportedToTheSenderAndCounted() throws Exception {
        EndpointSettings ss = Harness.settings("host");
        ss.budgets = Limits.budgets(new String[] {"ui.*=100"});
        CountDownLatch release = new CountDownLatch(1);
        ServerEndpointImpl server = h.server(ss, (s, m) -> {
            if (m.header().route().equals("files.block")) {
                try {
                    release.await(10, TimeUnit.SECONDS); // a handler stuck behind something slow
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            s.reply(m, ok());
        }, URI.create("unix://" + dir.resolve("b.sock")));
        Session app = connect(server, "app");
        CompletableFuture<Message> blocker = app.request(request("files.block", ""), Duration.ofSeconds(20))
                .toCompletableFuture();
        CompletableFuture<Message> late = app.request(request("ui.move", ""), Duration.ofSeconds(20))
                .toCompletableFuture();
        CompletableFuture<Message> unbudgeted = app.request(request("files.read", ""), Duration.ofSeconds(20))
                .toCompletableFuture();
        // the blocker has no budget; ui.move waits behind it for longer than its 100 ms: once released it is
        // reported, not delivered
        while (server.sessions().isEmpty() || ((SessionImpl) server.sessions().iterator().next()).metrics().inbox() < 2) {
            Thread.onSpinWait();
        }
        Thread.sleep(250); // let the waiting message outlive its 100 ms budget (the condition under test)
        release.countDown();
        blocker.get(15, TimeUnit.SECONDS);
        assertEquals(ErrorCode.DEADLINE_EXCEEDED, failure(late).code());
        unbudgeted.get(15, TimeUnit.SECONDS); // a channel without a budget is delivered however long it waited
        assertEquals(1L, h.ctx.hooks.counters().get("deadline_exceeded"));
    }

    @Test
    void metricsShowEndpointsSessionsLanesAndLatencies() throws Exception {
        ServerEndpointImpl server = h.server(Harness.settings("host"), (s, m) -> s.reply(m, ok()),
                URI.create("unix://" + dir.resolve("m.sock")));
        Session app = connect(server, "app");
        for (int i = 0; i < 50; i++) {
            Message m = Message.of(MessageType.INTENT, Header.builder().priority(Priority.P2).build(), new byte[10]);
            app.request(m, Duration.ofSeconds(10)).toCompletableFuture().get(15, TimeUnit.SECONDS);
        }
        List<EndpointMetrics> eps = h.ctx.metrics().endpoints();
        EndpointMetrics se = eps.stream().filter(e -> e.role().equals("server")).findFirst().orElseThrow();
        EndpointMetrics ce = eps.stream().filter(e -> e.role().equals("client")).findFirst().orElseThrow();
        assertTrue(se.ready() && ce.ready());
        SessionMetrics cs = ce.sessions().get(0);
        assertEquals("host", cs.peer());
        assertEquals("unix", cs.transport());
        assertEquals(50, cs.lanes().get(2).sentMessages());
        assertEquals(50, cs.lanes().get(2).queueLatency().count());
        assertEquals(0, cs.lanes().get(0).sentMessages());
        assertEquals(50, cs.receivedMessages());
        SessionMetrics ss = se.sessions().get(0);
        assertEquals(50, ss.receivedMessages());
        assertEquals(500, ss.receivedBytes());
        assertEquals(50, ss.deliveryLatency().count());
        assertTrue(ss.deliveryLatency().percentileNanos(0.99) <= ss.deliveryLatency().maxNanos());
        assertEquals(2L, h.ctx.hooks.counters().get("sessions_opened"));
    }

    private static SessionMetrics sessionOf(ServerEndpointImpl server, String peer) {
        return server.metrics().sessions().stream().filter(s -> s.peer().equals(peer)).findFirst().orElseThrow();
    }
}
