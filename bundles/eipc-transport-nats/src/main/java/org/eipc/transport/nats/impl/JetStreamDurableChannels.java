package org.eipc.transport.nats.impl;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;
import org.eipc.api.MessageType;
import org.eipc.spi.keyring.KeyringProvider;
import org.eipc.spi.security.IntegrityProvider;
import org.eipc.transport.nats.durable.DurableChannels;
import org.eipc.transport.nats.durable.DurableCounters;
import org.eipc.transport.nats.durable.DurableHandler;
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

import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.Nats;

/**
 * Durable channels over JetStream (issue #9): {@link DurableChannels} for publishers, and a durable consumer with
 * its own thread for every {@link DurableHandler} service (whiteboard). One NATS connection per component, with
 * the credentials and TLS options of the transport ({@link NatsClientOptions}).
 *
 * <p>Activation checks the configuration, then connects and creates or updates the stream: a configuration that
 * JetStream refuses fails activation with {@link ErrorCode#CONFIG_INVALID}; unreachable servers do not (the
 * component keeps trying in the background, publishes wait up to their timeout, consumers start once connected).
 *
 * <p>Configuration PID {@value #PID}, required.
 */
@Component(service = DurableChannels.class, configurationPid = JetStreamDurableChannels.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = DurableConfig.class)
public final class JetStreamDurableChannels implements DurableChannels, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JetStreamDurableChannels.class);

    /** Configuration PID. */
    public static final String PID = "org.eipc.durable.nats";
    private static final Duration SETUP_RETRY = Duration.ofSeconds(1);
    private static final Duration SWEEP = Duration.ofMillis(100);

    private final DurableSettings settings;
    private final NatsClientOptions client;
    private final KeyringProvider keyring;
    private final IntegrityProvider integrity;
    private final DurableStats stats = new DurableStats();
    private final ScheduledThreadPoolExecutor executor;
    private final CompletableFuture<JetStreamLink> ready = new CompletableFuture<>();
    private final DurablePublisher publisher;
    /** Consumers by the handler's service id, and the consumer names in use; guarded by {@code consumers}. */
    private final Map<Object, DurableConsumer> consumers = new HashMap<>();
    private final Set<String> consumerNames = new HashSet<>();
    /** Counts reconnects: consumers start their pulls over after one (pulls do not survive a server restart). */
    private final java.util.concurrent.atomic.AtomicLong reconnects = new java.util.concurrent.atomic.AtomicLong();
    private volatile Connection connection;
    private volatile boolean up;
    private volatile boolean closed;

    @Activate
    public JetStreamDurableChannels(DurableConfig config, org.osgi.framework.BundleContext context,
            @Reference(name = "keyring", policyOption = ReferencePolicyOption.GREEDY) KeyringProvider keyring,
            @Reference(name = "integrity", policyOption = ReferencePolicyOption.GREEDY,
                    target = "(" + IntegrityProvider.PROP_ALGORITHM + "=HMAC-SHA256)") IntegrityProvider integrity) {
        this(new DurableSettings(config, DurableSettings.persistentHostId(context.getDataFile("durable-host-id"))),
                NatsClientOptions.from(config), keyring, integrity);
    }

    /** Outside OSGi (tests): without a data area the default host id is host name and process id. */
    JetStreamDurableChannels(DurableConfig config, KeyringProvider keyring, IntegrityProvider integrity) {
        this(new DurableSettings(config), NatsClientOptions.from(config), keyring, integrity);
    }

    JetStreamDurableChannels(DurableSettings settings, NatsClientOptions client, KeyringProvider keyring,
            IntegrityProvider integrity) {
        this.settings = settings;
        this.client = client;
        this.keyring = keyring;
        this.integrity = integrity;
        this.executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "eipc-durable-nats");
            t.setDaemon(true);
            return t;
        });
        this.executor.setRemoveOnCancelPolicy(true);
        this.publisher = new DurablePublisher(settings, keyring, integrity, stats, executor, ready);
        this.executor.scheduleWithFixedDelay(publisher::sweep, SWEEP.toMillis(), SWEEP.toMillis(),
                TimeUnit.MILLISECONDS);
        LOG.debug("durable channels activating: stream {} on {} for {}, host {}", settings.stream,
                settings.servers.serverKey(), settings.channels.patterns(), settings.hostId);
        boolean connected;
        try {
            connected = setUp();
        } catch (IpcException e) {
            close();
            throw e;
        }
        if (!connected) {
            executor.schedule(this::retrySetUp, SETUP_RETRY.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Connects and sets up the stream; false when the servers cannot be reached (yet).
     *
     * @throws IpcException {@link ErrorCode#CONFIG_INVALID} when JetStream refuses the stream
     */
    private boolean setUp() {
        Connection nc = connection;
        try {
            if (nc == null) {
                nc = Nats.connect(client.builder(settings.servers.servers(), client.connectTimeout())
                        .connectionListener(this::connectionEvent).errorListener(new ErrorLog()).build());
                up = true;
                connection = nc;
                if (closed) {
                    nc.close();
                    return true;
                }
            }
            JetStreamLink link = JetStreamLink.of(nc, settings.publishTimeout);
            DurableStream.ensureStream(link.jsm(), settings);
            LOG.info("durable channels: stream {} ready on {} ({} storage, {} replica(s)); durable channels {}",
                    settings.stream, nc.getConnectedUrl(), settings.storage, settings.replicas,
                    settings.channels.patterns());
            ready.complete(link);
            return true;
        } catch (IOException | IllegalStateException e) {
            LOG.warn("durable channels: JetStream at {} not available yet ({}); retrying", settings.servers.serverKey(),
                    e.getMessage());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IpcException(ErrorCode.CONNECT_FAILED, "interrupted while connecting to NATS", e);
        }
    }

    private void retrySetUp() {
        if (closed || ready.isDone()) {
            return;
        }
        boolean done;
        try {
            done = setUp();
        } catch (IpcException e) {
            LOG.error("durable channels: {}; retrying every {} s", e.getMessage(), SETUP_RETRY.toSeconds() * 5);
            executor.schedule(this::retrySetUp, SETUP_RETRY.toMillis() * 5, TimeUnit.MILLISECONDS);
            return;
        }
        if (!done && !closed) {
            executor.schedule(this::retrySetUp, SETUP_RETRY.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void connectionEvent(Connection conn, ConnectionListener.Events type) {
        switch (type) {
            case DISCONNECTED -> {
                if (up && !closed) {
                    up = false;
                    LOG.warn("durable channels: NATS connection to {} lost; reconnecting", settings.servers.serverKey());
                }
            }
            case RECONNECTED -> {
                up = true;
                reconnects.incrementAndGet();
                LOG.info("durable channels: NATS connection re-established at {}", conn.getConnectedUrl());
            }
            default -> LOG.debug("durable channels: NATS {}", type);
        }
    }

    /** jnats' errors into our log (its default logs every failed reconnect attempt as SEVERE). */
    private static final class ErrorLog implements io.nats.client.ErrorListener {
        @Override
        public void errorOccurred(Connection conn, String error) {
            LOG.warn("durable channels: NATS server reported: {}", error);
        }

        @Override
        public void exceptionOccurred(Connection conn, Exception exp) {
            LOG.debug("durable channels: NATS client: {}", exp.toString());
        }
    }

    // ---- DurableChannels ---------------------------------------------------------------------------------------

    @Override
    public CompletionStage<Long> publish(String channel, MessageType type, ByteBuffer payload) {
        return publisher.publish(channel, type, payload);
    }

    @Override
    public boolean isDurable(String channel) {
        return ChannelNames.isChannel(channel) && settings.channels.isDurable(channel);
    }

    @Override
    public DurableCounters counters() {
        return stats.snapshot();
    }

    // ---- handlers (whiteboard) ---------------------------------------------------------------------------------

    @Reference(name = "handler", cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addHandler(DurableHandler handler, Map<String, Object> props) {
        Object channel = props.get(DurableHandler.PROP_CHANNEL);
        Object named = props.get(DurableHandler.PROP_DURABLE_NAME);
        String pattern = channel instanceof String s ? s.trim() : null;
        String name = named == null ? settings.hostId : named instanceof String s ? s.trim() : "";
        if (pattern == null || !ChannelNames.isPattern(pattern) || !settings.channels.covers(pattern)) {
            LOG.error("durable handler {} ignored: {}={} is not within the durable channels {}", handler,
                    DurableHandler.PROP_CHANNEL, channel, settings.channels.patterns());
            return;
        }
        if (!ChannelNames.NAME.matcher(name).matches()) {
            LOG.error("durable handler {} ignored: {}={} is not 1 to 64 of [A-Za-z0-9_-]", handler,
                    DurableHandler.PROP_DURABLE_NAME, named);
            return;
        }
        DurableConsumer c = new DurableConsumer(settings, handler, pattern, name, keyring, integrity, stats, ready,
                reconnects::get);
        synchronized (consumers) {
            if (closed) {
                return;
            }
            if (!consumerNames.add(c.consumerName())) {
                LOG.error("durable handler {} ignored: another handler already consumes {} as {} on this host",
                        handler, pattern, name);
                return;
            }
            consumers.put(key(handler, props), c);
        }
        c.start();
    }

    void removeHandler(DurableHandler handler, Map<String, Object> props) {
        DurableConsumer c;
        synchronized (consumers) {
            c = consumers.remove(key(handler, props));
            if (c != null) {
                consumerNames.remove(c.consumerName());
            }
        }
        if (c != null) {
            c.stop();
        }
    }

    /** The service id when SCR gives one (tests register handlers without). */
    private static Object key(DurableHandler handler, Map<String, Object> props) {
        Object id = props.get("service.id");
        return id != null ? id : handler;
    }

    // ---- lifecycle ---------------------------------------------------------------------------------------------

    @Deactivate
    @Override
    public void close() {
        java.util.List<DurableConsumer> stopping;
        synchronized (consumers) {
            if (closed) {
                return;
            }
            closed = true;
            stopping = new java.util.ArrayList<>(consumers.values());
            consumers.clear();
            consumerNames.clear();
        }
        publisher.close();
        stopping.forEach(DurableConsumer::stop);
        executor.shutdownNow();
        JetStreamLink link = ready.getNow(null);
        Connection nc = connection;
        if (link != null) {
            link.close();
        } else if (nc != null) {
            try {
                nc.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        LOG.debug("durable channels stopped: {}", stats.snapshot());
    }

    DurableSettings settings() {
        return settings;
    }

    @Override
    public String toString() {
        return "JetStreamDurableChannels[" + settings.stream + " " + settings.servers.serverKey() + " host "
                + settings.hostId + "]";
    }
}
