package org.eipc.service.health;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A check contributed by another bundle: register it as a service and every {@link HealthReport} includes its
 * result (whiteboard). Checks are asked in service ranking order, on the thread that asks for the report.
 *
 * <p>Must return quickly and must not block: compute state in the background and answer from it. A check that
 * throws is reported as {@link HealthStatus#DOWN} with the exception's message.
 */
@ConsumerType
@FunctionalInterface
public interface HealthCheck {

    /** Optional service property (String): the check's name, used when the check throws. */
    String PROP_NAME = "eipc.health.check";

    /**
     * @return the current result; not null (use {@link CheckResult#asLiveness()} for a result that concerns the
     *         process as a whole)
     */
    CheckResult check();
}
