package org.eipc.service.registry.impl;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.eipc.api.ErrorCode;
import org.eipc.api.Header;
import org.eipc.api.IpcException;
import org.eipc.api.Message;
import org.eipc.api.MessageHandler;
import org.eipc.api.MessageType;
import org.eipc.api.Session;
import org.eipc.service.registry.ServiceEntry;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The registry for EIPC peers: a {@link MessageHandler} service, so every configured endpoint hands it its messages;
 * it answers requests (messages with a request id) on the routes {@value #REGISTER}, {@value #UNREGISTER},
 * {@value #LOOKUP} and {@value #FIND} with an {@code a} reply carrying JSON, and ignores every other message. Entries a
 * session registers are owned by that session and vanish when it closes: at once on the runtime's session-closed
 * event ({@link SessionReaper}), and otherwise before every query and on a periodic sweep, both of which ask
 * {@link Session#isOpen()} of the sessions that own entries.
 *
 * <p>Configuration PID {@value #PID}, optional.
 */
@Component(service = MessageHandler.class, configurationPid = RemoteRegistry.PID,
        property = {"eipc.endpoint=*", "eipc.handler=registry"})
@Designate(ocd = RegistryConfig.class)
public final class RemoteRegistry implements MessageHandler {
    private static final Logger LOG = LoggerFactory.getLogger(RemoteRegistry.class);

    /** Configuration PID. */
    public static final String PID = "org.eipc.service.registry";
    static final String PREFIX = "registry.";
    static final String REGISTER = "registry.register";
    static final String UNREGISTER = "registry.unregister";
    static final String LOOKUP = "registry.lookup";
    static final String FIND = "registry.find";

    private final RegistryCore core;
    private final RegistryJson json = new RegistryJson();
    private final String registerCapability;
    private final int maxPerSession;
    private final int maxEntries;
    private final ScheduledExecutorService sweeper;

    @Activate
    public RemoteRegistry(@Reference(name = "core") RegistryCore core, RegistryConfig config) {
        this(core, config.registerCapability(), config.maxEntriesPerSession(), config.maxEntries(),
                Duration.ofSeconds(config.sweepSeconds()));
    }

    /** @param sweep period of the sweep of closed sessions; zero for none (tests sweep by querying) */
    RemoteRegistry(RegistryCore core, String registerCapability, int maxPerSession, int maxEntries, Duration sweep) {
        if (maxPerSession < 1 || maxEntries < 1 || sweep.isNegative()) {
            throw new IpcException(ErrorCode.CONFIG_INVALID, "maxEntriesPerSession=" + maxPerSession + " maxEntries="
                    + maxEntries + " sweep=" + sweep + ": limits must be at least 1 and the sweep not negative");
        }
        this.core = core;
        this.registerCapability = registerCapability == null ? "" : registerCapability;
        this.maxPerSession = maxPerSession;
        this.maxEntries = maxEntries;
        if (sweep.isZero()) {
            sweeper = null;
        } else {
            sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "eipc-registry-sweep");
                t.setDaemon(true);
                return t;
            });
            sweeper.scheduleWithFixedDelay(this::sweep, sweep.toMillis(), sweep.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    static String owner(String sessionId) {
        return "session:" + sessionId;
    }

    private void sweep() {
        try {
            core.sweep();
        } catch (RuntimeException e) {
            LOG.warn("registry: sweep of closed sessions failed", e);
        }
    }

    @Deactivate
    void deactivate() {
        if (sweeper != null) {
            sweeper.shutdownNow();
        }
    }

    @Override
    public void onMessage(Session session, Message message) {
        final Header h = message.header();
        final String route = h.route();
        if (!route.startsWith(PREFIX) || h.requestId().isEmpty()) {
            return;
        }
        byte[] reply;
        try {
            reply = handle(session, route, json.parse(message.payloadBytes()));
        } catch (IpcException e) {
            reply = json.error(e.code(), e.detail());
        }
        session.reply(message, Message.of(MessageType.ACK, Header.builder().route(route).build(), reply));
    }

    private byte[] handle(Session session, String route, ObjectNode request) {
        core.sweep();
        switch (route) {
            case REGISTER:
                return json.ok(register(session, json.entry(request)));
            case UNREGISTER:
                if (!core.unregister(id(request), owner(session.id()))) {
                    throw new IpcException(ErrorCode.ILLEGAL_STATE, "this session holds no entry " + id(request));
                }
                return json.ok();
            case LOOKUP:
                return json.entries(core.lookupAll(RegistryJson.string(request, "name", RegistryJson.MAX_NAME)));
            case FIND:
                return json.entries(core.findByCapability(
                        RegistryJson.string(request, "capability", RegistryJson.MAX_NAME)));
            default:
                throw new IpcException(ErrorCode.PROTOCOL_VIOLATION, "unknown registry route " + route);
        }
    }

    private long register(Session session, ServiceEntry entry) {
        if (!registerCapability.isEmpty() && !session.peer().capabilities().contains(registerCapability)) {
            throw new IpcException(ErrorCode.CAPABILITY_DENIED, "registering needs capability " + registerCapability);
        }
        String owner = owner(session.id());
        if (core.count(owner) >= maxPerSession) {
            throw new IpcException(ErrorCode.QUOTA_EXCEEDED, "a session holds at most " + maxPerSession + " entries");
        }
        if (core.size() >= maxEntries) {
            throw new IpcException(ErrorCode.QUOTA_EXCEEDED, "the registry holds at most " + maxEntries + " entries");
        }
        return core.register(entry, owner, session::isOpen);
    }

    private static long id(ObjectNode request) {
        try {
            return Long.parseLong(RegistryJson.string(request, "id", 20));
        } catch (NumberFormatException e) {
            throw new IpcException(ErrorCode.SCHEMA_INVALID, "\"id\" must be the decimal id of a registration");
        }
    }
}
