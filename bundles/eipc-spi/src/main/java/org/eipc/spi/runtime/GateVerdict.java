package org.eipc.spi.runtime;

import java.util.Objects;

import org.eipc.api.ErrorCode;

/** What a {@link MessageGate} decided. Immutable. */
public final class GateVerdict {
    /** Deliver the message. */
    public static final GateVerdict ALLOW = new GateVerdict(null, "");

    private final ErrorCode code;
    private final String reason;

    private GateVerdict(ErrorCode code, String reason) {
        this.code = code;
        this.reason = reason;
    }

    /**
     * Do not deliver the message.
     *
     * @param code why, e.g. {@link ErrorCode#POLICY_DENIED}, {@link ErrorCode#SCHEMA_INVALID}
     * @param reason words for the sender and the audit log; never secrets
     */
    public static GateVerdict deny(ErrorCode code, String reason) {
        return new GateVerdict(Objects.requireNonNull(code, "code"), reason == null ? "" : reason);
    }

    public boolean allowed() {
        return code == null;
    }

    /** The denial's code; {@code null} when allowed. */
    public ErrorCode code() {
        return code;
    }

    public String reason() {
        return reason;
    }

    @Override
    public String toString() {
        return code == null ? "GateVerdict[allow]" : "GateVerdict[deny " + code + ": " + reason + "]";
    }
}
