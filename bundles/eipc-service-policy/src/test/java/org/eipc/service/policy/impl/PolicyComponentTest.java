package org.eipc.service.policy.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import org.eipc.api.ErrorCode;
import org.eipc.api.Header;
import org.eipc.api.Message;
import org.eipc.api.MessageType;
import org.eipc.api.PeerIdentity;
import org.eipc.service.audit.AuditEvent;
import org.eipc.service.audit.AuditLog;
import org.eipc.service.policy.PolicyDecision;
import org.eipc.service.policy.PolicyLevel;
import org.eipc.service.policy.PolicyRequest;
import org.eipc.service.policy.PolicyStats;
import org.eipc.spi.runtime.GateVerdict;
import org.eipc.spi.runtime.MessageContext;
import org.junit.jupiter.api.Test;

class PolicyComponentTest {

    private static MessageContext peer(String serviceId, Integer uid, String... caps) {
        return new MessageContext("unix:///run/eipc/host.sock", "s-" + serviceId,
                new PeerIdentity(serviceId, Set.of(caps), uid == null ? OptionalInt.empty() : OptionalInt.of(uid),
                        OptionalInt.empty(), ""), true);
    }

    private static Message msg(MessageType type, String route, String capability) {
        return Message.of(type, Header.builder().route(route).capability(capability).requestId("r1").build(),
                new byte[0]);
    }

    private static PolicyComponent policy(String... rules) {
        return new PolicyComponent(rules, true, false);
    }

    @Test
    void shouldDenyByDefault() {
        PolicyComponent p = policy();
        GateVerdict v = p.check(peer("nia.min", 1000), msg(MessageType.INTENT, "ui.move", ""));
        assertFalse(v.allowed());
        assertEquals(ErrorCode.POLICY_DENIED, v.code());
        assertTrue(v.reason().contains("denied by default"), v.reason());
        assertEquals(1, p.stats().deniedByDefault());
    }

    @Test
    void shouldMatchPeerWildcardUidTypeAndRoute() {
        PolicyComponent p = policy("allow peer=nia.* uid=1000 type=intent route=ui.* id=ui");
        assertTrue(p.check(peer("nia.min", 1000), msg(MessageType.INTENT, "ui.cursor", "")).allowed());
        assertFalse(p.check(peer("ail.min", 1000), msg(MessageType.INTENT, "ui.cursor", "")).allowed(), "peer");
        assertFalse(p.check(peer("nia.min", 1001), msg(MessageType.INTENT, "ui.cursor", "")).allowed(), "uid");
        assertFalse(p.check(peer("nia.min", null), msg(MessageType.INTENT, "ui.cursor", "")).allowed(), "no uid");
        assertFalse(p.check(peer("nia.min", 1000), msg(MessageType.CHAT, "ui.cursor", "")).allowed(), "type");
        assertFalse(p.check(peer("nia.min", 1000), msg(MessageType.INTENT, "device.x", "")).allowed(), "route");
    }

    @Test
    void shouldLetTheFirstMatchingRuleDecide() {
        PolicyComponent p = policy("deny peer=nia.evil id=block", "allow peer=nia.* id=nia");
        assertFalse(p.check(peer("nia.evil", null), msg(MessageType.INTENT, "", "")).allowed());
        assertTrue(p.check(peer("nia.min", null), msg(MessageType.INTENT, "", "")).allowed());
        PolicyStats s = p.stats();
        assertEquals(1, s.rule("block").orElseThrow().denied());
        assertEquals(1, s.rule("nia").orElseThrow().allowed());
    }

    @Test
    void shouldAllowControlledOnlyWithTheCapabilityInMessageAndGrant() {
        PolicyComponent p = policy("allow route=device.* level=controlled capability=device:write id=dev",
                "allow route=* id=rest");
        assertTrue(p.check(peer("nia.fw", null, "device:write"), msg(MessageType.INTENT, "device.motor",
                "device:write")).allowed());
        GateVerdict noCap = p.check(peer("nia.fw", null, "device:write"), msg(MessageType.INTENT, "device.motor", ""));
        assertFalse(noCap.allowed(), "the controlled rule decides; evaluation does not fall through to 'rest'");
        assertTrue(noCap.reason().contains("needs capability device:write"), noCap.reason());
        assertFalse(p.check(peer("nia.min", null, "device:read"), msg(MessageType.INTENT, "device.motor",
                "device:write")).allowed(), "capability named but not granted");
        assertEquals(1, p.stats().rule("dev").orElseThrow().allowed());
        assertEquals(2, p.stats().rule("dev").orElseThrow().denied());
    }

    @Test
    void shouldDenyRestrictedUnlessAConfirmRuleNamesThePeer() {
        PolicyComponent p = policy("allow route=system.* level=restricted id=sys", "confirm peer=ail.framework uid=0 id=ok",
                "allow peer=* id=rest");
        GateVerdict v = p.check(peer("ail.min", 0), msg(MessageType.TOOL_REQUEST, "system.reboot", ""));
        assertFalse(v.allowed());
        assertTrue(v.reason().contains("restricted"), v.reason());
        assertFalse(p.check(peer("ail.framework", 1000), msg(MessageType.TOOL_REQUEST, "system.reboot", "")).allowed());
        assertTrue(p.check(peer("ail.framework", 0), msg(MessageType.TOOL_REQUEST, "system.reboot", "")).allowed());
        assertTrue(p.check(peer("ail.min", 1000), msg(MessageType.INTENT, "ui.x", "")).allowed(), "confirm rules"
                + " never allow on their own; rest does");
        PolicyDecision d = p.decide(PolicyRequest.builder("ail.framework").uid(0).type(MessageType.TOOL_REQUEST)
                .route("system.update").build());
        assertTrue(d.allowed());
        assertEquals("ok", d.ruleId());
        assertEquals(PolicyLevel.RESTRICTED, d.level());
    }

