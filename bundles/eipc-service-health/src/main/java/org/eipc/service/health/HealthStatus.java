package org.eipc.service.health;

/** The state of one check or of the whole host, from best to worst. */
public enum HealthStatus {
    /** Working as configured. */
    UP,
    /** Serving, but something needs attention: sessions resuming, failures rising, a contributor's warning. */
    DEGRADED,
    /** Not serving what it should: no runtime, no transport, an endpoint not listening, no keyring. */
    DOWN;

    /**
     * The worse of two states.
     *
     * @param other another state, not null
     * @return {@code this} or {@code other}, whichever is worse
     */
    public HealthStatus worst(final HealthStatus other) {
        return other.ordinal() > ordinal() ? other : this;
    }
}
