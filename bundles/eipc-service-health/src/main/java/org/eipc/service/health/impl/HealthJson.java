package org.eipc.service.health.impl;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.eipc.service.health.CheckResult;
import org.eipc.service.health.EndpointStatus;
import org.eipc.service.health.HealthReport;
import org.eipc.service.health.SessionStatus;

/**
 * The JSON form of a {@link HealthReport}: one object, UTF-8, keys always in this order (format version 1; new keys
 * may be added, none is renamed or removed without a new {@code format}):
 *
 * <pre>
 * {"format":1,"status":"UP|DEGRADED|DOWN","live":true,"ready":true,"timestamp":"2025-01-01T12:00:00.123Z",
 *  "checks":[{"name":"runtime","status":"UP","liveness":false,"detail":"…"},…],
 *  "metrics":{"schemes":["tcp","unix"],"counters":{"sessions_opened":3,…},
 *             "endpoints":[{"role":"server","addresses":["unix:///…"],"ready":true,
 *                           "sessions":[{"id":"…","peer":"app","transport":"unix","attached":true,
 *                                        "values":{"unacked":0,…}}]}]},
 *  "failures":{"window_seconds":60,"counts":{"handshake_failed":0,"frame_rejected":0,"message_denied":0,
 *              "quota_exceeded":0,"deadline_exceeded":0}}}
 * </pre>
 */
final class HealthJson {
    /** The value of {@code "format"}. */
    static final int FORMAT = 1;

    private HealthJson() {
    }

    static byte[] bytes(final HealthReport r) {
        return text(r).getBytes(StandardCharsets.UTF_8);
    }

    static String text(final HealthReport r) {
        final StringBuilder sb = new StringBuilder(512);
        sb.append("{\"format\":").append(FORMAT);
        sb.append(",\"status\":");
        string(sb, r.status().name());
        sb.append(",\"live\":").append(r.live()).append(",\"ready\":").append(r.ready());
        sb.append(",\"timestamp\":");
        string(sb, r.timestamp().toString());
        sb.append(",\"checks\":[");
        final List<CheckResult> checks = r.checks();
        for (int i = 0; i < checks.size(); i++) {
            final CheckResult c = checks.get(i);
            sb.append(i == 0 ? "{" : ",{").append("\"name\":");
            string(sb, c.name());
            sb.append(",\"status\":");
            string(sb, c.status().name());
            sb.append(",\"liveness\":").append(c.liveness()).append(",\"detail\":");
            string(sb, c.detail());
            sb.append('}');
        }
        sb.append("],\"metrics\":{\"schemes\":");
        strings(sb, r.schemes());
        sb.append(",\"counters\":");
        numbers(sb, r.counters());
        sb.append(",\"endpoints\":[");
        final List<EndpointStatus> endpoints = r.endpoints();
        for (int i = 0; i < endpoints.size(); i++) {
            endpoint(sb.append(i == 0 ? "" : ","), endpoints.get(i));
        }
        sb.append("]},\"failures\":{\"window_seconds\":").append(r.failureWindow().toSeconds()).append(",\"counts\":");
        numbers(sb, r.recentFailures());
        return sb.append("}}").toString();
    }

    private static void endpoint(final StringBuilder sb, final EndpointStatus e) {
        sb.append("{\"role\":");
        string(sb, e.role());
        sb.append(",\"addresses\":");
        strings(sb, e.addresses());
        sb.append(",\"ready\":").append(e.ready()).append(",\"sessions\":[");
        final List<SessionStatus> sessions = e.sessions();
        for (int i = 0; i < sessions.size(); i++) {
            final SessionStatus s = sessions.get(i);
            sb.append(i == 0 ? "{" : ",{").append("\"id\":");
            string(sb, s.id());
            sb.append(",\"peer\":");
            string(sb, s.peer());
            sb.append(",\"transport\":");
            string(sb, s.transport());
            sb.append(",\"attached\":").append(s.attached()).append(",\"values\":");
            numbers(sb, s.values());
            sb.append('}');
        }
        sb.append("]}");
    }

    private static void strings(final StringBuilder sb, final List<String> values) {
        sb.append('[');
        for (int i = 0; i < values.size(); i++) {
            string(sb.append(i == 0 ? "" : ","), values.get(i));
        }
        sb.append(']');
    }

    private static void numbers(final StringBuilder sb, final Map<String, Long> values) {
        sb.append('{');
        boolean first = true;
        for (Map.Entry<String, Long> e : values.entrySet()) {
            string(sb.append(first ? "" : ","), e.getKey());
            sb.append(':').append(e.getValue() == null ? 0L : e.getValue().longValue());
            first = false;
        }
        sb.append('}');
    }

    /** A JSON string (RFC 8259): quotes, backslashes and control characters escaped. */
    static void string(final StringBuilder sb, final String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            final char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