    @Test
    void shouldReloadWithoutRestartAndKeepCountersOfUnchangedRules() {
        PolicyComponent p = policy("allow peer=a id=a");
        MessageContext a = peer("a", null);
        MessageContext b = peer("b", null);
        assertTrue(p.check(a, msg(MessageType.INTENT, "", "")).allowed());
        assertFalse(p.check(b, msg(MessageType.INTENT, "", "")).allowed());
        assertTrue(p.update(new String[] {"allow peer=a id=a", "allow peer=b id=b"}, true, false));
        assertTrue(p.check(b, msg(MessageType.INTENT, "", "")).allowed());
        PolicyStats s = p.stats();
        assertEquals(2, s.generation());
        assertEquals(1, s.rule("a").orElseThrow().allowed(), "rule a kept its counter across the reload");
        assertEquals(1, s.rule("b").orElseThrow().allowed());
        assertEquals(List.of("allow peer=a id=a", "allow peer=b id=b"), p.rules());
    }

    @Test
    void shouldRejectABadUpdateAndKeepTheRulesInForce() {
        PolicyComponent p = policy("allow peer=a id=a");
        assertFalse(p.update(new String[] {"allow peer=*", "allow pear=b"}, false, true));
        assertTrue(p.check(peer("a", null), msg(MessageType.INTENT, "", "")).allowed());
        assertFalse(p.check(peer("b", null), msg(MessageType.INTENT, "", "")).allowed());
        assertTrue(p.enforcing(), "the whole update was rejected, enforce=false too");
        PolicyStats s = p.stats();
        assertEquals(1, s.rejectedUpdates());
        assertEquals(1, s.generation());
        assertTrue(s.lastRejection().contains("'pear=b'"), s.lastRejection());
    }

    @Test
    void shouldFailClosedWhenTheFirstRulesDoNotParse() {
        PolicyComponent p = policy("allow peer=* uid=root");
        assertFalse(p.check(peer("a", 0), msg(MessageType.INTENT, "", "")).allowed());
        assertEquals(0, p.stats().generation());
    }

    @Test
    void shouldCountButDeliverInMonitorMode() {
        PolicyComponent p = new PolicyComponent(new String[] {"deny peer=x id=x"}, false, false);
        assertSame(GateVerdict.ALLOW, p.check(peer("x", null), msg(MessageType.INTENT, "", "")));
        assertSame(GateVerdict.ALLOW, p.check(peer("y", null), msg(MessageType.INTENT, "", "")));
        PolicyStats s = p.stats();
        assertEquals(2, s.denied());
        assertEquals(2, s.unenforced());
        assertEquals(1, s.deniedByDefault());
        assertFalse(p.decide(PolicyRequest.builder("x").build()).allowed(), "decide tells what enforcing would do");
        assertFalse(p.enforcing());
    }

    @Test
    void shouldLeaveClientSessionsAloneUnlessConfigured() {
        MessageContext client = new MessageContext("tcp://h:1", "s", new PeerIdentity("srv", Set.of(),
                OptionalInt.empty(), OptionalInt.empty(), ""), false);
        assertTrue(policy().check(client, msg(MessageType.ACK, "", "")).allowed());
        assertFalse(new PolicyComponent(new String[0], true, true).check(client, msg(MessageType.ACK, "", ""))
                .allowed());
    }

    @Test
    void shouldAuditDenialsAndConfirmedRestrictedAllowsButNotOrdinaryAllows() {
        PolicyComponent p = policy("allow peer=ok id=ok", "allow route=sys level=restricted id=sys",
                "confirm peer=root id=root");
        List<AuditEvent> events = new CopyOnWriteArrayList<>();
        AuditLog log = new AuditLog() {
            @Override
            public boolean record(AuditEvent event) {
                return events.add(event);
            }

            @Override
            public long droppedCount() {
                return 0;
            }
        };
        p.bindAudit(log);
        p.check(peer("ok", null), msg(MessageType.INTENT, "", ""));
        p.check(peer("bad", 1000), msg(MessageType.INTENT, "x", ""));
        p.check(peer("root", null), msg(MessageType.INTENT, "sys", ""));
        assertEquals(2, events.size());
        AuditEvent deny = events.get(0);
        assertEquals(AuditEvent.ACTION_POLICY_DECISION, deny.action());
        assertEquals(AuditEvent.DENIED, deny.decision());
        assertEquals("bad", deny.source());
        assertEquals("1000", deny.details().get("uid"));
        assertEquals(AuditEvent.ALLOWED, events.get(1).decision());
        assertEquals("root", events.get(1).details().get("rule"));
        p.unbindAudit(log);
        p.check(peer("bad", null), msg(MessageType.INTENT, "", ""));
        assertEquals(2, events.size());
    }
}
