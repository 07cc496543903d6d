package org.eipc.service.policy.impl;

import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

import org.eipc.service.policy.PolicyLevel;

/**
 * One parsed rule: an effect, selectors (each {@code null} when the rule does not constrain that fact) and, for
 * {@code allow} rules, a level. Immutable except for its two counters, which a reloaded rule with the same text takes
 * over from its predecessor.
 */
final class Rule {
    enum Effect {
        ALLOW, DENY, CONFIRM
    }

    final String id;
    final String text;
    final Effect effect;
    final PolicyLevel level;
    final Glob peer;
    final IdRanges uid;
    final IdRanges gid;
    final Glob principal;
    final TypeMask types;
    final Glob route;
    final Glob capability;
    /** The capability a controlled rule requires; {@code null} for other rules. */
    final String required;
    final LongAdder allowed;
    final LongAdder denied;
    final Outcome allow;
    final Outcome deny;

    Rule(RuleParser.Draft d, LongAdder allowed, LongAdder denied) {
        this.id = d.id;
        this.text = d.text;
        this.effect = d.effect;
        this.level = d.level;
        this.peer = d.peer;
        this.uid = d.uid;
        this.gid = d.gid;
        this.principal = d.principal;
        this.types = d.types;
        this.route = d.route;
        this.capability = level == PolicyLevel.CONTROLLED ? null : d.capability;
        this.required = level == PolicyLevel.CONTROLLED ? d.capability.toString() : null;
        this.allowed = allowed;
        this.denied = denied;
        this.allow = new Outcome(this, true, effect == Effect.CONFIRM ? PolicyLevel.RESTRICTED : level, allowReason());
        this.deny = new Outcome(this, false, effect == Effect.DENY ? null : level, denyReason());
    }

    private String allowReason() {
        if (effect == Effect.CONFIRM) {
            return "confirmed by " + id;
        }
        return level == PolicyLevel.CONTROLLED ? "allowed by " + id + " with capability " + required
                : "allowed by " + id;
    }

    private String denyReason() {
        if (effect == Effect.DENY) {
            return "denied by " + id;
        }
        if (level == PolicyLevel.CONTROLLED) {
            return id + " is controlled: needs capability " + required;
        }
        return id + " is restricted: no confirm rule names this peer";
    }

    boolean matches(final String serviceId, final OptionalInt peerUid, final OptionalInt peerGid,
            final String peerPrincipal, final byte type, final String msgRoute, final String msgCapability) {
        return (peer == null || peer.matches(serviceId))
                && (uid == null || uid.matches(peerUid))
                && (gid == null || gid.matches(peerGid))
                && (principal == null || principal.matches(peerPrincipal))
                && (types == null || types.contains(type))
                && (route == null || route.matches(msgRoute))
                && (capability == null || capability.matches(msgCapability));
    }

    /** For a controlled rule: the message names the required capability and the handshake granted it to the peer. */
    boolean capabilityHeld(final String msgCapability, final Set<String> peerCapabilities) {
        return required.equals(msgCapability) && peerCapabilities.contains(required);
    }

    @Override
    public String toString() {
        return text;
    }
}
