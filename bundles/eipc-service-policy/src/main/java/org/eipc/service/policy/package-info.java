/**
 * The policy engine's API: {@link org.eipc.service.policy.PolicyService} answers what the rules decide for a
 * {@link org.eipc.service.policy.PolicyRequest} and reports {@link org.eipc.service.policy.PolicyStats}, the counts of
 * every decision the runtime asked for, per rule and in total.
 *
 * <p>The same engine is registered as the runtime's {@code org.eipc.spi.runtime.MessageGate}: every inbound message
 * of a session the host accepted is checked against the rules before its handler runs. Rules are configured under
 * PID {@code org.eipc.service.policy}; the bundle's README has the syntax and the meaning of the levels.
 */
@Export
@Version("1.0.0")
package org.eipc.service.policy;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
