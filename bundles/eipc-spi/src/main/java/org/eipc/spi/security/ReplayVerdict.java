package org.eipc.spi.security;

/** What a {@link ReplayGuard} says about a sequence number. */
public enum ReplayVerdict {
    /** New: accepted and recorded. */
    ACCEPT,
    /** Sequence 0: never valid. */
    ZERO,
    /** Seen before inside the window. */
    DUPLICATE,
    /** Older than the window. */
    OUTSIDE_WINDOW
}
