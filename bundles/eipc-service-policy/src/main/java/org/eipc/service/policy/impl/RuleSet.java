package org.eipc.service.policy.impl;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

import org.eipc.service.policy.PolicyLevel;
import org.eipc.service.policy.RuleStats;

/**
 * An immutable, ordered rule set. {@link #evaluate} walks the allow and deny rules in order and the first that
 * matches decides (a controlled rule by its capability check, a restricted rule by the confirm rules); when none
 * matches, the message is denied. Cost: one pass over the rules (plus the confirm rules for a restricted match), no
 * allocation.
 */
final class RuleSet {
    static final RuleSet EMPTY = new RuleSet(new Rule[0], new Rule[0]);

    private final Rule[] rules;
    private final Rule[] confirms;

    private RuleSet(Rule[] rules, Rule[] confirms) {
        this.rules = rules;
        this.confirms = confirms;
    }

    /**
     * Builds the rule set from parsed drafts; a rule with the same text as one of {@code previous} keeps its counters.
     */
    static RuleSet of(List<RuleParser.Draft> drafts, RuleSet previous) {
        Map<String, Rule> old = new HashMap<>();
        for (Rule r : previous.all()) {
            old.put(r.text, r);
        }
        List<Rule> rules = new ArrayList<>();
        List<Rule> confirms = new ArrayList<>();
        for (RuleParser.Draft d : drafts) {
            Rule prior = old.get(d.text);
            Rule r = new Rule(d, prior == null ? new LongAdder() : prior.allowed,
                    prior == null ? new LongAdder() : prior.denied);
            (r.effect == Rule.Effect.CONFIRM ? confirms : rules).add(r);
        }
        return new RuleSet(rules.toArray(new Rule[0]), confirms.toArray(new Rule[0]));
    }

    Outcome evaluate(final String serviceId, final Set<String> peerCapabilities, final OptionalInt uid,
            final OptionalInt gid, final String principal, final byte type, final String route,
            final String capability) {
        for (final Rule r : rules) {
            if (!r.matches(serviceId, uid, gid, principal, type, route, capability)) {
                continue;
            }
            if (Rule.Effect.DENY == r.effect) {
                return r.deny;
            }
            if (PolicyLevel.SAFE == r.level) {
                return r.allow;
            }
            if (PolicyLevel.CONTROLLED == r.level) {
                return r.capabilityHeld(capability, peerCapabilities) ? r.allow : r.deny;
            }
            for (final Rule c : confirms) {
                if (c.matches(serviceId, uid, gid, principal, type, route, capability)) {
                    return c.allow;
                }
            }
            return r.deny;
        }
        return Outcome.DEFAULT_DENY;
    }

    /** Every rule, allow and deny rules in order, then the confirm rules. */
    List<Rule> all() {
        List<Rule> out = new ArrayList<>(rules.length + confirms.length);
        out.addAll(List.of(rules));
        out.addAll(List.of(confirms));
        return out;
    }

    int size() {
        return rules.length + confirms.length;
    }

    List<RuleStats> stats() {
        List<RuleStats> out = new ArrayList<>();
        for (Rule r : all()) {
            out.add(new RuleStats(r.id, r.text, r.allowed.sum(), r.denied.sum()));
        }
        return out;
    }
}
