package org.eipc.service.policy.impl;

import org.eipc.api.ErrorCode;
import org.eipc.service.policy.PolicyDecision;
import org.eipc.service.policy.PolicyLevel;
import org.eipc.spi.runtime.GateVerdict;

/**
 * One possible result of evaluating the rules, built once per rule when the rule set is parsed so that deciding a
 * message allocates nothing: the decision for the API, the verdict for the runtime and the counter to bump.
 */
final class Outcome {
    /** No rule matched. */
    static final Outcome DEFAULT_DENY = new Outcome(null, false, null, "no rule matched: denied by default");

    final Rule rule; // null for the default denial
    final PolicyDecision decision;
    final GateVerdict verdict;

    Outcome(Rule rule, boolean allowed, PolicyLevel level, String reason) {
        this.rule = rule;
        this.decision = new PolicyDecision(allowed, rule == null ? "" : rule.id, rule == null ? "" : rule.text, level,
                reason);
        this.verdict = allowed ? GateVerdict.ALLOW : GateVerdict.deny(ErrorCode.POLICY_DENIED, reason);
    }

    boolean allowed() {
        return decision.allowed();
    }
}
