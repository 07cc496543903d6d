package org.eipc.service.policy;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The policy engine. Thread-safe; the rules in force change atomically when the configuration changes.
 */
@ProviderType
public interface PolicyService {

    /**
     * What the rules in force decide for a request, as if a message with these facts arrived. A dry run: nothing is
     * counted and nothing is audited, so tools and tests can ask freely. The answer ignores monitor mode: it says what
     * an enforcing engine would do.
     *
     * @param request the facts to decide on, not null
     * @return the decision, naming the rule that made it (or none for the default denial)
     * @throws NullPointerException when request is null
     */
    PolicyDecision decide(PolicyRequest request);

    /** A snapshot of the counters of every decision made for real messages since the engine started. */
    PolicyStats stats();

    /** The rules in force, in evaluation order, as normalised text (one space between tokens). */
    List<String> rules();

    /**
     * False in monitor mode ({@code enforce=false}): denials are decided, counted and audited, but the message is
     * delivered anyway.
     */
    boolean enforcing();
}
