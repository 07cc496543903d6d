package org.eipc.service.health.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.eipc.service.health.CheckResult;
import org.eipc.service.health.EndpointStatus;
import org.eipc.service.health.HealthReport;
import org.eipc.service.health.SessionStatus;
import org.junit.jupiter.api.Test;

class HealthJsonTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void shouldWriteTheDocumentedFieldsInTheirOrder() throws Exception {
        Map<String, Long> values = new LinkedHashMap<>();
        values.put("unacked", 1L);
        values.put("inbox", 0L);
        HealthReport r = HealthReport.builder().timestamp(Instant.parse("2025-03-01T12:00:00.123Z"))
                .check(CheckResult.up("framework", "active").asLiveness())
                .check(CheckResult.degraded("sessions", "1 detached"))
                .schemes(List.of("tcp", "unix")).counters(Map.of("sessions_opened", 3L))
                .endpoints(List.of(new EndpointStatus("server", List.of("unix:///h.sock"), true,
                        List.of(new SessionStatus("s1", "app", "unix", true, values)))))
                .recentFailures(Duration.ofSeconds(60), Map.of("frame_rejected", 2L)).build();
        String text = HealthJson.text(r);
        assertEquals("{\"format\":1,\"status\":\"DEGRADED\",\"live\":true,\"ready\":true,"
                + "\"timestamp\":\"2025-03-01T12:00:00.123Z\",\"checks\":["
                + "{\"name\":\"framework\",\"status\":\"UP\",\"liveness\":true,\"detail\":\"active\"},"
                + "{\"name\":\"sessions\",\"status\":\"DEGRADED\",\"liveness\":false,\"detail\":\"1 detached\"}],"
                + "\"metrics\":{\"schemes\":[\"tcp\",\"unix\"],\"counters\":{\"sessions_opened\":3},"
                + "\"endpoints\":[{\"role\":\"server\",\"addresses\":[\"unix:///h.sock\"],\"ready\":true,"
                + "\"sessions\":[{\"id\":\"s1\",\"peer\":\"app\",\"transport\":\"unix\",\"attached\":true,"
                + "\"values\":{\"unacked\":1,\"inbox\":0}}]}]},"
                + "\"failures\":{\"window_seconds\":60,\"counts\":{\"frame_rejected\":2}}}", text);
        JsonNode n = JSON.readTree(text);
        assertEquals("DEGRADED", n.get("status").asText());
    }

    @Test
    void shouldEscapeStringsSoAnyDetailStaysValidJson() throws Exception {
        String nasty = "quote \" backslash \\ newline \n tab \t nul \u0000 bell \u0007 sep \u2028 é ✓";
        HealthReport r = HealthReport.builder().check(CheckResult.down("x\"y", nasty)).build();
        String text = HealthJson.text(r);
        assertFalse(text.contains("\n"), text);
        JsonNode n = JSON.readTree(HealthJson.bytes(r));
        assertEquals(nasty, n.get("checks").get(0).get("detail").asText());
        assertEquals("x\"y", n.get("checks").get(0).get("name").asText());
        assertEquals("DOWN", n.get("status").asText());
        assertFalse(n.get("ready").asBoolean());
        assertTrue(n.get("metrics").get("endpoints").isArray());
    }
}
