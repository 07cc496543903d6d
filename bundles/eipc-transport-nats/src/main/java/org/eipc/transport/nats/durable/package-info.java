/**
 * Durable channels over NATS JetStream: a message accepted by {@link DurableChannels#publish} is stored by
 * JetStream before the returned stage completes, and reaches every {@link DurableHandler} registered for its
 * channel, in stream order, even when the receiving host was stopped or restarted in between.
 *
 * <p>Every message is an EIPC frame MAC'd with a key derived from the host's keyring for its channel; NATS is an
 * untrusted carrier, and a message that fails any check is terminated on the server and never delivered.
 */
@Export
@Version("1.0.0")
package org.eipc.transport.nats.durable;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
