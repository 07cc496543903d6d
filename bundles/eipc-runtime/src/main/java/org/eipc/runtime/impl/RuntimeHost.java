package org.eipc.runtime.impl;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

import org.eipc.api.Endpoint;
import org.eipc.api.MessageHandler;
import org.eipc.api.Session;
import org.eipc.runtime.EipcRuntime;
import org.eipc.runtime.EndpointMetrics;
import org.eipc.runtime.EndpointOptions;
import org.eipc.runtime.RuntimeMetrics;
import org.eipc.spi.runtime.MessageGate;
import org.eipc.spi.runtime.MessageTap;
import org.eipc.spi.runtime.RuntimeEvent;
import org.eipc.spi.runtime.RuntimeEventListener;

import org.eipc.spi.keyring.KeyringProvider;
import org.eipc.spi.security.IntegrityProvider;
import org.eipc.spi.security.ReplayGuardProvider;
import org.eipc.spi.transport.Transport;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The runtime component: tracks every provider through dynamic, greedy references and hands them to the endpoints
 * (see {@link EndpointComponent}). Bind and unbind tolerate either order; a transport that leaves takes its
 * listeners and connections with it and the sessions resume over what remains. Registered as {@link EipcRuntime}
 * too, for endpoints opened without ConfigAdmin; those close with the component.
 */
@Component(service = {RuntimeHost.class, EipcRuntime.class, RuntimeMetrics.class}, configurationPid = "org.eipc.runtime")
@Designate(ocd = RuntimeConfig.class)
public final class RuntimeHost implements EipcRuntime, RuntimeMetrics {
    private final Providers providers = new Providers();
    private final RuntimeContext ctx;
    private final RuntimeFacade facade;
    private final Map<KeyringProvider, org.eipc.spi.keyring.KeyringListener> keyringListeners =
            new java.util.concurrent.ConcurrentHashMap<>();

    @Activate
    public RuntimeHost(RuntimeConfig config) {
        this(config.connectThreads(), config.deliveryThreads(), Duration.ofSeconds(config.keyringOverlapSeconds()));
    }

    RuntimeHost(int connectThreads, int deliveryThreads, Duration keyringOverlap) {
        providers.keyringOverlap(keyringOverlap);
        this.ctx = new RuntimeContext(providers, connectThreads, deliveryThreads);
        this.facade = new RuntimeFacade(ctx, true);
    }

    RuntimeContext context() {
        return ctx;
    }

    @Deactivate
    void deactivate() {
        facade.close();
    }

    @Override
    public Endpoint listen(List<URI> addresses, EndpointOptions options, MessageHandler handler) {
        return facade.listen(addresses, options, handler);
    }

    @Override
    public CompletionStage<Session> connectAsync(List<URI> addresses, EndpointOptions options, MessageHandler handler,
            Duration timeout) {
        return facade.connectAsync(addresses, options, handler, timeout);
    }

    @Override
    public Session connect(List<URI> addresses, EndpointOptions options, MessageHandler handler, Duration timeout) {
        return facade.connect(addresses, options, handler, timeout);
    }

    @Override
    public List<String> schemes() {
        return facade.schemes();
    }

    @Override
    public List<EndpointMetrics> endpoints() {
        return ctx.metrics().endpoints();
    }

    @Override
    public Map<String, Long> counters() {
        return ctx.metrics().counters();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addGate(MessageGate g, Map<String, Object> props) {
        Object r = props.get("service.ranking");
        ctx.hooks.addGate(g, r instanceof Integer ? (Integer) r : 0);
    }

    void removeGate(MessageGate g) {
        ctx.hooks.removeGate(g);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addTap(MessageTap t) {
        ctx.hooks.addTap(t);
    }

    void removeTap(MessageTap t) {
        ctx.hooks.removeTap(t);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addEventListener(RuntimeEventListener l) {
        ctx.hooks.addListener(l);
    }

    void removeEventListener(RuntimeEventListener l) {
        ctx.hooks.removeListener(l);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addTransport(Transport t) {
        providers.addTransport(t);
    }

    void removeTransport(Transport t) {
        providers.removeTransport(t);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY,
            target = "(" + IntegrityProvider.PROP_ALGORITHM + "=HMAC-SHA256)")
    void addIntegrity(IntegrityProvider p) {
        providers.integrity(p);
    }

    void removeIntegrity(IntegrityProvider p) {
        providers.unsetIntegrity(p);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addReplay(ReplayGuardProvider p) {
        providers.replay(p);
    }

    void removeReplay(ReplayGuardProvider p) {
        providers.unsetReplay(p);
    }

    @Reference(name = "keyring", cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addKeyring(KeyringProvider k, Map<String, Object> props) {
        providers.keyring(k);
        org.eipc.spi.keyring.KeyringListener l = this::keysChanged;
        if (keyringListeners.putIfAbsent(k, l) == null) {
            k.addListener(l); // rotations inside a keyring (a new current key, a key retired) are audited too
        }
        ctx.hooks.emit(RuntimeEvent.builder(RuntimeEvent.Kind.KEY_CHANGED).detail("keyring bound: " + k.name()
                + "; " + keyIds(k)).build());
    }

    void removeKeyring(KeyringProvider k) {
        org.eipc.spi.keyring.KeyringListener l = keyringListeners.remove(k);
        if (l != null) {
            k.removeListener(l);
        }
        providers.unsetKeyring(k);
        ctx.hooks.emit(RuntimeEvent.builder(RuntimeEvent.Kind.KEY_CHANGED).detail("keyring unbound: " + k.name())
                .build());
    }

    private void keysChanged(KeyringProvider k) {
        ctx.hooks.emit(RuntimeEvent.builder(RuntimeEvent.Kind.KEY_CHANGED).detail("keyring " + k.name() + " changed; "
                + keyIds(k)).build());
    }

    /** Key ids only, never key material. */
    private static String keyIds(KeyringProvider k) {
        try {
            java.util.List<String> ids = new java.util.ArrayList<>();
            k.accepted().forEach(e -> ids.add(e.id()));
            return "current " + k.current().id() + ", accepted " + ids;
        } catch (RuntimeException e) {
            return "no current key";
        }
    }
}
