package org.eipc.service.health.impl;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.eipc.runtime.EndpointMetrics;
import org.eipc.runtime.LaneMetrics;
import org.eipc.runtime.LatencySnapshot;
import org.eipc.runtime.RuntimeMetrics;
import org.eipc.runtime.SessionMetrics;
import org.eipc.service.health.EndpointStatus;
import org.eipc.service.health.SessionStatus;

/**
 * The one class that touches {@code org.eipc.runtime} (imported optionally): it is loaded only when a
 * {@link RuntimeMetrics} service is bound, so the health component never needs that package otherwise.
 */
final class RuntimeSnapshots {
    private RuntimeSnapshots() {
    }

    /**
     * @param service a {@link RuntimeMetrics} (typed {@code Object} so that callers need not load the class)
     * @return the snapshot in this bundle's types
     */
    static RuntimeView take(final Object service) {
        final RuntimeMetrics metrics = (RuntimeMetrics) service;
        final List<EndpointStatus> endpoints = new ArrayList<>();
        for (EndpointMetrics e : metrics.endpoints()) {
            final List<SessionStatus> sessions = new ArrayList<>();
            for (SessionMetrics s : e.sessions()) {
                sessions.add(new SessionStatus(s.id(), s.peer(), s.transport(), s.attached(), values(s)));
            }
            endpoints.add(new EndpointStatus(e.role(), e.addresses().stream().map(URI::toString).toList(), e.ready(),
                    sessions));
        }
        return new RuntimeView(List.copyOf(metrics.schemes()), new LinkedHashMap<>(metrics.counters()), endpoints);
    }

    /** The numbers of a session under the names {@link SessionStatus} documents. */
    static Map<String, Long> values(final SessionMetrics s) {
        final Map<String, Long> v = new LinkedHashMap<>();
        v.put("unacked", (long) s.unacked());
        v.put("inbox", (long) s.inbox());
        v.put("received_messages", s.receivedMessages());
        v.put("received_bytes", s.receivedBytes());
        v.put("rejected_frames", s.rejectedFrames());
        v.put("denied_messages", s.deniedMessages());
        v.put("quota_rejections", s.quotaRejections());
        v.put("late_replies", s.lateReplies());
        v.put("resumes", s.resumes());
        final LatencySnapshot d = s.deliveryLatency() == null ? LatencySnapshot.empty() : s.deliveryLatency();
        v.put("delivery_count", d.count());
        v.put("delivery_p50_ns", d.percentileNanos(0.5));
        v.put("delivery_p99_ns", d.percentileNanos(0.99));
        v.put("delivery_max_ns", d.maxNanos());
        for (LaneMetrics lane : s.lanes()) {
            final String p = lane.priority().name().toLowerCase(Locale.ROOT) + "_";
            v.put(p + "queued", (long) lane.queued());
            v.put(p + "sent_messages", lane.sentMessages());
            v.put(p + "sent_bytes", lane.sentBytes());
            v.put(p + "budget_misses", lane.budgetMisses());
            final LatencySnapshot q = lane.queueLatency() == null ? LatencySnapshot.empty() : lane.queueLatency();
            v.put(p + "queue_p99_ns", q.percentileNanos(0.99));
        }
        return v;
    }
}
