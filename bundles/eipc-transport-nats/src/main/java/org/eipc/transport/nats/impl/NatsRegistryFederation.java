package org.eipc.transport.nats.impl;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;
import org.eipc.service.registry.ServiceEntry;
import org.eipc.service.registry.federation.RegistryFederation;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.nats.client.Message;

/**
 * Shares the registry's entries with the registries of other hosts over NATS subjects (see {@link FederationJson} for
 * the messages): every local entry is published on {@code <prefix>.announce} when it is registered and again every
 * announce interval, with a time to live; {@code <prefix>.withdraw} removes one entry, or all of a host that stops
 * cleanly. A host that starts (or reconnects) asks {@code <prefix>.query} and every other host answers with its
 * entries, one message each, to the asker's inbox. Remote entries live in memory until withdrawn or until their time
 * to live passes without a new announcement (a crashed or cut-off host), so lookups never wait on the network.
 *
 * <p>This class and {@link FederationJson} are the only ones of the bundle that use the registry's package, which
 * the bundle imports optionally: SCR loads them only when a registry binds this service, so the NATS transport
 * resolves and runs in a host without the registry.
 *
 * <p>Configuration PID {@value #PID}, required.
 */
@Component(service = RegistryFederation.class, configurationPid = NatsRegistryFederation.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = FederationConfig.class)
public final class NatsRegistryFederation implements RegistryFederation, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NatsRegistryFederation.class);

    /** Configuration PID. */
    public static final String PID = "org.eipc.registry.nats";
    static final String DEFAULT_PREFIX = "eipc.registry";
    static final long DEFAULT_INTERVAL_MILLIS = 5_000;
    static final long DEFAULT_TTL_MILLIS = 15_000;
    static final int DEFAULT_MAX_REMOTE = 10_000;

    /** A remote entry and when it expires unless announced again. */
    private static final class Remote {
        final String instance;
        final ServiceEntry entry;
        volatile long expiresAt;

        Remote(String instance, ServiceEntry entry, long expiresAt) {
            this.instance = instance;
            this.entry = entry;
            this.expiresAt = expiresAt;
        }
    }

    private final NatsAddress address;
    private final NatsClientOptions client;
    private final String hostId;
    private final String instance = NatsLink.randomToken();
    private final long intervalMillis;
    private final long ttlMillis;
    private final int maxRemote;
    private final String announceSubject;
    private final String withdrawSubject;
    private final String querySubject;
    private final String inbox;
    /** This host's announcements by registration id, encoded once; guarded by itself with their publication. */
    private final Map<Long, byte[]> local = new ConcurrentHashMap<>();
    /** Remote entries by {@code instance/id}. */
    private final Map<String, Remote> remote = new ConcurrentHashMap<>();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong connectFailures = new AtomicLong();
    private final AtomicBoolean warnedSameHostId = new AtomicBoolean();
    private final ScheduledThreadPoolExecutor timer;
    private volatile NatsLink link;
    private volatile boolean closed;

    @Activate
    public NatsRegistryFederation(FederationConfig config) {
        this(servers(config.servers(), config.subjectPrefix()), config.hostId(),
                config.announceIntervalMillis(), config.ttlMillis(), config.maxRemoteEntries(),
                NatsClientOptions.from(config));
    }

    NatsRegistryFederation(NatsAddress address, String hostId, long intervalMillis, long ttlMillis, int maxRemote,
            NatsClientOptions client) {
        String host = hostId == null || hostId.isEmpty() ? defaultHostId() : hostId;
        StringBuilder bad = new StringBuilder();
        if (!FederationJson.HOST.matcher(host).matches()) {
            bad.append(" hostId=").append(host).append(" is not 1 to 64 of [A-Za-z0-9_.-];");
        }
        if (intervalMillis < 100 || intervalMillis > 600_000) {
            bad.append(" announceIntervalMillis=").append(intervalMillis).append(" outside [100, 600000];");
        }
        if (ttlMillis < 2 * intervalMillis || ttlMillis > FederationJson.MAX_TTL) {
            bad.append(" ttlMillis=").append(ttlMillis).append(" outside [2 * announceIntervalMillis, 3600000];");
        }
        if (maxRemote < 1) {
            bad.append(" maxRemoteEntries=").append(maxRemote).append(" below 1;");
        }
        if (bad.length() > 0) {
            throw new IpcException(ErrorCode.CONFIG_INVALID, "invalid registry federation configuration:" + bad);
        }
        this.address = address;
        this.client = client;
        this.hostId = host;
        this.intervalMillis = intervalMillis;
        this.ttlMillis = ttlMillis;
        this.maxRemote = maxRemote;
        this.announceSubject = address.prefix() + ".announce";
        this.withdrawSubject = address.prefix() + ".withdraw";
        this.querySubject = address.prefix() + ".query";
        this.inbox = address.prefix() + ".inbox." + instance;
        this.timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "eipc-registry-nats");
            t.setDaemon(true);
            return t;
        });
        // connecting happens on the timer, so activation never waits for (or fails on) an unreachable cluster
        timer.scheduleWithFixedDelay(this::tick, 0, intervalMillis, TimeUnit.MILLISECONDS);
        LOG.debug("registry federation activating: host {} on {} (announce every {} ms, ttl {} ms)", host, address,
                intervalMillis, ttlMillis);
    }

    static NatsAddress servers(String servers, String prefix) {
        try {
            return NatsAddress.ofServers(servers, prefix);
        } catch (IllegalArgumentException | IpcException e) {
            throw new IpcException(ErrorCode.CONFIG_INVALID, "invalid registry federation configuration: servers="
                    + servers + " subjectPrefix=" + prefix + ": " + e.getMessage());
        }
    }

    private static String defaultHostId() {
        String name;
        try {
            name = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            name = "host";
        }
        name = name.replaceAll("[^A-Za-z0-9_.-]", "_");
        name = name.length() > 40 ? name.substring(0, 40) : name;
        return name + "-" + ProcessHandle.current().pid();
    }

    String hostId() {
        return hostId;
    }

    // ---- RegistryFederation ----------------------------------------------------------------------------------

    @Override
    public void announce(long id, ServiceEntry entry) {
        byte[] msg = FederationJson.announce(hostId, instance, id, ttlMillis, entry);
        synchronized (local) {
            local.put(id, msg);
            publish(announceSubject, msg);
        }
    }

    @Override
    public void withdraw(long id) {
        synchronized (local) {
            if (local.remove(id) != null) {
                publish(withdrawSubject, FederationJson.withdraw(hostId, instance, id));
            }
        }
    }

    @Override
    public List<ServiceEntry> remoteEntries() {
        long now = System.nanoTime();
        List<ServiceEntry> out = new ArrayList<>();
        for (Remote r : remote.values()) {
            if (r.expiresAt - now > 0) {
                out.add(r.entry);
            }
        }
        return List.copyOf(out);
    }

    // ---- NATS side -----------------------------------------------------------------------------------------

    /** Connects when not connected, re-announces every local entry, forgets expired remote ones. Timer thread. */
    private void tick() {
        try {
            NatsLink l = link;
            if (l == null) {
                l = connect();
                if (l == null) {
                    return;
                }
            }
            if (l.isConnected()) {
                synchronized (local) {
                    for (byte[] msg : local.values()) {
                        publish(announceSubject, msg);
                    }
                }
            }
            long now = System.nanoTime();
            remote.values().removeIf(r -> r.expiresAt - now <= 0);
        } catch (RuntimeException e) {
            LOG.warn("registry federation: timer", e); // keep ticking
        }
    }

    private NatsLink connect() {
        if (closed) {
            return null;
        }
        NatsLink l = new NatsLink(address.serverKey(), Runnable::run);
        try {
            l.connect(client.builder(address.servers(), client.connectTimeout()).noEcho(), client.pendingMessages(),
                    client.pendingBytes());
        } catch (IpcException e) {
            long n = connectFailures.incrementAndGet();
            if (Long.bitCount(n) == 1) {
                LOG.warn("registry federation: cannot reach NATS {} ({} attempts so far), retrying every {} ms: {}",
                        address.serverKey(), n, intervalMillis, e.getMessage());
            }
            return null;
        }
        try {
            l.subscribe(announceSubject, this::onAnnounce);
            l.subscribe(inbox, this::onAnnounce);
            l.subscribe(withdrawSubject, this::onWithdraw);
            l.subscribe(querySubject, this::onQuery);
        } catch (RuntimeException e) {
            l.close(); // closed under us: the next tick starts over
            throw e;
        }
        synchronized (this) {
            if (closed) {
                l.close();
                return null;
            }
            link = l;
        }
        l.publish(querySubject, inbox, FederationJson.query(hostId, instance));
        LOG.debug("registry federation: host {} connected to NATS {}", hostId, address.serverKey());
        return l;
    }

    private void publish(String subject, byte[] msg) {
        NatsLink l = link;
        if (l == null || closed) {
            return; // the timer announces everything once connected
        }
        try {
            l.publish(subject, null, msg);
        } catch (IpcException e) {
            LOG.debug("registry federation: publish on {} failed: {}", subject, e.getMessage());
        }
    }

    private FederationJson.Parsed parse(Message m) {
        if (m.isStatusMessage()) {
            return null; // "no responders" to our query: nobody else is there yet
        }
        try {
            FederationJson.Parsed p = FederationJson.parse(m.getData());
            return instance.equals(p.instance()) ? null : p; // our own, should noEcho let one through
        } catch (IllegalArgumentException e) {
            long n = dropped.incrementAndGet();
            if (Long.bitCount(n) == 1) { // de-duplicated: a noisy publisher must not flood the log
                LOG.warn("registry federation: dropped a malformed message on {} ({} so far): {}", m.getSubject(),
                        n, e.getMessage());
            }
            return null;
        }
    }

    private void onAnnounce(Message m) {
        FederationJson.Parsed p = parse(m);
        if (p == null || p.entry() == null) {
            return;
        }
        long expires = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(p.ttlMillis());
        String key = p.instance() + "/" + p.id();
        Remote r = remote.get(key);
        if (r != null && r.entry.equals(p.entry())) {
            r.expiresAt = expires; // a refresh: the common case, no new object
            return;
        }
        if (r == null && remote.size() >= maxRemote) {
            dropped.incrementAndGet();
            LOG.debug("registry federation: {} remote entries, dropping {} of {}", maxRemote, p.entry().name(),
                    p.host());
            return;
        }
        if (hostId.equals(p.host()) && warnedSameHostId.compareAndSet(false, true)) {
            LOG.warn("registry federation: another instance announces with this host's id {}; give each host its "
                    + "own hostId", hostId);
        }
        remote.put(key, new Remote(p.instance(), p.entry(), expires));
    }

    private void onWithdraw(Message m) {
        FederationJson.Parsed p = parse(m);
        if (p == null) {
            return;
        }
        if (p.id() >= 0) {
            remote.remove(p.instance() + "/" + p.id());
        } else {
            remote.values().removeIf(r -> r.instance.equals(p.instance()));
        }
    }

    private void onQuery(Message m) {
        FederationJson.Parsed p = parse(m);
        String replyTo = m.getReplyTo();
        if (p == null || replyTo == null || replyTo.isEmpty() || replyTo.length() > 256) {
            return;
        }
        NatsLink l = link;
        if (l == null) {
            return;
        }
        synchronized (local) {
            for (byte[] msg : local.values()) {
                try {
                    l.publish(replyTo, null, msg);
                } catch (IpcException e) {
                    LOG.debug("registry federation: answer to {} failed: {}", p.host(), e.getMessage());
                    return;
                }
            }
        }
    }

    /** Malformed or excess messages dropped so far. */
    long droppedMessages() {
        return dropped.get();
    }

    /** True once connected to NATS and subscribed. */
    boolean isConnected() {
        NatsLink l = link;
        return l != null && l.isConnected();
    }

    /** Withdraws every entry of this host at the others, then disconnects. */
    @Deactivate
    @Override
    public void close() {
        stop(true);
    }

    /** Stops without a word to the others, the way a crashed host or a cut cable looks to them (tests). */
    void halt() {
        stop(false);
    }

    private void stop(boolean goodbye) {
        NatsLink l;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            l = link;
        }
        timer.shutdownNow();
        if (l != null) {
            if (goodbye) {
                try {
                    l.publish(withdrawSubject, null, FederationJson.withdraw(hostId, instance, -1));
                    l.nats().flush(Duration.ofSeconds(1));
                } catch (IpcException | TimeoutException | InterruptedException | IllegalStateException e) {
                    if (e instanceof InterruptedException) {
                        Thread.currentThread().interrupt();
                    }
                    LOG.debug("registry federation: goodbye not confirmed: {}", e.toString());
                }
            }
            l.close();
        }
        LOG.debug("registry federation: host {} stopped", hostId);
    }

    @Override
    public String toString() {
        return "NatsRegistryFederation[" + hostId + " " + address + "]";
    }
}
