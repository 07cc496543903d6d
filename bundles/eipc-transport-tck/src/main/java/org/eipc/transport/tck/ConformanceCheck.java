package org.eipc.transport.tck;

import org.osgi.annotation.versioning.ProviderType;

/** One conformance check. Each run opens and cleans up its own listeners and connections. */
@ProviderType
public interface ConformanceCheck {

    /** A short stable name, usable as a test display name. */
    String name();

    /**
     * Runs the check. Every wait inside is bounded.
     *
     * @throws AssertionError when the transport does not conform
     * @throws Exception when the check could not run (for example an unexpected exception from the transport)
     */
    void run() throws Exception;
}
