package org.eipc.runtime.impl;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.eipc.api.Endpoint;
import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;
import org.eipc.api.Message;
import org.eipc.api.MessageHandler;
import org.eipc.api.Session;
import org.eipc.protocol.ProtocolMode;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One configured endpoint (factory PID {@code org.eipc.endpoint}), registered as an {@link Endpoint} service. Its
 * messages go to every {@link MessageHandler} service matched by {@code handler.target}; handlers come and go
 * without disturbing the sessions.
 */
// immediate: a configured endpoint listens (or connects) as soon as it is configured, not when some bundle first
// asks for its Endpoint service
@Component(service = Endpoint.class, configurationPid = "org.eipc.endpoint",
        configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true)
@Designate(ocd = EndpointConfig.class, factory = true)
public final class EndpointComponent implements Endpoint, MessageHandler {
    private static final Logger LOG = LoggerFactory.getLogger(EndpointComponent.class);

    private final List<MessageHandler> handlers = new CopyOnWriteArrayList<>();
    private final Endpoint delegate;

    @Activate
    public EndpointComponent(@Reference(name = "runtime") RuntimeHost host, EndpointConfig config) {
        this(host.context(), config.role(), uris(config.uri()), settings(config));
    }

    EndpointComponent(RuntimeContext ctx, String role, List<URI> uris, EndpointSettings settings) {
        if ("server".equals(role)) {
            delegate = new ServerEndpointImpl(ctx, uris, settings, this).open(false);
        } else if ("client".equals(role)) {
            ClientEndpointImpl c = new ClientEndpointImpl(ctx, uris, settings, this);
            c.connectPersistently().whenComplete((s, e) -> {
                if (e != null) {
                    LOG.warn("client endpoint {} gave up connecting: {}", uris, e.getMessage());
                }
            });
            delegate = c;
        } else {
            throw new IpcException(ErrorCode.CONFIG_INVALID, "role '" + role + "' is neither server nor client");
        }
    }

    static List<URI> uris(String[] values) {
        if (values == null || values.length == 0) {
            throw new IpcException(ErrorCode.CONFIG_INVALID, "an endpoint needs at least one uri");
        }
        List<URI> out = new ArrayList<>();
        for (String v : values) {
            try {
                out.add(new URI(v.trim()));
            } catch (java.net.URISyntaxException e) {
                throw new IpcException(ErrorCode.ADDRESS_INVALID, "not a URI: " + v, e);
            }
        }
        return out;
    }

    static EndpointSettings settings(EndpointConfig c) {
        EndpointSettings s = new EndpointSettings();
        switch (c.mode()) {
            case "strict":
                s.mode = ProtocolMode.STRICT;
                break;
            case "compat":
                s.mode = ProtocolMode.COMPAT;
                break;
            default:
                throw new IpcException(ErrorCode.CONFIG_INVALID, "mode '" + c.mode() + "' is neither strict nor compat");
        }
        s.serviceId = c.serviceId();
        s.services = services(c.services());
        s.handshakeTimeout = Duration.ofMillis(c.handshakeTimeoutMillis());
        s.connectTimeout = Duration.ofMillis(c.connectTimeoutMillis());
        s.maxPendingHandshakes = c.maxPendingHandshakes();
        s.maxUnacked = c.maxUnacked();
        s.maxUnackedBytes = c.maxUnackedBytes();
        s.maxQueued = c.maxQueued();
        s.maxQueuedBytes = c.maxQueuedBytes();
        s.starvationLimit = c.starvationLimit();
        s.receiveWindow = c.receiveWindow();
        s.ackEvery = Math.min(c.ackEvery(), c.maxUnacked());
        s.ackDelay = Duration.ofMillis(c.ackDelayMillis());
        s.resumeTimeout = Duration.ofMillis(c.resumeTimeoutMillis());
        s.idleTimeout = Duration.ofMillis(c.idleTimeoutMillis());
        s.closeDrainTimeout = Duration.ofMillis(c.closeDrainTimeoutMillis());
        s.transportDrainTimeout = Duration.ofMillis(c.transportDrainTimeoutMillis());
        s.quotas = Limits.quotas(c.quotas());
        s.budgets = Limits.budgets(c.latencyBudgets());
        s.deliverOnIoThread = c.deliverOnIoThread();
        try {
            s.forwardSecrecy = EndpointSettings.ForwardSecrecy.valueOf(c.forwardSecrecy().trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IpcException(ErrorCode.CONFIG_INVALID, "forwardSecrecy '" + c.forwardSecrecy()
                    + "' is none of prefer, require, off");
        }
        s.validate();
        return s;
    }

    /** Parses {@code id=cap1,cap2} entries, keeping their order. */
    static Map<String, List<String>> services(String[] entries) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (String e : entries == null ? new String[0] : entries) {
            int eq = e.indexOf('=');
            String id = (eq < 0 ? e : e.substring(0, eq)).trim();
            if (id.isEmpty()) {
                throw new IpcException(ErrorCode.CONFIG_INVALID, "service entry without id: '" + e + "'");
            }
            List<String> caps = new ArrayList<>();
            if (eq >= 0) {
                Arrays.stream(e.substring(eq + 1).split(",")).map(String::trim).filter(x -> !x.isEmpty())
                        .forEach(caps::add);
            }
            m.put(id, List.copyOf(caps));
        }
        return m;
    }

    @Reference(name = "handler", cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addHandler(MessageHandler h) {
        handlers.add(h);
    }

    void removeHandler(MessageHandler h) {
        handlers.remove(h);
    }

    @Override
    public void onMessage(Session session, Message message) {
        for (MessageHandler h : handlers) {
            try {
                h.onMessage(session, message);
            } catch (RuntimeException e) {
                LOG.warn("message handler failed", e);
            }
        }
    }

    @Override
    public URI address() {
        return delegate.address();
    }

    @Override
    public Collection<Session> sessions() {
        return delegate.sessions();
    }

    @Deactivate
    @Override
    public void close() {
        delegate.close();
    }
}
