package org.eipc.service.health.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.eipc.api.Header;
import org.eipc.api.Message;
import org.eipc.api.MessageType;
import org.eipc.service.health.CheckResult;
import org.eipc.service.health.HealthReport;
import org.junit.jupiter.api.Test;

class HealthRequestHandlerTest {
    private final Fakes.RecordingSession session = new Fakes.RecordingSession();
    private final HealthReport report = HealthReport.builder().check(CheckResult.up("runtime", "ok")).build();

    private static Message request(String route, String requestId, String capability) {
        return Message.of(MessageType.INTENT, Header.builder().route(route).requestId(requestId).capability(capability)
                .build(), "{}".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void shouldAnswerAHealthRequestWithTheReportAsJson() throws Exception {
        new HealthRequestHandler(() -> report, "health", "").onMessage(session, request("health", "r1", ""));
        assertEquals(1, session.replies.size());
        Message reply = session.replies.get(0);
        assertEquals(MessageType.INTENT, reply.type());
        assertEquals(Header.FORMAT_JSON, reply.header().payloadFormat());
        JsonNode n = new ObjectMapper().readTree(reply.payloadBytes());
        assertEquals("UP", n.get("status").asText());
        assertEquals(1, n.get("format").asInt());
    }

    @Test
    void shouldIgnoreOtherRoutesAndMessagesThatAreNotRequests() {
        HealthRequestHandler h = new HealthRequestHandler(() -> report, "health", "");
        h.onMessage(session, request("orders", "r1", ""));
        h.onMessage(session, request("health", "", ""));
        assertEquals(0, session.replies.size());
    }

    @Test
    void shouldDenyARequestWithoutTheConfiguredCapability() throws Exception {
        HealthRequestHandler h = new HealthRequestHandler(() -> report, "health", "health:read");
        h.onMessage(session, request("health", "r2", ""));
        Message denial = session.replies.get(0);
        assertEquals(MessageType.ACK, denial.type());
        JsonNode n = new ObjectMapper().readTree(denial.payloadBytes());
        assertEquals("error", n.get("status").asText());
        assertEquals("CAPABILITY_DENIED", n.get("code").asText());
        assertEquals("r2", n.get("request_id").asText());
        h.onMessage(session, request("health", "r3", "health:read"));
        assertTrue(new String(session.replies.get(1).payloadBytes(), StandardCharsets.UTF_8).contains("\"format\":1"));
    }
}
