package org.eipc.service.health;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One session of an endpoint as the runtime reported it. Immutable.
 *
 * <p>{@link #values()} holds the session's numbers by name, in this order: {@code unacked}, {@code inbox},
 * {@code received_messages}, {@code received_bytes}, {@code rejected_frames}, {@code denied_messages},
 * {@code quota_rejections}, {@code late_replies}, {@code resumes}, {@code delivery_count},
 * {@code delivery_p50_ns}, {@code delivery_p99_ns}, {@code delivery_max_ns}, then per priority lane {@code pN_}
 * (N = 0..3) {@code queued}, {@code sent_messages}, {@code sent_bytes}, {@code budget_misses},
 * {@code queue_p99_ns}. New names may be added; none is ever renamed.
 */
public final class SessionStatus {
    private final String id;
    private final String peer;
    private final String transport;
    private final boolean attached;
    private final Map<String, Long> values;

    /**
     * @param id the session id
     * @param peer the peer's authenticated service id
     * @param transport the scheme carrying the session now, {@code ""} while detached
     * @param attached false while the session waits for a new connection (resume)
     * @param values numbers by name, see the class comment (copied, order kept)
     */
    public SessionStatus(final String id, final String peer, final String transport, final boolean attached,
            final Map<String, Long> values) {
        this.id = Objects.requireNonNull(id, "id");
        this.peer = Objects.requireNonNull(peer, "peer");
        this.transport = transport == null ? "" : transport;
        this.attached = attached;
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public String id() {
        return id;
    }

    public String peer() {
        return peer;
    }

    public String transport() {
        return transport;
    }

    public boolean attached() {
        return attached;
    }

    /** Numbers by name (see the class comment); unmodifiable, in a stable order. */
    public Map<String, Long> values() {
        return values;
    }

    @Override
    public String toString() {
        return "SessionStatus[" + id + " " + peer + " " + (attached ? transport : "detached") + "]";
    }
}
