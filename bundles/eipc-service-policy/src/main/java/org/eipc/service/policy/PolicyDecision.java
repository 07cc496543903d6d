package org.eipc.service.policy;

import java.util.Objects;

/**
 * What the rules decided about one message or request. Immutable.
 */
public final class PolicyDecision {
    private final boolean allowed;
    private final String ruleId;
    private final String rule;
    private final PolicyLevel level;
    private final String reason;

    /**
     * @param allowed whether the message may be delivered
     * @param ruleId the deciding rule's id, or {@code ""} when no rule matched (deny by default)
     * @param rule the deciding rule's text, or {@code ""}
     * @param level the deciding rule's level, or {@code null} when no rule or a {@code deny} rule decided
     * @param reason words for the sender, the audit log and the operator; never secrets
     */
    public PolicyDecision(boolean allowed, String ruleId, String rule, PolicyLevel level, String reason) {
        this.allowed = allowed;
        this.ruleId = Objects.requireNonNull(ruleId, "ruleId");
        this.rule = Objects.requireNonNull(rule, "rule");
        this.level = level;
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public boolean allowed() {
        return allowed;
    }

    /** The deciding rule's id; {@code ""} for the default denial. */
    public String ruleId() {
        return ruleId;
    }

    /** The deciding rule as text; {@code ""} for the default denial. */
    public String rule() {
        return rule;
    }

    /** True when no rule matched and the message was denied by default. */
    public boolean byDefault() {
        return ruleId.isEmpty();
    }

    /** The deciding rule's level; {@code null} for a {@code deny} rule and for the default denial. */
    public PolicyLevel level() {
        return level;
    }

    /** Why, in words. */
    public String reason() {
        return reason;
    }

    @Override
    public String toString() {
        return "PolicyDecision[" + (allowed ? "allow" : "deny") + (ruleId.isEmpty() ? " by default" : " by " + ruleId)
                + ": " + reason + "]";
    }
}
