package org.eipc.service.trace.record;

import java.util.List;

/**
 * The outcome of comparing recorded replies with a replay's. Immutable.
 *
 * @param expected recorded server-to-client messages
 * @param received messages the replay got
 * @param matched replies equal in every compared field
 * @param mismatches every difference, in recording order (unexpected messages last)
 */
public record Comparison(int expected, int received, int matched, List<Mismatch> mismatches) {

    /** Copies the list. */
    public Comparison {
        mismatches = List.copyOf(mismatches);
    }

    /** Every recorded reply came back equal, and nothing else came. */
    public boolean ok() {
        return mismatches.isEmpty();
    }
}
