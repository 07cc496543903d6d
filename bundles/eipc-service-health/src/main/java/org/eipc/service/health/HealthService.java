package org.eipc.service.health;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Evaluates the health of the host. Registered by the health bundle. Thread-safe.
 */
@ProviderType
public interface HealthService {

    /**
     * Evaluates every built-in and contributed check now and takes a snapshot of the runtime metrics.
     *
     * @return a new, immutable report; never null (without a runtime the report is {@link HealthStatus#DOWN})
     */
    HealthReport report();
}
