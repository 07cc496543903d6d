/**
 * The non-blocking socket engine of the stream transports: I/O loops ({@link org.eipc.transport.nio.NioEngine}),
 * connections with bounded, coalescing write queues and optional TLS ({@link org.eipc.transport.nio.NioConnection}),
 * and listeners. Private to the transport bundles that embed it (bnd {@code -conditionalpackage}); never exported.
 */
package org.eipc.transport.nio;
