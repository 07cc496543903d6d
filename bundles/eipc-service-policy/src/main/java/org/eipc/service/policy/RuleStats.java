package org.eipc.service.policy;

import java.util.Objects;

/** The decisions one rule made. Immutable snapshot. */
public final class RuleStats {
    private final String id;
    private final String rule;
    private final long allowed;
    private final long denied;

    public RuleStats(String id, String rule, long allowed, long denied) {
        this.id = Objects.requireNonNull(id, "id");
        this.rule = Objects.requireNonNull(rule, "rule");
        this.allowed = allowed;
        this.denied = denied;
    }

    public String id() {
        return id;
    }

    /** The rule's normalised text. */
    public String rule() {
        return rule;
    }

    /** Messages this rule allowed. */
    public long allowed() {
        return allowed;
    }

    /** Messages this rule denied (a deny rule, a controlled rule missing its capability, an unconfirmed restricted rule). */
    public long denied() {
        return denied;
    }

    @Override
    public String toString() {
        return "RuleStats[" + id + " allowed=" + allowed + " denied=" + denied + "]";
    }
}
