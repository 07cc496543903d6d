package org.eipc.service.trace;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The most recent spans this process saw, in a bounded in-memory ring (older ones are overwritten). Registered
 * as a service by the span tap component; thread-safe.
 */
@ProviderType
public interface SpanLog {

    /** Up to {@code max} of the newest spans, oldest first. */
    List<Span> recent(int max);

    /** The spans of one trace still in the ring, oldest first. */
    List<Span> trace(String traceId);

    /** Spans seen since the component started (including those overwritten since). */
    long total();
}
