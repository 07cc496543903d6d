package org.eipc.spi.runtime;

import java.time.Instant;
import java.util.Objects;

import org.eipc.api.ErrorCode;
import org.eipc.api.PeerIdentity;

/**
 * One security or lifecycle event of the runtime. Immutable. Never carries key material: key ids only.
 */
public final class RuntimeEvent {

    /** What happened. */
    public enum Kind {
        /** A handshake completed: a new session (detail: mode and key id). */
        SESSION_OPENED,
        /** A session moved to a new connection (a transport swap or a reconnect). */
        SESSION_RESUMED,
        /** A session ended (code: why, or null for a normal close). */
        SESSION_CLOSED,
        /** A handshake failed (code: AUTH_FAILED, HANDSHAKE_FAILED, HANDSHAKE_TIMEOUT, KEY_RETIRED, ...). */
        HANDSHAKE_FAILED,
        /** A frame was rejected and its connection closed (MAC_INVALID, MAC_MISSING, REPLAY_*, framing codes). */
        FRAME_REJECTED,
        /** A message was not delivered: capability, policy or schema (CAPABILITY_DENIED, POLICY_DENIED, ...). */
        MESSAGE_DENIED,
        /** A peer exceeded a quota (QUOTA_EXCEEDED); the message was refused. */
        QUOTA_EXCEEDED,
        /** A message missed its channel's latency budget (DEADLINE_EXCEEDED) and was reported, not delivered. */
        DEADLINE_EXCEEDED,
        /** The keyring's current key changed or a key was retired (detail: key ids). */
        KEY_CHANGED,
        /** A transport service arrived (detail: its schemes). */
        TRANSPORT_ADDED,
        /** A transport service left; its connections' sessions resume elsewhere (detail: its schemes). */
        TRANSPORT_REMOVED
    }

    private final Instant timestamp;
    private final Kind kind;
    private final ErrorCode code;
    private final String endpoint;
    private final String sessionId;
    private final PeerIdentity peer;
    private final String requestId;
    private final String detail;

    private RuntimeEvent(Builder b) {
        this.timestamp = b.timestamp == null ? Instant.now() : b.timestamp;
        this.kind = b.kind;
        this.code = b.code;
        this.endpoint = b.endpoint;
        this.sessionId = b.sessionId;
        this.peer = b.peer;
        this.requestId = b.requestId;
        this.detail = b.detail;
    }

    public static Builder builder(Kind kind) {
        return new Builder(Objects.requireNonNull(kind, "kind"));
    }

    public Instant timestamp() {
        return timestamp;
    }

    public Kind kind() {
        return kind;
    }

    /** The error code for failures and denials; {@code null} otherwise. */
    public ErrorCode code() {
        return code;
    }

    /** The endpoint's address, or {@code ""} for runtime-wide events. */
    public String endpoint() {
        return endpoint;
    }

    /** The session id, or {@code ""} when there is none (yet). */
    public String sessionId() {
        return sessionId;
    }

    /** The authenticated peer, or {@code null} before authentication. */
    public PeerIdentity peer() {
        return peer;
    }

    /** The request id of the message concerned, or {@code ""}. */
    public String requestId() {
        return requestId;
    }

    /** Further facts in words (a remote address, a key id, a reason); never secrets. */
    public String detail() {
        return detail;
    }

    @Override
    public String toString() {
        return "RuntimeEvent[" + kind + (code == null ? "" : " " + code) + (sessionId.isEmpty() ? "" : " " + sessionId)
                + (peer == null ? "" : " " + peer.serviceId()) + (detail.isEmpty() ? "" : ": " + detail) + "]";
    }

    /** Builds a {@link RuntimeEvent}; null strings become empty. Not thread-safe. */
    public static final class Builder {
        private final Kind kind;
        private Instant timestamp;
        private ErrorCode code;
        private String endpoint = "";
        private String sessionId = "";
        private PeerIdentity peer;
        private String requestId = "";
        private String detail = "";

        private Builder(Kind kind) {
            this.kind = kind;
        }

        public Builder timestamp(Instant t) {
            this.timestamp = t;
            return this;
        }

        public Builder code(ErrorCode c) {
            this.code = c;
            return this;
        }

        public Builder endpoint(String e) {
            this.endpoint = e == null ? "" : e;
            return this;
        }

        public Builder sessionId(String s) {
            this.sessionId = s == null ? "" : s;
            return this;
        }

        public Builder peer(PeerIdentity p) {
            this.peer = p;
            return this;
        }

        public Builder requestId(String r) {
            this.requestId = r == null ? "" : r;
            return this;
        }

        public Builder detail(String d) {
            this.detail = d == null ? "" : d;
            return this;
        }

        public RuntimeEvent build() {
            return new RuntimeEvent(this);
        }
    }
}
