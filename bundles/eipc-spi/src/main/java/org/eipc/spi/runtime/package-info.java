/**
 * Runtime hooks: what service bundles (policy, audit, tracing, record/replay, health) plug into the EIPC runtime
 * as whiteboard services. The runtime tracks every hook dynamically; a hook bundle can be stopped and started
 * while traffic flows.
 *
 * <ul>
 * <li>{@link org.eipc.spi.runtime.MessageGate}: consulted before every inbound application message is delivered;
 * every gate must admit it (policy, schema validation).</li>
 * <li>{@link org.eipc.spi.runtime.MessageTap}: sees every message a session delivers or accepts for sending
 * (tracing, record/replay).</li>
 * <li>{@link org.eipc.spi.runtime.RuntimeEventListener}: handshakes, denials, quota and budget violations,
 * sessions, key and transport changes (audit, health).</li>
 * </ul>
 *
 * Hooks run on runtime threads and must return quickly: hand slow work (disk, network) to a thread of your own
 * through a bounded queue. A hook that throws is logged and treated as if it were absent, except a gate, whose
 * failure denies the message ({@link org.eipc.api.ErrorCode#INTERNAL}).
 */
@Export
@Version("1.0.0")
package org.eipc.spi.runtime;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
