package org.eipc.service.health.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.eipc.service.health.CheckResult;
import org.eipc.service.health.EndpointStatus;
import org.eipc.service.health.HealthStatus;
import org.junit.jupiter.api.Test;

class AssessmentTest {

    @Test
    void shouldBeDegradedForAClientEndpointWithoutASession() {
        RuntimeView v = new RuntimeView(List.of("unix"), Map.of(), List.of(
                new EndpointStatus("server", List.of("unix:///a.sock"), true, List.of()),
                new EndpointStatus("client", List.of("unix:///b.sock"), false, List.of())));
        CheckResult c = Assessment.endpoints(v);
        assertEquals(HealthStatus.DEGRADED, c.status());
        assertEquals("1 of 1 client endpoint(s) not connected: unix:///b.sock", c.detail());
    }

    @Test
    void shouldNameAtMostFiveEndpointsAndCountTheRest() {
        List<EndpointStatus> deaf = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            deaf.add(new EndpointStatus("server", List.of("tcp://h:" + i), false, List.of()));
        }
        CheckResult c = Assessment.endpoints(new RuntimeView(List.of("tcp"), Map.of(), deaf));
        assertEquals("7 of 7 server endpoint(s) not listening: tcp://h:0, tcp://h:1, tcp://h:2, tcp://h:3, tcp://h:4"
                + " and 2 more", c.detail());
    }

    @Test
    void shouldCountFailuresAtTheThresholdAsUp() {
        assertEquals(HealthStatus.UP, Assessment.failures(Map.of("frame_rejected", 10L), 60, 10).status());
        assertEquals(HealthStatus.DEGRADED, Assessment.failures(Map.of("frame_rejected", 11L), 60, 10).status());
    }

    @Test
    void shouldKeepWhatARingSlotCountedOnlyForItsOwnSecond() {
        long[] now = {5_000};
        FailureWindow w = new FailureWindow(3, () -> now[0]);
        w.record(org.eipc.spi.runtime.RuntimeEvent.Kind.HANDSHAKE_FAILED);
        now[0] += 3_000; // same slot, a later second: the old count must not leak into it
        w.record(org.eipc.spi.runtime.RuntimeEvent.Kind.HANDSHAKE_FAILED);
        assertEquals(1L, w.counts().get("handshake_failed"));
        now[0] += 2_999;
        assertEquals(1L, w.counts().get("handshake_failed"));
        now[0] += 1;
        assertEquals(0L, w.counts().get("handshake_failed"));
    }
}
