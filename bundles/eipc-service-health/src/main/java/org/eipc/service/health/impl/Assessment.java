package org.eipc.service.health.impl;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.eipc.service.health.CheckResult;
import org.eipc.service.health.EndpointStatus;
import org.eipc.service.health.SessionStatus;

/**
 * The built-in checks, as pure functions of what the health component observed: no services, no clocks, so the
 * rules are unit-tested directly. Names: {@code framework} (liveness), {@code runtime}, {@code transports},
 * {@code endpoints}, {@code keyring}, {@code sessions}, {@code failures}.
 */
final class Assessment {
    /** Most session ids or addresses named in one detail. */
    static final int MAX_NAMED = 5;

    private Assessment() {
    }

    static CheckResult framework(final boolean active) {
        return (active ? CheckResult.up("framework", "active") : CheckResult.down("framework", "stopping"))
                .asLiveness();
    }

    /**
     * @param view the runtime's metrics, or null without a runtime
     * @param problem why there is no view (for example the metrics service failed), or null
     */
    static CheckResult runtime(final RuntimeView view, final String problem) {
        if (view == null) {
            return CheckResult.down("runtime", problem != null ? problem
                    : "no RuntimeMetrics service: the runtime bundle is not active");
        }
        return CheckResult.up("runtime", view.endpoints().size() + " endpoint(s)");
    }

    static CheckResult transports(final RuntimeView view) {
        if (view == null) {
            return CheckResult.down("transports", "unknown without a runtime");
        }
        if (view.schemes().isEmpty()) {
            return CheckResult.down("transports", "no transport bound");
        }
        return CheckResult.up("transports", String.join(", ", view.schemes()));
    }

    /** Every server endpoint must listen (DOWN otherwise); a client endpoint without a session is DEGRADED. */
    static CheckResult endpoints(final RuntimeView view) {
        if (view == null) {
            return CheckResult.down("endpoints", "unknown without a runtime");
        }
        final List<String> deaf = new ArrayList<>();
        final List<String> unconnected = new ArrayList<>();
        int servers = 0;
        int clients = 0;
        for (EndpointStatus e : view.endpoints()) {
            if ("server".equals(e.role())) {
                servers++;
                if (!e.ready()) {
                    deaf.add(String.join(" ", e.addresses()));
                }
            } else {
                clients++;
                if (!e.ready()) {
                    unconnected.add(String.join(" ", e.addresses()));
                }
            }
        }
        if (!deaf.isEmpty()) {
            return CheckResult.down("endpoints", deaf.size() + " of " + servers + " server endpoint(s) not listening: "
                    + named(deaf));
        }
        if (!unconnected.isEmpty()) {
            return CheckResult.degraded("endpoints", unconnected.size() + " of " + clients
                    + " client endpoint(s) not connected: " + named(unconnected));
        }
        return CheckResult.up("endpoints", servers + " server(s) listening, " + clients + " client(s) connected");
    }

    /** At least one keyring with a current key. */
    static CheckResult keyring(final List<KeyringState> keyrings) {
        if (keyrings.isEmpty()) {
            return CheckResult.down("keyring", "no keyring service");
        }
        final List<String> usable = new ArrayList<>();
        final List<String> broken = new ArrayList<>();
        for (KeyringState k : keyrings) {
            if (k.currentKeyId() != null) {
                usable.add(k.name() + " (current key " + k.currentKeyId() + ")");
            } else {
                broken.add(k.name() + ": " + k.error());
            }
        }
        if (usable.isEmpty()) {
            return CheckResult.down("keyring", "no current key: " + String.join("; ", broken));
        }
        return CheckResult.up("keyring", String.join(", ", usable));
    }

    /** DEGRADED while any session waits for a new connection. */
    static CheckResult sessions(final RuntimeView view) {
        if (view == null) {
            return CheckResult.up("sessions", "none without a runtime");
        }
        final List<String> detached = new ArrayList<>();
        int total = 0;
        for (EndpointStatus e : view.endpoints()) {
            for (SessionStatus s : e.sessions()) {
                total++;
                if (!s.attached()) {
                    detached.add(s.id() + " (" + s.peer() + ")");
                }
            }
        }
        if (!detached.isEmpty()) {
            return CheckResult.degraded("sessions", detached.size() + " of " + total
                    + " session(s) detached, resuming: " + named(detached));
        }
        return CheckResult.up("sessions", total + " session(s), all attached");
    }

    /** DEGRADED when failures of one kind inside the window exceed the threshold. */
    static CheckResult failures(final Map<String, Long> counts, final int windowSeconds, final long threshold) {
        final Map<String, Long> above = counts.entrySet().stream().filter(e -> e.getValue() > threshold)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a,
                        java.util.LinkedHashMap::new));
        final long total = counts.values().stream().mapToLong(Long::longValue).sum();
        if (!above.isEmpty()) {
            return CheckResult.degraded("failures", above.entrySet().stream()
                    .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "))
                    + " in the last " + windowSeconds + " s (more than " + threshold + ")");
        }
        return CheckResult.up("failures", total + " in the last " + windowSeconds + " s");
    }

    private static String named(final List<String> items) {
        final String shown = String.join(", ", items.subList(0, Math.min(MAX_NAMED, items.size())));
        return items.size() > MAX_NAMED ? shown + " and " + (items.size() - MAX_NAMED) + " more" : shown;
    }
}
