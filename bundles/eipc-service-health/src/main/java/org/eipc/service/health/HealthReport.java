package org.eipc.service.health;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The health of the host at one moment: the overall {@link #status()}, {@link #live()} and {@link #ready()}, every
 * check's result, and a snapshot of the runtime's metrics (transport schemes, runtime-wide counters, endpoints
 * with their sessions) and of the failures of the last {@link #failureWindow()}. Immutable.
 *
 * <p>Status, liveness and readiness follow from the checks (see the package comment); they are computed by
 * {@link Builder#build()}, never set.
 */
public final class HealthReport {
    private final Instant timestamp;
    private final HealthStatus status;
    private final boolean live;
    private final boolean ready;
    private final List<CheckResult> checks;
    private final List<String> schemes;
    private final Map<String, Long> counters;
    private final List<EndpointStatus> endpoints;
    private final Duration failureWindow;
    private final Map<String, Long> recentFailures;

    private HealthReport(final Builder b) {
        this.timestamp = b.timestamp == null ? Instant.now() : b.timestamp;
        this.checks = List.copyOf(b.checks);
        HealthStatus s = HealthStatus.UP;
        boolean l = true;
        for (CheckResult c : checks) {
            s = s.worst(c.status());
            if (c.liveness() && c.status() == HealthStatus.DOWN) {
                l = false;
            }
        }
        this.status = s;
        this.live = l;
        this.ready = s != HealthStatus.DOWN;
        this.schemes = List.copyOf(b.schemes);
        this.counters = Collections.unmodifiableMap(new LinkedHashMap<>(b.counters));
        this.endpoints = List.copyOf(b.endpoints);
        this.failureWindow = b.failureWindow;
        this.recentFailures = Collections.unmodifiableMap(new LinkedHashMap<>(b.recentFailures));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** When the report was taken. */
    public Instant timestamp() {
        return timestamp;
    }

    /** The worst state of all checks ({@link HealthStatus#UP} when there are none). */
    public HealthStatus status() {
        return status;
    }

    /** No liveness check is DOWN: the process works (restarting it would not help). */
    public boolean live() {
        return live;
    }

    /** No check is DOWN: the host serves what it is configured to serve (it may be degraded). */
    public boolean ready() {
        return ready;
    }

    /** Every check's result: the built-in ones first, then the contributed ones in ranking order. */
    public List<CheckResult> checks() {
        return checks;
    }

    /** The URI schemes the bound transports serve; empty without a runtime. */
    public List<String> schemes() {
        return schemes;
    }

    /** The runtime-wide counters since start, by the runtime's names; empty without a runtime. */
    public Map<String, Long> counters() {
        return counters;
    }

    /** Every open endpoint; empty without a runtime. */
    public List<EndpointStatus> endpoints() {
        return endpoints;
    }

    /** How far back {@link #recentFailures()} looks. */
    public Duration failureWindow() {
        return failureWindow;
    }

    /**
     * Failure events of the runtime inside {@link #failureWindow()}, by lower-case event kind:
     * {@code handshake_failed}, {@code frame_rejected}, {@code message_denied}, {@code quota_exceeded},
     * {@code deadline_exceeded}.
     */
    public Map<String, Long> recentFailures() {
        return recentFailures;
    }

    @Override
    public String toString() {
        return "HealthReport[" + status + (live ? " live" : " not live") + (ready ? " ready" : " not ready") + ", "
                + checks + "]";
    }

    /** Builds a {@link HealthReport}. Not thread-safe. */
    public static final class Builder {
        private Instant timestamp;
        private final List<CheckResult> checks = new ArrayList<>();
        private List<String> schemes = List.of();
        private Map<String, Long> counters = Map.of();
        private List<EndpointStatus> endpoints = List.of();
        private Duration failureWindow = Duration.ZERO;
        private Map<String, Long> recentFailures = Map.of();

        private Builder() {
        }

        /** When the report was taken (default: when it is built). */
        public Builder timestamp(final Instant t) {
            this.timestamp = t;
            return this;
        }

        /** Adds a check result, after those added before. */
        public Builder check(final CheckResult c) {
            checks.add(Objects.requireNonNull(c, "check"));
            return this;
        }

        public Builder schemes(final List<String> s) {
            this.schemes = Objects.requireNonNull(s, "schemes");
            return this;
        }

        /** Runtime-wide counters (copied, order kept). */
        public Builder counters(final Map<String, Long> c) {
            this.counters = Objects.requireNonNull(c, "counters");
            return this;
        }

        public Builder endpoints(final List<EndpointStatus> e) {
            this.endpoints = Objects.requireNonNull(e, "endpoints");
            return this;
        }

        /** Failure events by kind inside {@code window} (copied, order kept). */
        public Builder recentFailures(final Duration window, final Map<String, Long> failures) {
            this.failureWindow = Objects.requireNonNull(window, "window");
            this.recentFailures = Objects.requireNonNull(failures, "failures");
            return this;
        }

        public HealthReport build() {
            return new HealthReport(this);
        }
    }
}
