package org.eipc.runtime.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.eipc.api.ErrorCode;
import org.eipc.api.Header;
import org.eipc.api.IpcException;
import org.eipc.api.Message;
import org.eipc.api.MessageType;
import org.eipc.api.Session;
import org.eipc.spi.runtime.RuntimeEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attack tests for strict-mode capabilities on real Unix sockets: a granted capability travels as this session's
 * handle and arrives by name; a forged handle, another session's handle, a capability never granted, and a bare name
 * are each refused with CAPABILITY_DENIED, raised as an event, and the session and the host keep serving.
 */
class CapabilityHandleTest extends OneRuntime {
    @TempDir
    Path dir;
    private final List<RuntimeEvent> events = new CopyOnWriteArrayList<>();
    private final List<String> seenCapabilities = new CopyOnWriteArrayList<>();

    private ServerEndpointImpl server() {
        h.ctx.hooks.addListener(events::add);
        EndpointSettings ss = Harness.settings("host");
        ss.services.put("app", List.of("ui:control", "device:read"));
        ss.services.put("other", List.of("ui:control"));
        return h.server(ss, (s, m) -> {
            seenCapabilities.add(m.header().capability());
            s.reply(m, Message.of(MessageType.ACK, Header.builder().build(), "ok".getBytes(StandardCharsets.UTF_8)));
        }, URI.create("unix://" + dir.resolve("host.sock")));
    }

    private Session connect(ServerEndpointImpl server, String service) throws Exception {
        return h.client(Harness.settings(service), (s, m) -> { }, server.address()).connect().toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
    }

    private static Message withCapability(String cap) {
        return Message.of(MessageType.INTENT, Header.builder().capability(cap).build(),
                "{}".getBytes(StandardCharsets.UTF_8));
    }

    private static Message ask(Session s, Message m) throws Exception {
        return s.request(m, Duration.ofSeconds(10)).toCompletableFuture().get(15, TimeUnit.SECONDS);
    }

    private static ErrorCode refusal(Session s, Message m) throws Exception {
        ExecutionException e = assertThrows(ExecutionException.class, () -> ask(s, m));
        return assertInstanceOf(IpcException.class, e.getCause()).code();
    }

    @Test
    void grantedCapabilityTravelsAsTheSessionsHandleAndArrivesByName() throws Exception {
        ServerEndpointImpl server = server();
        Session app = connect(server, "app");
        List<String> handles = ((SessionImpl) app).issuedHandles(List.of("ui:control", "device:read"));
        assertTrue(handles.get(0).startsWith("ui:control#"), handles.toString());
        assertTrue(handles.get(0).length() >= "ui:control#".length() + 22, "a 128-bit tag: " + handles.get(0));
        assertEquals("ok", new String(ask(app, withCapability("ui:control")).payloadBytes(), StandardCharsets.UTF_8));
        assertEquals(List.of("ui:control"), seenCapabilities);
    }

    @Test
    void forgedForeignUngrantedAndBareCapabilitiesAreDeniedAndTheHostKeepsServing() throws Exception {
        ServerEndpointImpl server = server();
        Session app = connect(server, "app");
        Session other = connect(server, "other");
        String appHandle = ((SessionImpl) app).issuedHandles(List.of("ui:control")).get(0);
        String otherHandle = ((SessionImpl) other).issuedHandles(List.of("ui:control")).get(0);
        assertNotEquals(appHandle, otherHandle, "handles are bound to their session");

        // a forged tag of the right length
        assertEquals(ErrorCode.CAPABILITY_DENIED, refusal(app, withCapability("ui:control#AAAAAAAAAAAAAAAAAAAAAA")));
        // another session's handle for a capability this session also holds
        assertEquals(ErrorCode.CAPABILITY_DENIED, refusal(app, withCapability(otherHandle)));
        // a granted handle with its name changed to one the session was not granted
        assertEquals(ErrorCode.CAPABILITY_DENIED,
                refusal(other, withCapability("device:read" + otherHandle.substring(otherHandle.indexOf('#')))));
        // a capability never granted to this peer: the runtime has no handle for it and sends the bare name
        assertEquals(ErrorCode.CAPABILITY_DENIED, refusal(other, withCapability("device:read")));
        assertEquals(List.of(), seenCapabilities, "nothing refused reached the handler");

        // both sessions and the host go on
        ask(app, withCapability("ui:control"));
        ask(other, withCapability("ui:control"));
        assertEquals(List.of("ui:control", "ui:control"), seenCapabilities);
        assertTrue(app.isOpen() && other.isOpen());
        long denials = events.stream().filter(e -> e.kind() == RuntimeEvent.Kind.MESSAGE_DENIED
                && e.code() == ErrorCode.CAPABILITY_DENIED).count();
        assertEquals(4, denials, events.toString());
        assertEquals(4L, h.ctx.hooks.counters().get("messages_denied"));
        assertTrue(events.stream().noneMatch(e -> e.detail().contains(appHandle.substring(appHandle.indexOf('#') + 1))),
                "events never carry a valid handle's tag");
    }
}
