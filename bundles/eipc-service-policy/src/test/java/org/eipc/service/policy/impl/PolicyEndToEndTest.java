package org.eipc.service.policy.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
import org.eipc.transport.unix.impl.UnixTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The policy as the gate of a real runtime: a server runtime on a Unix socket (which gives the peer's uid), a client
 * session sending requests that rules allow or deny, and a rule update that takes effect on the same session.
 */
class PolicyEndToEndTest {
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
        StandaloneRuntime r = EipcRuntimes.standalone(List.of(unix), new HmacSha256Provider(), new FixedKeyring("k1", "policy-end-to-end-test-key-32-b!".getBytes(StandardCharsets.US_ASCII)));
        toClose.add(r);
        return r;
    }

    private static String request(Session s, String route) throws Exception {
        Message reply = s.request(Message.of(MessageType.INTENT, Header.builder().route(route).build(),
                route.getBytes(StandardCharsets.UTF_8)), T).toCompletableFuture().get(10, TimeUnit.SECONDS);
        return new String(reply.payloadBytes(), StandardCharsets.UTF_8);
    }

    private static ErrorCode refused(Session s, String route) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> request(s, route));
        return ((IpcException) e.getCause()).code();
    }

    @Test
    void shouldDenyAndAllowRealMessagesAndFollowARuleUpdate() throws Exception {
        int uid = (Integer) Files.getAttribute(dir, "unix:uid");
        PolicyComponent policy = new PolicyComponent(new String[] {
            "allow peer=nia.* uid=" + uid + " type=intent route=ui.* id=ui",
            "deny route=device.* id=device"}, true, false);
        StandaloneRuntime server = runtime();
        server.addHook(policy);
        URI address = URI.create("unix://" + dir.resolve("host.sock"));
        server.listen(List.of(address), EndpointOptions.builder().serviceId("host").build(),
                (s, m) -> s.reply(m, Message.of(MessageType.ACK, Header.builder().build(), "ok".getBytes(
                        StandardCharsets.UTF_8))));
        Session nia = runtime().connect(List.of(address), EndpointOptions.builder().serviceId("nia.min").build(),
                (s, m) -> { }, T);

        assertEquals("ok", request(nia, "ui.cursor.move"));
        assertEquals(ErrorCode.POLICY_DENIED, refused(nia, "device.motor"));
        assertEquals(ErrorCode.POLICY_DENIED, refused(nia, "chat.send"));

        assertTrue(policy.update(new String[] {"allow peer=nia.min route=chat.* id=chat"}, true, false));
        assertEquals("ok", request(nia, "chat.send"));
        assertEquals(ErrorCode.POLICY_DENIED, refused(nia, "ui.cursor.move"));

        var stats = policy.stats();
        assertEquals(2, stats.allowed());
        assertEquals(3, stats.denied());
        assertEquals(2, stats.deniedByDefault());
        assertEquals(1, stats.rule("chat").orElseThrow().allowed());
        assertTrue(nia.isOpen(), "a denial refuses the message, not the session");
    }
}
