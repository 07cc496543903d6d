package org.eipc.service.policy.impl;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "EIPC policy",
        description = "Deny-by-default rules checked before every inbound message of a session the host accepted."
                + " Without this configuration there is no policy gate at all.")
@interface PolicyConfig {

    @AttributeDefinition(description = "Rules in evaluation order, one per entry: EFFECT KEY=VALUE... with EFFECT"
            + " allow, deny or confirm and keys id, peer, uid, gid, principal, type, route, capability, level"
            + " (safe, controlled, restricted). The first matching allow or deny rule decides; a message no rule"
            + " matches is denied. Entries that are blank or start with # are ignored. An update whose rules do not"
            + " parse is rejected and the rules in force stay.")
    String[] rules() default {};

    @AttributeDefinition(description = "false: monitor only. Every message is decided, counted and denials are"
            + " audited, but every message is delivered (for rolling out a new rule set)")
    boolean enforce() default true;

    @AttributeDefinition(description = "Also check messages arriving on sessions this host opened as a client"
            + " (replies and pushes from servers it connected to); by default only accepted sessions are checked")
    boolean clientSessions() default false;
}
