package org.eipc.spi.security;

import org.osgi.annotation.versioning.ProviderType;

/** The replay window of one session direction. Not thread-safe. */
@ProviderType
public interface ReplayGuard {

    /**
     * Checks an unsigned sequence number and records it when accepted. Call only after the frame's MAC has
     * verified, so that forged frames cannot poison the window.
     */
    ReplayVerdict check(long sequence);

    /** The highest sequence accepted so far (unsigned), 0 when none. */
    long highest();
}
