package org.eipc.service.policy;

/**
 * The three levels of the reference's policy engine, as an {@code allow} rule's {@code level=}.
 */
public enum PolicyLevel {
    /** The rule allows what it matches. */
    SAFE,
    /**
     * The rule allows what it matches only when the message carries the rule's capability and the peer holds it;
     * otherwise the rule denies (evaluation stops there).
     */
    CONTROLLED,
    /**
     * What the rule matches is denied unless a {@code confirm} rule, which names the peer explicitly, matches the
     * message too.
     */
    RESTRICTED
}
