package org.eipc.service.health;

import java.util.Objects;

/**
 * The outcome of one check: a name, a state and a human-readable detail. Immutable.
 *
 * <p>A liveness result counts towards {@link HealthReport#live()} as well as readiness; any other result counts
 * towards {@link HealthReport#ready()} only.
 */
public final class CheckResult {
    private final String name;
    private final HealthStatus status;
    private final String detail;
    private final boolean liveness;

    private CheckResult(final String name, final HealthStatus status, final String detail, final boolean liveness) {
        this.name = Objects.requireNonNull(name, "name");
        this.status = Objects.requireNonNull(status, "status");
        this.detail = detail == null ? "" : detail;
        this.liveness = liveness;
    }

    /**
     * A readiness result.
     *
     * @param name the check's name, e.g. {@code transports}; not null
     * @param status its state; not null
     * @param detail words for an operator (never secrets); null becomes {@code ""}
     * @return the result
     */
    public static CheckResult of(final String name, final HealthStatus status, final String detail) {
        return new CheckResult(name, status, detail, false);
    }

    /** {@link #of} with {@link HealthStatus#UP}. */
    public static CheckResult up(final String name, final String detail) {
        return of(name, HealthStatus.UP, detail);
    }

    /** {@link #of} with {@link HealthStatus#DEGRADED}. */
    public static CheckResult degraded(final String name, final String detail) {
        return of(name, HealthStatus.DEGRADED, detail);
    }

    /** {@link #of} with {@link HealthStatus#DOWN}. */
    public static CheckResult down(final String name, final String detail) {
        return of(name, HealthStatus.DOWN, detail);
    }

    /** The same result, counted towards liveness too. */
    public CheckResult asLiveness() {
        return new CheckResult(name, status, detail, true);
    }

    public String name() {
        return name;
    }

    public HealthStatus status() {
        return status;
    }

    public String detail() {
        return detail;
    }

    /** Whether a DOWN here makes the host not live (else only not ready). */
    public boolean liveness() {
        return liveness;
    }

    @Override
    public boolean equals(final Object o) {
        return o instanceof CheckResult c && name.equals(c.name) && status == c.status && detail.equals(c.detail)
                && liveness == c.liveness;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, status, detail, liveness);
    }

    @Override
    public String toString() {
        return name + " " + status + (liveness ? " (liveness)" : "") + (detail.isEmpty() ? "" : ": " + detail);
    }
}
