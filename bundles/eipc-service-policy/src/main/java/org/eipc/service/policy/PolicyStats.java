package org.eipc.service.policy;

import java.util.List;
import java.util.Objects;

/**
 * The counters of a policy engine. Immutable snapshot; counters are totals since the engine started and survive rule
 * reloads (a rule whose text is unchanged keeps its counters; a removed rule's counters leave the list).
 */
public final class PolicyStats {
    private final long allowed;
    private final long denied;
    private final long deniedByDefault;
    private final long unenforced;
    private final long generation;
    private final long rejectedUpdates;
    private final String lastRejection;
    private final List<RuleStats> rules;

    /**
     * @param allowed messages delivered because a rule allowed them
     * @param denied messages a rule or the default denied (including those delivered in monitor mode)
     * @param deniedByDefault of {@code denied}, those no rule matched
     * @param unenforced of {@code denied}, those delivered anyway because the engine only monitors
     * @param generation how many rule sets were accepted (1 after activation)
     * @param rejectedUpdates configuration updates whose rules did not parse (the previous rules stayed)
     * @param lastRejection why the last rejected update was rejected, or {@code ""}
     * @param rules per rule, in evaluation order (confirm rules last)
     */
    public PolicyStats(long allowed, long denied, long deniedByDefault, long unenforced, long generation,
            long rejectedUpdates, String lastRejection, List<RuleStats> rules) {
        this.allowed = allowed;
        this.denied = denied;
        this.deniedByDefault = deniedByDefault;
        this.unenforced = unenforced;
        this.generation = generation;
        this.rejectedUpdates = rejectedUpdates;
        this.lastRejection = Objects.requireNonNull(lastRejection, "lastRejection");
        this.rules = List.copyOf(rules);
    }

    public long allowed() {
        return allowed;
    }

    public long denied() {
        return denied;
    }

    public long deniedByDefault() {
        return deniedByDefault;
    }

    public long unenforced() {
        return unenforced;
    }

    public long generation() {
        return generation;
    }

    public long rejectedUpdates() {
        return rejectedUpdates;
    }

    public String lastRejection() {
        return lastRejection;
    }

    public List<RuleStats> rules() {
        return rules;
    }

    /** The counters of the rule with this id, if it is in force. */
    public java.util.Optional<RuleStats> rule(String id) {
        return rules.stream().filter(r -> r.id().equals(id)).findFirst();
    }

    @Override
    public String toString() {
        return "PolicyStats[allowed=" + allowed + " denied=" + denied + " (default " + deniedByDefault + ", unenforced "
                + unenforced + ") generation=" + generation + " rejected=" + rejectedUpdates + " " + rules + "]";
    }
}
