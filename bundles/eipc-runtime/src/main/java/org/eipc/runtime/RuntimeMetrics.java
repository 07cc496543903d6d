package org.eipc.runtime;

import java.util.List;
import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/**
 * What the runtime is doing now: its endpoints, their sessions and each session's priority lanes, with counters and
 * latency histograms. Registered as a service by the runtime bundle (and offered by a standalone runtime); health
 * checks and the {@code eipc} command read it. Every call takes a fresh snapshot; snapshots are immutable.
 */
@ProviderType
public interface RuntimeMetrics {

    /** Every open endpoint, server and client. */
    List<EndpointMetrics> endpoints();

    /**
     * Runtime-wide counters since start, by name: {@code sessions_opened}, {@code sessions_closed},
     * {@code sessions_resumed}, {@code handshakes_failed}, {@code frames_rejected}, {@code messages_denied},
     * {@code quota_exceeded}, {@code deadline_exceeded}, {@code late_replies}, {@code transports_added},
     * {@code transports_removed}.
     */
    Map<String, Long> counters();

    /** The URI schemes the bound transports serve now. */
    List<String> schemes();
}
