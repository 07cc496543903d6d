package org.eipc.service.registry.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.eipc.api.ErrorCode;
import org.eipc.api.Header;
import org.eipc.api.IpcException;
import org.eipc.api.Message;
import org.eipc.api.MessageType;
import org.eipc.spi.runtime.RuntimeEvent;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class RemoteRegistryTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String UI = "{\"name\":\"ui\",\"version\":\"1.2.0\",\"capabilities\":[\"ui:control\"],"
            + "\"transports\":[\"unix:///run/eipc/ui.sock\"],\"properties\":{\"zone\":\"a\"}}";

    private final RegistryCore core = new RegistryCore();
    private final RemoteRegistry remote = new RemoteRegistry(core, "registry:register", 2, 100, Duration.ZERO);
    private final FakeSession app = new FakeSession("s-app", "app", "registry:register");

    private JsonNode call(FakeSession s, String route, String payload) throws Exception {
        int before = s.replies.size();
        remote.onMessage(s, Message.of(MessageType.TOOL_REQUEST, Header.builder().route(route).requestId("r" + before)
                .build(), payload.getBytes(StandardCharsets.UTF_8)));
        assertEquals(before + 1, s.replies.size(), "one reply");
        Message reply = s.replies.get(before);
        assertEquals(MessageType.ACK, reply.type());
        return JSON.readTree(reply.payloadBytes());
    }

    private static void assertError(ErrorCode code, JsonNode reply) {
        assertEquals("error", reply.get("status").asText(), reply.toString());
        assertEquals(code.name(), reply.get("code").asText(), reply.toString());
    }

    @Test
    void shouldRegisterLookUpFindAndUnregister() throws Exception {
        JsonNode ok = call(app, "registry.register", UI);
        assertEquals("ok", ok.get("status").asText());
        JsonNode found = call(app, "registry.lookup", "{\"name\":\"ui\"}").get("entries");
        assertEquals(1, found.size());
        JsonNode e = found.get(0);
        assertEquals("1.2.0", e.get("version").asText());
        assertEquals("unix:///run/eipc/ui.sock", e.get("transports").get(0).asText());
        assertEquals("session:s-app", e.get("owner").asText());
        assertEquals("a", e.get("properties").get("zone").asText());
        assertEquals(1, call(app, "registry.find", "{\"capability\":\"ui:control\"}").get("entries").size());
        assertEquals(0, call(app, "registry.find", "{\"capability\":\"ai:chat\"}").get("entries").size());
        FakeSession other = new FakeSession("s-other", "other", "registry:register");
        assertError(ErrorCode.ILLEGAL_STATE, call(other, "registry.unregister",
                "{\"id\":\"" + ok.get("id").asText() + "\"}"));
        assertEquals("ok", call(app, "registry.unregister", "{\"id\":\"" + ok.get("id").asText() + "\"}")
                .get("status").asText());
        assertEquals(0, core.size());
    }

    @Test
    void shouldDropASessionsEntriesWhenItCloses() throws Exception {
        call(app, "registry.register", UI);
        FakeSession reader = new FakeSession("s-r", "reader");
        assertEquals(1, call(reader, "registry.lookup", "{\"name\":\"ui\"}").get("entries").size());
        app.close();
        assertEquals(0, call(reader, "registry.lookup", "{\"name\":\"ui\"}").get("entries").size());
    }

    @Test
    void shouldDropASessionsEntriesOnTheRuntimesSessionClosedEvent() throws Exception {
        call(app, "registry.register", UI);
        new SessionReaper(core).onEvent(RuntimeEvent.builder(RuntimeEvent.Kind.SESSION_CLOSED).sessionId("s-app")
                .build());
        assertEquals(0, core.size());
    }

    @Test
    void shouldRefuseRegistrationWithoutTheCapabilityOrBeyondTheQuota() throws Exception {
        assertError(ErrorCode.CAPABILITY_DENIED, call(new FakeSession("s2", "x"), "registry.register", UI));
        call(app, "registry.register", UI);
        call(app, "registry.register", UI);
        assertError(ErrorCode.QUOTA_EXCEEDED, call(app, "registry.register", UI));
        assertEquals(2, core.size());
    }

    @Test
    void shouldAnswerBadPayloadsWithTheirCode() throws Exception {
        assertError(ErrorCode.CODEC_ERROR, call(app, "registry.register", "{not json"));
        assertError(ErrorCode.SCHEMA_INVALID, call(app, "registry.register", "[]"));
        assertError(ErrorCode.SCHEMA_INVALID, call(app, "registry.register", "{\"name\":\"ui\"}"));
        JsonNode v = call(app, "registry.register", "{\"name\":\"ui\",\"version\":\"1.0.x\"}");
        assertError(ErrorCode.SCHEMA_INVALID, v);
        assertTrue(v.get("error").asText().contains("semantic version"), v.toString());
        assertError(ErrorCode.SCHEMA_INVALID, call(app, "registry.register",
                "{\"name\":\"ui\",\"version\":\"1.0.0\",\"transports\":[\"no-scheme\"]}"));
        assertError(ErrorCode.SCHEMA_INVALID, call(app, "registry.lookup", "{\"name\":7}"));
        assertError(ErrorCode.PROTOCOL_VIOLATION, call(app, "registry.nothing", "{}"));
        assertError(ErrorCode.CODEC_ERROR, call(app, "registry.lookup", "{\"name\":\"" + "x".repeat(70_000) + "\"}"));
    }

    @Test
    void shouldIgnoreOtherRoutesAndMessagesWithoutRequestId() {
        remote.onMessage(app, Message.of(MessageType.INTENT, Header.builder().route("ui.move").requestId("r").build(),
                new byte[0]));
        remote.onMessage(app, Message.of(MessageType.INTENT, Header.builder().route("registry.lookup").build(),
                "{\"name\":\"ui\"}".getBytes(StandardCharsets.UTF_8)));
        assertEquals(List.of(), app.replies);
    }

    @Test
    void shouldRejectLimitsBelowOne() {
        IpcException e = org.junit.jupiter.api.Assertions.assertThrows(IpcException.class,
                () -> new RemoteRegistry(core, "", 0, 1, Duration.ZERO));
        assertEquals(ErrorCode.CONFIG_INVALID, e.code());
    }
}
