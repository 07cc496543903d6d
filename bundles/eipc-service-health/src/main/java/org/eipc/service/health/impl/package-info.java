/**
 * Implementation (private): the {@code HealthService} component, the checks it runs, the JSON form of a report and
 * the {@code MessageHandler} that serves the report over EIPC (route {@code health}).
 *
 * <p>Only {@link org.eipc.service.health.impl.RuntimeSnapshots} refers to {@code org.eipc.runtime}, which this
 * bundle imports optionally: without the runtime bundle the health service still activates and reports DOWN.
 */
package org.eipc.service.health.impl;
