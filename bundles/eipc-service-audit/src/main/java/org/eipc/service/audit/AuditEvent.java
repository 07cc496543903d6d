package org.eipc.service.audit;

import java.time.Instant;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One security event. Immutable and thread-safe; build with {@link #builder(String)}.
 *
 * <p>Never put secrets into an event. As a safeguard, the value of every detail whose key contains
 * {@code secret}, {@code password}, {@code passwd}, {@code passphrase}, {@code token}, {@code credential} or
 * {@code private} (in any case) is replaced by {@value #REDACTED}. Strings longer than
 * {@value #MAX_VALUE_LENGTH} characters are cut, and at most {@value #MAX_DETAILS} details are kept (the first in
 * key order), so one event cannot flood the log.
 */
public final class AuditEvent {
    /** A handshake finished or failed. */
    public static final String ACTION_HANDSHAKE = "handshake";
    /** A message or a connection was denied (MAC, replay, capability, quota ...). */
    public static final String ACTION_DENIAL = "denial";
    /** A key became current, was added or retired. */
    public static final String ACTION_KEY_ROTATION = "key_rotation";
    /** A policy engine decided. */
    public static final String ACTION_POLICY_DECISION = "policy_decision";
    /** A provider bundle was replaced at run time. */
    public static final String ACTION_BUNDLE_SWAP = "bundle_swap";

    /** Decision: allowed (the reference's spelling). */
    public static final String ALLOWED = "allowed";
    /** Decision: denied (the reference's spelling). */
    public static final String DENIED = "denied";

    /** What a redacted detail value reads. */
    public static final String REDACTED = "[redacted]";
    /** The longest string kept in any field or detail. */
    public static final int MAX_VALUE_LENGTH = 1024;
    /** The most details kept. */
    public static final int MAX_DETAILS = 32;

    private static final String[] SECRET_MARKERS = {"secret", "password", "passwd", "passphrase", "token",
        "credential", "private"};

    private final Instant timestamp;
    private final String action;
    private final String decision;
    private final String source;
    private final String target;
    private final String requestId;
    private final String result;
    private final Map<String, String> details;

    private AuditEvent(final Builder b) {
        this.timestamp = b.timestamp == null ? Instant.now() : b.timestamp;
        this.action = cut(b.action);
        this.decision = cut(b.decision);
        this.source = cut(b.source);
        this.target = cut(b.target);
        this.requestId = cut(b.requestId);
        this.result = cut(b.result);
        final TreeMap<String, String> d = new TreeMap<>();
        for (Map.Entry<String, String> e : b.details.entrySet()) {
            if (d.size() == MAX_DETAILS) {
                break;
            }
            final String key = cut(e.getKey());
            d.put(key, isSecret(key) ? REDACTED : cut(e.getValue()));
        }
        this.details = Collections.unmodifiableMap(d);
    }

    /**
     * @param action what happened, e.g. {@link #ACTION_HANDSHAKE}; not null or empty
     * @throws IllegalArgumentException when action is null or empty
     */
    public static Builder builder(final String action) {
        if (action == null || action.isEmpty()) {
            throw new IllegalArgumentException("action=" + action + " must not be empty");
        }
        return new Builder(action);
    }

    private static String cut(final String s) {
        if (s == null) {
            return "";
        }
        return s.length() <= MAX_VALUE_LENGTH ? s : s.substring(0, MAX_VALUE_LENGTH);
    }

    private static boolean isSecret(final String key) {
        final String k = key.toLowerCase(Locale.ROOT);
        for (String marker : SECRET_MARKERS) {
            if (k.contains(marker)) {
                return true;
            }
        }
        return false;
    }

    /** When it happened (default: when the event was built). */
    public Instant timestamp() {
        return timestamp;
    }

    public String action() {
        return action;
    }

    /** {@link #ALLOWED}, {@link #DENIED} or another word; empty when not a decision. */
    public String decision() {
        return decision;
    }

    /** Who acted (a service id, peer address, bundle); may be empty. */
    public String source() {
        return source;
    }

    /** What was acted on (a service, channel, key id, bundle); may be empty. */
    public String target() {
        return target;
    }

    /** The request id when the event belongs to a request; may be empty. */
    public String requestId() {
        return requestId;
    }

    /** The outcome in words, e.g. "session created" or an error code; may be empty. */
    public String result() {
        return result;
    }

    /** Extra facts, sorted by key, never secret values (see the class comment). */
    public Map<String, String> details() {
        return details;
    }

    @Override
    public String toString() {
        return "AuditEvent[" + action + " " + decision + " " + source + " -> " + target + " " + result + "]";
    }

    /** Builds an {@link AuditEvent}; not thread-safe. Null strings become empty. */
    public static final class Builder {
        private final String action;
        private Instant timestamp;
        private String decision;
        private String source;
        private String target;
        private String requestId;
        private String result;
        private final Map<String, String> details = new TreeMap<>();

        private Builder(final String action) {
            this.action = action;
        }

        public Builder timestamp(final Instant value) {
            this.timestamp = value;
            return this;
        }

        public Builder decision(final String value) {
            this.decision = value;
            return this;
        }

        public Builder source(final String value) {
            this.source = value;
            return this;
        }

        public Builder target(final String value) {
            this.target = value;
            return this;
        }

        public Builder requestId(final String value) {
            this.requestId = value;
            return this;
        }

        public Builder result(final String value) {
            this.result = value;
            return this;
        }

        /** Adds one detail; a later value for the same key wins. */
        public Builder detail(final String key, final String value) {
            details.put(Objects.requireNonNull(key, "key"), value == null ? "" : value);
            return this;
        }

        public AuditEvent build() {
            return new AuditEvent(this);
        }
    }
}
