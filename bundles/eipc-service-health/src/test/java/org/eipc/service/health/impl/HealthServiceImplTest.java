package org.eipc.service.health.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;
import org.eipc.runtime.RuntimeMetrics;
import org.eipc.service.health.CheckResult;
import org.eipc.service.health.HealthCheck;
import org.eipc.service.health.HealthReport;
import org.eipc.service.health.HealthStatus;
import org.eipc.spi.runtime.RuntimeEvent;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HealthServiceImplTest {
    private final MutableClock clock = new MutableClock();
    private final AtomicBoolean frameworkActive = new AtomicBoolean(true);
    private final Fakes.Metrics metrics = new Fakes.Metrics();
    private HealthServiceImpl health;

    @BeforeEach
    void setUp() {
        health = new HealthServiceImpl(60, 3, clock, frameworkActive::get);
    }

    private void bindAll() {
        health.bindMetrics(new Fakes.Objects<RuntimeMetrics>(metrics));
        health.bindKeyring(Fakes.keyring("file", "k1"), Fakes.props(10L));
        metrics.endpoints = List.of(Fakes.server("unix:///run/host.sock", true, Fakes.session("a", true)));
    }

    private static CheckResult check(HealthReport r, String name) {
        return r.checks().stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no check " + name + " in " + r));
    }

    @Test
    void shouldBeDownAndNotReadyButLiveWithoutARuntime() {
        health.bindKeyring(Fakes.keyring("file", "k1"), Fakes.props(10L));
        HealthReport r = health.report();
        assertEquals(HealthStatus.DOWN, r.status());
        assertTrue(r.live(), r.toString());
        assertFalse(r.ready());
        assertEquals(HealthStatus.DOWN, check(r, "runtime").status());
        assertTrue(check(r, "runtime").detail().contains("RuntimeMetrics"), r.toString());
        assertEquals(List.of(), r.endpoints());
        assertEquals(List.of("framework", "runtime", "transports", "endpoints", "keyring", "sessions", "failures"),
                r.checks().stream().map(CheckResult::name).toList());
    }

    @Test
    void shouldBeUpWhenRuntimeTransportsListeningEndpointsAndKeyringArePresent() {
        bindAll();
        HealthReport r = health.report();
        assertEquals(HealthStatus.UP, r.status(), r.toString());
        assertTrue(r.live() && r.ready());
        assertEquals(List.of("tcp", "unix"), r.schemes());
        assertEquals(2L, r.counters().get("sessions_opened"));
        assertEquals("unix:///run/host.sock", r.endpoints().get(0).addresses().get(0));
        Map<String, Long> v = r.endpoints().get(0).sessions().get(0).values();
        assertEquals(42L, v.get("received_messages"));
        assertEquals(3L, v.get("unacked"));
        assertEquals(10L, v.get("p3_sent_messages"));
        assertEquals(900L, v.get("delivery_max_ns"));
        assertTrue(check(r, "keyring").detail().contains("k1"));
        assertEquals(clock.instant(), r.timestamp());
    }

    @Test
    void shouldBeDownWhenNoTransportIsBoundOrAServerEndpointDoesNotListen() {
        bindAll();
        metrics.schemes = List.of();
        assertEquals(HealthStatus.DOWN, check(health.report(), "transports").status());
        metrics.schemes = List.of("tcp");
        metrics.endpoints = List.of(Fakes.server("unix:///run/host.sock", false), Fakes.server("tcp://h:1", true));
        HealthReport r = health.report();
        assertEquals(HealthStatus.DOWN, r.status());
        assertFalse(r.ready());
        assertTrue(r.live());
        assertTrue(check(r, "endpoints").detail().contains("1 of 2 server endpoint(s) not listening: unix:///run/host.sock"),
                check(r, "endpoints").detail());
    }

    @Test
    void shouldBeDownWithoutKeyringOrWithAnEmptyOne() {
        health.bindMetrics(new Fakes.Objects<RuntimeMetrics>(metrics));
        assertEquals("no keyring service", check(health.report(), "keyring").detail());
        health.bindKeyring(Fakes.keyring("file", null), Fakes.props(11L));
        CheckResult k = check(health.report(), "keyring");
        assertEquals(HealthStatus.DOWN, k.status());
        assertTrue(k.detail().contains("KEY_UNKNOWN"), k.detail());
        health.bindKeyring(Fakes.keyring("pkcs12", "k2"), Fakes.props(12L));
        assertEquals(HealthStatus.UP, check(health.report(), "keyring").status());
        health.unbindKeyring(null, Fakes.props(12L));
        assertEquals(HealthStatus.DOWN, check(health.report(), "keyring").status());
    }

    @Test
    void shouldBeDegradedButReadyWhileASessionIsDetached() {
        bindAll();
        metrics.endpoints = List.of(Fakes.server("unix:///run/host.sock", true, Fakes.session("a", true),
                Fakes.session("b", false)));
        HealthReport r = health.report();
        assertEquals(HealthStatus.DEGRADED, r.status());
        assertTrue(r.ready() && r.live());
        assertEquals("1 of 2 session(s) detached, resuming: b (app)", check(r, "sessions").detail());
    }

    @Test
    void shouldBeDegradedWhileFailuresOfOneKindExceedTheThresholdInsideTheWindow() {
        bindAll();
        for (int i = 0; i < 4; i++) {
            health.onEvent(RuntimeEvent.builder(RuntimeEvent.Kind.FRAME_REJECTED).code(ErrorCode.MAC_INVALID).build());
            health.onEvent(RuntimeEvent.builder(RuntimeEvent.Kind.SESSION_OPENED).build()); // not a failure
        }
        health.onEvent(RuntimeEvent.builder(RuntimeEvent.Kind.QUOTA_EXCEEDED).build());
        HealthReport r = health.report();
        assertEquals(HealthStatus.DEGRADED, r.status());
        assertEquals(4L, r.recentFailures().get("frame_rejected"));
        assertEquals(1L, r.recentFailures().get("quota_exceeded"));
        assertEquals(Duration.ofSeconds(60), r.failureWindow());
        assertTrue(check(r, "failures").detail().startsWith("frame_rejected 4 in the last 60 s"), r.toString());

        clock.advance(Duration.ofSeconds(30));
        assertEquals(HealthStatus.DEGRADED, health.report().status(), "still inside the window");
        clock.advance(Duration.ofSeconds(31));
        HealthReport later = health.report();
        assertEquals(HealthStatus.UP, later.status(), later.toString());
        assertEquals(0L, later.recentFailures().get("frame_rejected"));
    }

    @Test
    void shouldIncludeContributedChecksInRankingOrderAndReportAThrowingOneAsDown() {
        bindAll();
        HealthCheck low = () -> CheckResult.up("low", "fine");
        HealthCheck high = () -> CheckResult.degraded("high", "slow disk");
        HealthCheck broken = () -> {
            throw new IllegalStateException("boom");
        };
        health.bindCheck(low, Fakes.props(20L));
        health.bindCheck(high, Fakes.props(21L, "service.ranking", 5));
        health.bindCheck(broken, Fakes.props(22L, HealthCheck.PROP_NAME, "disk"));
        HealthReport r = health.report();
        List<String> names = r.checks().stream().map(CheckResult::name).toList();
        assertEquals(List.of("high", "low", "disk"), names.subList(7, 10));
        assertEquals(HealthStatus.DOWN, check(r, "disk").status());
        assertTrue(check(r, "disk").detail().contains("boom"));
        health.unbindCheck(broken, Fakes.props(22L, HealthCheck.PROP_NAME, "disk"));
        assertEquals(HealthStatus.DEGRADED, health.report().status());
    }

    @Test
    void shouldNotBeLiveWhenALivenessCheckIsDownOrTheFrameworkStops() {
        bindAll();
        frameworkActive.set(false);
        HealthReport r = health.report();
        assertFalse(r.live());
        assertFalse(r.ready());
        frameworkActive.set(true);
        health.bindCheck(() -> CheckResult.down("store", "corrupt").asLiveness(), Fakes.props(30L));
        assertFalse(health.report().live());
    }

    @Test
    void shouldFollowAGreedyMetricsReplacementInEitherOrderAndBalanceEveryGetWithAnUnget() {
        Fakes.Metrics second = new Fakes.Metrics();
        second.schemes = List.of("shm");
        Fakes.Objects<RuntimeMetrics> a = new Fakes.Objects<>(metrics);
        Fakes.Objects<RuntimeMetrics> b = new Fakes.Objects<>(second);
        health.bindMetrics(a);
        health.bindMetrics(b); // greedy: the new one arrives first
        health.unbindMetrics(a);
        assertEquals(List.of("shm"), health.report().schemes());
        assertEquals(0, a.ungets, "the replaced service was never got");
        assertEquals(1, b.ungets, "a report gets the service for the call and ungets it");
        health.unbindMetrics(b);
        assertEquals(HealthStatus.DOWN, check(health.report(), "runtime").status());
        assertEquals(1, b.ungets);
    }

    @Test
    void shouldReportAFailingMetricsServiceAsRuntimeDown() {
        health.bindMetrics(new Fakes.Objects<RuntimeMetrics>(new Fakes.Metrics() {
            @Override
            public List<org.eipc.runtime.EndpointMetrics> endpoints() {
                throw new IllegalStateException("closing");
            }
        }));
        CheckResult c = check(health.report(), "runtime");
        assertEquals(HealthStatus.DOWN, c.status());
        assertTrue(c.detail().contains("closing"), c.detail());
    }

    @Test
    void shouldRefuseAnInvalidConfiguration() {
        assertEquals(ErrorCode.CONFIG_INVALID, assertThrows(IpcException.class,
                () -> new HealthServiceImpl(0, 1, clock, () -> true)).code());
        assertEquals(ErrorCode.CONFIG_INVALID, assertThrows(IpcException.class,
                () -> new HealthServiceImpl(60, -1, clock, () -> true)).code());
    }

    /** A clock the test moves. */
    static final class MutableClock extends Clock {
        private volatile Instant now = Instant.parse("2025-03-01T12:00:00.250Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
