/**
 * Health of an EIPC host: {@link org.eipc.service.health.HealthService} evaluates liveness and readiness of the
 * runtime, its transports, endpoints, sessions and keyring into a {@link org.eipc.service.health.HealthReport},
 * together with a snapshot of the runtime's metrics. Other bundles contribute checks by registering
 * {@link org.eipc.service.health.HealthCheck} services (whiteboard).
 *
 * <p>Rules: a report is {@link org.eipc.service.health.HealthStatus#DOWN DOWN} when any check is DOWN,
 * {@link org.eipc.service.health.HealthStatus#DEGRADED DEGRADED} when any is DEGRADED, else
 * {@link org.eipc.service.health.HealthStatus#UP UP}. It is <em>live</em> while no liveness check is DOWN and
 * <em>ready</em> while no check at all is DOWN (a degraded host still serves).
 *
 * <p>No type of this package depends on the runtime's packages, so the API resolves without the runtime bundle.
 */
@Export
@Version("1.0.0")
package org.eipc.service.health;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
