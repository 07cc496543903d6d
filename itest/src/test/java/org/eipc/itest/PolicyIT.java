package org.eipc.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemTimeout;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import javax.inject.Inject;

import org.eipc.api.Endpoint;
import org.eipc.api.ErrorCode;
import org.eipc.api.Header;
import org.eipc.api.IpcException;
import org.eipc.api.Message;
import org.eipc.api.MessageType;
import org.eipc.api.Session;
import org.eipc.runtime.EipcRuntime;
import org.eipc.runtime.EndpointOptions;
import org.eipc.service.policy.PolicyService;
import org.eipc.spi.runtime.MessageGate;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;

/**
 * The policy bundle inside Felix with the {@code eipc-default} feature: rules configured through ConfigAdmin (PID
 * {@code org.eipc.service.policy}) deny and allow real requests of a client session on a Unix socket (by peer, the
 * peer's uid from the transport, route and capability), a rule update takes effect on the same session without a
 * restart, and the host keeps serving a client that sends all along while the policy bundle stops and starts.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class PolicyIT {
    private static final String PID = "org.eipc.service.policy";
    private static final String POLICY_COMPONENT = "org.eipc.service.policy.impl.PolicyComponent";
    private static final Duration T = Duration.ofSeconds(10);

    @Inject
    BundleContext context;

    private EipcRuntime runtime;
    private Path dir;

    @org.ops4j.pax.exam.Configuration
    public Option[] config() {
        return options(EipcOptions.base(), EipcOptions.feature("eipc-default"),
                systemTimeout(30_000)); // the probe may come up slowly on a busy 2-core machine
    }

    @Before
    public void keysAndRuntime() throws Exception {
        runtime = ItSupport.keyAndRuntime(context, "policy");
        dir = Files.createTempDirectory("eipc-it-policy");
    }

    @Test
    public void configuredRulesDenyAndAllowRealMessagesAndUpdatesTakeEffect() throws Exception {
        int uid = (Integer) Files.getAttribute(dir, "unix:uid");
        PolicyService policy = rules("allow peer=nia.* uid=" + uid + " route=ui.* id=ui");
        Session nia = serveAndConnect("rules.sock");
        assertEquals("ok", request(nia, "ui.cursor.move", ""));
        assertEquals(ErrorCode.POLICY_DENIED, refused(nia, "device.motor", "device:write"));

        rules("allow peer=nia.* uid=" + uid + " route=ui.* id=ui",
                "allow peer=nia.min route=device.* level=controlled capability=device:write id=dev");
        assertEquals("ok", request(nia, "device.motor", "device:write"));
        assertEquals(ErrorCode.POLICY_DENIED, refused(nia, "device.status", ""));
        assertEquals(1, policy.stats().rule("dev").orElseThrow().allowed());
        assertEquals(1, policy.stats().rule("dev").orElseThrow().denied());
        assertEquals("the unchanged rule kept its counter", 1, policy.stats().rule("ui").orElseThrow().allowed());
    }

    @Test
    public void hostKeepsServingWhileThePolicyBundleStopsAndStarts() throws Exception {
        rules("allow peer=nia.* route=ui.* id=ui");
        Session nia = serveAndConnect("bounce.sock");
        try (Traffic traffic = new Traffic(() -> request(nia, "ui.cursor.move", ""))) {
            traffic.restart(ItSupport.bundle(context, "org.eipc.service.policy"), 2, 200,
                    () -> ItSupport.await(context, MessageGate.class, "(component.name=" + POLICY_COMPONENT + ")"));
        }
        assertEquals(ErrorCode.POLICY_DENIED, refused(nia, "device.motor", ""));
        assertTrue("session still open", nia.isOpen());
    }

    /** Configures the rules and waits until the (possibly new) policy service has them in force. */
    private PolicyService rules(String... rules) throws Exception {
        ItSupport.configure(context, PID, ItSupport.props("rules", rules));
        PolicyService policy = ItSupport.await(context, PolicyService.class, null);
        ItSupport.waitFor("rules in force", () -> policy.rules().equals(List.of(rules)));
        return policy;
    }

    private Session serveAndConnect(String socket) {
        URI address = URI.create("unix://" + dir.resolve(socket));
        Endpoint server = runtime.listen(List.of(address), EndpointOptions.builder().serviceId("host")
                .service("nia.min", List.of("device:write")).build(),
                (s, m) -> s.reply(m, Message.of(MessageType.ACK, Header.builder().build(),
                        "ok".getBytes(StandardCharsets.UTF_8))));
        assertTrue(server.address() != null);
        return runtime.connect(List.of(address), EndpointOptions.builder().serviceId("nia.min").build(), (s, m) -> { },
                T);
    }

    private static String request(Session s, String route, String capability) throws Exception {
        Message reply = s.request(Message.of(MessageType.INTENT, Header.builder().route(route).capability(capability)
                .build(), new byte[0]), T).toCompletableFuture().get(10, TimeUnit.SECONDS);
        return new String(reply.payloadBytes(), StandardCharsets.UTF_8);
    }

    private static ErrorCode refused(Session s, String route, String capability) throws Exception {
        try {
            request(s, route, capability);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IpcException) {
                return ((IpcException) e.getCause()).code();
            }
            throw e;
        }
        fail("request on " + route + " was delivered");
        return null;
    }
}
