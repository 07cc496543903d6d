/**
 * The ipcprims (3leaps) protocol: frame codec (flyweight view, encoder, incremental stream decoder), channel
 * negotiation, the JSON handshake, the CONTROL protocol and {@link org.eipc.protocol.ipcprims.IpcprimsPeer},
 * which runs all of it over any {@link org.eipc.spi.transport.Connection}.
 *
 * <p>Wire compatible with ipcprims 0.2.1 (protocol version "1.0"): an 8-byte header (magic {@code "IP"}, u32
 * little-endian payload length, u16 little-endian channel) followed by the payload. Nothing in this package
 * logs, keeps static mutable state or blocks; failures are {@link org.eipc.api.IpcException}s with the most
 * specific {@link org.eipc.api.ErrorCode} and, for decoding failures, the stream offset of the failed check.
 */
@Export
@Version("1.0.0")
package org.eipc.protocol.ipcprims;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
