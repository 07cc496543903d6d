/**
 * Transport conformance kit: a list of self-contained checks that any
 * {@link org.eipc.spi.transport.Transport} must pass. Run them from JUnit 5 as dynamic tests, or from an
 * in-framework test; a failed check throws {@link java.lang.AssertionError}.
 *
 * <p>Behaviour the checks rely on (beyond the SPI javadoc):
 * <ul>
 * <li>Bytes a handler leaves unconsumed in the {@code onData} buffer are delivered again, in front of any
 * newer bytes, on the next {@code onData} call (after {@code resumeReads} when reads were suspended).</li>
 * <li>End of stream from the peer is {@code onInputShutdown}; the connection closes with
 * {@code onClose(null)} once both directions are shut down or either side calls {@code close()}.</li>
 * <li>{@code close()} reports {@code onClose(null)} to the local handler.</li>
 * </ul>
 */
@Export
@Version("1.0.0")
package org.eipc.transport.tck;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
