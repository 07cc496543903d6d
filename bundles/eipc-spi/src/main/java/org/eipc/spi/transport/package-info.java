/**
 * Transport SPI: implemented by transport bundles (TCP/TLS, Unix domain sockets, shared memory, ...), driven
 * by the runtime.
 *
 * <p>A transport moves bytes; it knows nothing of frames, keys or sessions. Each
 * {@link org.eipc.spi.transport.Connection#offer(java.nio.ByteBuffer) offer} is written whole or not at all,
 * and never blocks: a full write queue is {@link org.eipc.spi.transport.OfferResult#BACK_PRESSURE}. Because a
 * session is not a connection, the runtime can drop a connection of one transport and continue the same
 * session on a connection of another.
 */
@Export
@Version("1.0.0")
package org.eipc.spi.transport;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
