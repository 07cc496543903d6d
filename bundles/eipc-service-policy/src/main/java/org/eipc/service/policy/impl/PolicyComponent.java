package org.eipc.service.policy.impl;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;

import org.eipc.api.Header;
import org.eipc.api.IpcException;
import org.eipc.api.Message;
import org.eipc.api.MessageType;
import org.eipc.api.PeerIdentity;
import org.eipc.service.audit.AuditEvent;
import org.eipc.service.audit.AuditLog;
import org.eipc.service.policy.PolicyDecision;
import org.eipc.service.policy.PolicyLevel;
import org.eipc.service.policy.PolicyRequest;
import org.eipc.service.policy.PolicyService;
import org.eipc.service.policy.PolicyStats;
import org.eipc.spi.runtime.GateVerdict;
import org.eipc.spi.runtime.MessageContext;
import org.eipc.spi.runtime.MessageGate;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The policy engine as the runtime's {@link MessageGate} and as {@link PolicyService}. Configuration PID
 * {@value #PID} is required: without it there is no gate (and so no policy), with it every message is denied unless a
 * rule allows it. A configuration update swaps the whole rule set atomically through {@link #modified}; an update
 * that does not parse is rejected with an error log line naming the bad token, and everything in force stays.
 *
 * <p>Denials (and the rare allows of restricted messages by a confirm rule) are recorded in the audit log when an
 * {@link AuditLog} service is present; ordinary allows are only counted, since auditing each would put a disk write
 * behind every message and bury the events that matter under heartbeats.
 */
@Component(service = {MessageGate.class, PolicyService.class}, configurationPid = PolicyComponent.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = PolicyConfig.class)
public final class PolicyComponent implements MessageGate, PolicyService {
    private static final Logger LOG = LoggerFactory.getLogger(PolicyComponent.class);

    /** Configuration PID. */
    public static final String PID = "org.eipc.service.policy";

    /** What is in force; replaced as a whole so a message sees one consistent set. */
    private static final class Settings {
        final RuleSet rules;
        final boolean enforce;
        final boolean clientSessions;

        Settings(RuleSet rules, boolean enforce, boolean clientSessions) {
            this.rules = rules;
            this.enforce = enforce;
            this.clientSessions = clientSessions;
        }
    }

    private volatile Settings settings = new Settings(RuleSet.EMPTY, true, false);
    private final AtomicReference<AuditLog> audit = new AtomicReference<>();
    private final LongAdder allowed = new LongAdder();
    private final LongAdder denied = new LongAdder();
    private final LongAdder deniedByDefault = new LongAdder();
    private final LongAdder unenforced = new LongAdder();
    private final AtomicLong generation = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private volatile String lastRejection = "";

    @Activate
    public PolicyComponent(PolicyConfig config) {
        this(config.rules(), config.enforce(), config.clientSessions());
    }

    /**
     * Rules that do not parse leave the engine with no rules, which denies everything: a typo must not open the
     * host. The error is logged and reported in {@link PolicyStats#lastRejection()}.
     */
    PolicyComponent(String[] rules, boolean enforce, boolean clientSessions) {
        update(rules, enforce, clientSessions);
    }

    @Modified
    void modified(PolicyConfig config) {
        update(config.rules(), config.enforce(), config.clientSessions());
    }

    /** @return true when the rules were taken, false when they were rejected (the previous ones stay) */
    boolean update(String[] rules, boolean enforce, boolean clientSessions) {
        Settings before = settings;
        RuleSet next;
        try {
            next = RuleSet.of(RuleParser.parse(rules), before.rules);
        } catch (IpcException e) {
            rejected.incrementAndGet();
            lastRejection = e.detail();
            LOG.error("policy: rejected the new configuration, keeping the {} rule(s) of generation {} in force: {}",
                    before.rules.size(), generation.get(), e.detail());
            return false;
        }
        settings = new Settings(next, enforce, clientSessions);
        long g = generation.incrementAndGet();
        LOG.info("policy: generation {} in force, {} rule(s), {}", g, next.size(),
                enforce ? "enforcing" : "monitoring only (enforce=false)");
        return true;
    }

    @Reference(name = "audit", cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindAudit(AuditLog log) {
        audit.set(log);
    }

    void unbindAudit(AuditLog log) {
        audit.compareAndSet(log, null); // a greedy replacement may have been bound first
    }

    @Override
    public GateVerdict check(final MessageContext context, final Message message) {
        final Settings s = settings;
        if (!s.clientSessions && !context.server()) {
            return GateVerdict.ALLOW;
        }
        final PeerIdentity peer = context.peer();
        final Header h = message.header();
        final Outcome o = s.rules.evaluate(peer.serviceId(), peer.capabilities(), peer.uid(), peer.gid(),
                peer.principal(), message.typeByte(), h.route(), h.capability());
        if (o.allowed()) {
            allowed.increment();
            o.rule.allowed.increment();
            if (PolicyLevel.RESTRICTED == o.decision.level()) {
                record(context, message, o, s.enforce);
            }
            return GateVerdict.ALLOW;
        }
        denied.increment();
        if (o.rule == null) {
            deniedByDefault.increment();
        } else {
            o.rule.denied.increment();
        }
        record(context, message, o, s.enforce);
        if (!s.enforce) {
            unenforced.increment();
            return GateVerdict.ALLOW;
        }
        return o.verdict;
    }

    private void record(MessageContext context, Message message, Outcome o, boolean enforce) {
        final AuditLog log = audit.get();
        if (log == null) {
            return;
        }
        PeerIdentity peer = context.peer();
        Header h = message.header();
        MessageType type = message.type();
        AuditEvent.Builder e = AuditEvent.builder(AuditEvent.ACTION_POLICY_DECISION)
                .decision(o.allowed() ? AuditEvent.ALLOWED : AuditEvent.DENIED)
                .source(peer.serviceId()).target(h.route()).requestId(h.requestId()).result(o.decision.reason())
                .detail("rule", o.decision.ruleId()).detail("endpoint", context.endpoint())
                .detail("type", type == null ? Integer.toHexString(message.typeByte() & 0xff) : type.wireName())
                .detail("capability", h.capability()).detail("enforced", Boolean.toString(enforce));
        peer.uid().ifPresent(u -> e.detail("uid", Integer.toString(u)));
        if (!peer.principal().isEmpty()) {
            e.detail("principal", peer.principal());
        }
        try {
            log.record(e.build());
        } catch (RuntimeException ex) { // the audit log must not decide delivery
            LOG.debug("policy: audit log refused an event", ex);
        }
    }

    @Override
    public PolicyDecision decide(PolicyRequest r) {
        Objects.requireNonNull(r, "request");
        return settings.rules.evaluate(r.serviceId(), r.peerCapabilities(), r.uid(), r.gid(), r.principal(),
                r.typeByte(), r.route(), r.capability()).decision;
    }

    @Override
    public PolicyStats stats() {
        Settings s = settings;
        return new PolicyStats(allowed.sum(), denied.sum(), deniedByDefault.sum(), unenforced.sum(), generation.get(),
                rejected.get(), lastRejection, s.rules.stats());
    }

    @Override
    public List<String> rules() {
        return settings.rules.all().stream().map(r -> r.text).collect(Collectors.toUnmodifiableList());
    }

    @Override
    public boolean enforcing() {
        return settings.enforce;
    }
}
