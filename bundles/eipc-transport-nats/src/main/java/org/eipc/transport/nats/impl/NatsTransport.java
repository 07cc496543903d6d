package org.eipc.transport.nats.impl;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;
import org.eipc.spi.transport.Connection;
import org.eipc.spi.transport.ConnectionHandler;
import org.eipc.spi.transport.Listener;
import org.eipc.spi.transport.ProvidesTransport;
import org.eipc.spi.transport.Transport;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.nats.client.Message;

/**
 * NATS transport, {@code nats://host:port[,host:port...]/<prefix>}. NATS is an untrusted carrier: the runtime
 * MACs every frame, so this transport only moves bytes, but it makes sure it never moves them with a hole: see
 * {@link StreamConnection}. All listeners and connections to the same server list share one NATS client
 * connection ({@link NatsLink}).
 *
 * <p>Connecting: the client subscribes its inbox {@code <prefix>.c.<token>.*} once, then sends a NATS request
 * to {@code <prefix>.accept}; the listener answers with its token, and the two sides publish to each other's
 * subject from then on. No listener means NATS answers "no responders" at once: {@code CONNECT_FAILED}.
 */
@Component(service = Transport.class, configurationPid = "org.eipc.transport.nats",
        property = Transport.PROP_KIND + "=nats")
@TransportSchemes("nats")
@Designate(ocd = NatsTransportConfig.class)
@ProvidesTransport("nats")
public final class NatsTransport implements Transport, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NatsTransport.class);
    private static final Set<String> SCHEMES = Set.of("nats");

    static final long DEFAULT_WRITE_QUEUE_LIMIT = 4L << 20;
    static final int DEFAULT_MAX_CHUNK = 1 << 20;
    static final long DEFAULT_ACK_DELAY_MILLIS = 10;
    static final long DEFAULT_HEARTBEAT_MILLIS = 1000;
    static final long DEFAULT_PEER_TIMEOUT_MILLIS = 5000;
    static final long DEFAULT_RECONNECT_WAIT_MILLIS = 250;
    static final long DEFAULT_PING_INTERVAL_MILLIS = 10_000;
    static final long DEFAULT_PENDING_MESSAGES = 512 * 1024;
    static final long DEFAULT_PENDING_BYTES = 64L << 20;

    private final NatsSettings settings;
    private final NatsClientOptions client;
    private final ScheduledThreadPoolExecutor events;
    private final Map<String, NatsLink> links = new HashMap<>();
    private final AtomicLong connections = new AtomicLong();
    private volatile boolean closed;

    @Activate
    public NatsTransport(NatsTransportConfig config) {
        this(new NatsSettings(config.writeQueueLimit(), config.maxChunkBytes(), config.ackDelayMillis(),
                config.heartbeatMillis(), config.peerTimeoutMillis()), NatsClientOptions.from(config));
    }

    /** A transport with every configuration default and no authentication, for use without OSGi. Close it. */
    public NatsTransport() {
        this(defaultSettings(), NatsClientOptions.defaults());
    }

    NatsTransport(NatsSettings settings, NatsClientOptions client) {
        this.settings = settings;
        this.client = client;
        this.events = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "eipc-nats-events");
            t.setDaemon(true);
            return t;
        });
        events.setRemoveOnCancelPolicy(true);
        events.scheduleAtFixedRate(this::tick, settings.ackDelayMillis(), settings.ackDelayMillis(),
                TimeUnit.MILLISECONDS);
        LOG.debug("NATS transport activated: {}", settings);
    }

    static NatsSettings defaultSettings() {
        return new NatsSettings(DEFAULT_WRITE_QUEUE_LIMIT, DEFAULT_MAX_CHUNK, DEFAULT_ACK_DELAY_MILLIS,
                DEFAULT_HEARTBEAT_MILLIS, DEFAULT_PEER_TIMEOUT_MILLIS);
    }

    @Override
    public String kind() {
        return "nats";
    }

    @Override
    public Set<String> schemes() {
        return SCHEMES;
    }

    @Override
    public Listener listen(URI address, Function<Connection, ConnectionHandler> handlers) {
        NatsAddress a = NatsAddress.parse(address);
        NatsLink link = link(a, client.connectTimeout());
        if (listenerAnswers(link, a)) {
            throw new IpcException(ErrorCode.TRANSPORT_IO, a + " is in use by a live listener");
        }
        NatsListener l = new NatsListener(link, a, settings, handlers);
        try {
            link.nats().flush(client.connectTimeout()); // the subscriptions are at the server before we return
        } catch (TimeoutException | InterruptedException e) {
            l.close();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IpcException(ErrorCode.TRANSPORT_IO, "NATS did not confirm the listener on " + a, e);
        }
        LOG.debug("listening on {}", a);
        return l;
    }

    /** True if a listener already answers on the prefix (NATS answers "no responders" at once otherwise). */
    private boolean listenerAnswers(NatsLink link, NatsAddress a) {
        try {
            Message m = link.nats().request(a.acceptSubject(), Packet.allocate(Packet.PROBE, 0, 0, 0, 0),
                    Duration.ofMillis(500));
            return m != null && !m.isStatusMessage() && Packet.isValid(m.getData());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IpcException(ErrorCode.TRANSPORT_IO, "interrupted while probing " + a, e);
        } catch (RuntimeException e) {
            return false; // no responders, or the probe got lost: nobody we can see
        }
    }

    @Override
    public Connection connect(URI address, ConnectionHandler handler, Duration timeout) {
        final long deadline = System.nanoTime() + timeout.toNanos();
        NatsAddress a = NatsAddress.parse(address);
        NatsLink link = link(a, timeout);
        if (!link.isConnected()) {
            throw new IpcException(ErrorCode.CONNECT_FAILED, "NATS connection to " + a.serverKey()
                    + " is down (reconnecting)");
        }
        String token = link.clientToken(a.prefix());
        String clientId = token + "." + connections.incrementAndGet();
        String in = a.prefix() + ".c." + clientId;
        StreamConnection c = new StreamConnection(link, settings, "nats-" + clientId, in,
                URI.create("nats://" + a.serverKey() + "/" + in), a.uri(), null);
        link.register(c);
        boolean ok = false;
        try {
            byte[] id = clientId.getBytes(StandardCharsets.US_ASCII);
            byte[] open = Packet.allocate(Packet.OPEN, settings.window(), 0, 0, id.length);
            System.arraycopy(id, 0, open, Packet.HEADER_LENGTH, id.length);
            Message reply = request(link, a, open, remaining(deadline));
            byte[] p = reply.getData();
            if (!Packet.isValid(p) || Packet.ACCEPT != Packet.kind(p) || Packet.payloadLength(p) != 16) {
                throw new IpcException(ErrorCode.CONNECT_FAILED, "listener on " + a + " refused the connection");
            }
            String serverToken = new String(p, Packet.HEADER_LENGTH, 16, StandardCharsets.US_ASCII);
            if (!serverToken.matches("[0-9a-f]{16}")) {
                throw new IpcException(ErrorCode.CONNECT_FAILED, "listener on " + a + " sent a malformed accept");
            }
            c.peer(a.prefix() + ".s." + serverToken + "." + clientId, Packet.seq(p), handler);
            CompletableFuture<Void> opened = c.open(false);
            opened.get(remaining(deadline).toNanos(), TimeUnit.NANOSECONDS);
            ok = true;
            return c;
        } catch (TimeoutException e) {
            throw new IpcException(ErrorCode.HANDSHAKE_TIMEOUT, "connection to " + a + " not open within " + timeout);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IpcException ? (IpcException) e.getCause()
                    : new IpcException(ErrorCode.CONNECT_FAILED, "connect to " + a + " failed: " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IpcException(ErrorCode.CONNECT_FAILED, "interrupted while connecting to " + a, e);
        } finally {
            if (!ok) {
                link.unregister(c);
                c.fail(new IpcException(ErrorCode.CONNECT_FAILED, "connect failed"), false);
            }
        }
    }

    private static Message request(NatsLink link, NatsAddress a, byte[] open, Duration wait)
            throws InterruptedException {
        Message reply;
        try {
            reply = link.nats().request(a.acceptSubject(), open, wait);
        } catch (RuntimeException e) {
            // jnats reports "no responders" (nobody subscribes to the accept subject) as an exception
            throw new IpcException(ErrorCode.CONNECT_FAILED, "no listener on " + a + ": " + e.getMessage(), e);
        }
        if (reply == null) {
            throw new IpcException(ErrorCode.CONNECT_FAILED, "no answer from a listener on " + a + " within " + wait);
        }
        if (reply.isStatusMessage()) {
            throw new IpcException(ErrorCode.CONNECT_FAILED, "no listener on " + a + " (NATS status "
                    + reply.getStatus().getCode() + ")");
        }
        return reply;
    }

    private static Duration remaining(long deadline) {
        long left = deadline - System.nanoTime();
        return Duration.ofNanos(Math.max(left, TimeUnit.MILLISECONDS.toNanos(1)));
    }

    /** The shared NATS connection to these servers, connecting it first if needed. */
    private NatsLink link(NatsAddress a, Duration timeout) {
        synchronized (links) {
            if (closed) {
                throw new IpcException(ErrorCode.TRANSPORT_UNAVAILABLE, "NATS transport is closed");
            }
            NatsLink l = links.get(a.serverKey());
            if (l != null && !l.isClosed()) {
                return l;
            }
            l = new NatsLink(a.serverKey(), events);
            l.connect(client.builder(a.servers(), timeout), client.pendingMessages(), client.pendingBytes());
            links.put(a.serverKey(), l);
            return l;
        }
    }

    private void tick() {
        try {
            long now = System.nanoTime();
            List<NatsLink> all;
            synchronized (links) {
                all = new ArrayList<>(links.values());
            }
            for (NatsLink l : all) {
                l.tick(now);
            }
        } catch (RuntimeException e) {
            LOG.warn("NATS transport timer", e); // keep ticking
        }
    }

    /** Slow-consumer reports of the NATS client so far, summed over all server lists. */
    long slowConsumerEvents() {
        synchronized (links) {
            return links.values().stream().mapToLong(NatsLink::slowConsumerEvents).sum();
        }
    }

    /** Waits until the NATS server has processed (and echoed back) everything published to these servers. */
    void flush(URI address, Duration timeout) throws TimeoutException, InterruptedException {
        link(NatsAddress.parse(address), timeout).nats().flush(timeout);
    }

    /** Connections this transport opened with connect() so far. */
    long connectsSoFar() {
        return connections.get();
    }

    /** Stream connections currently open, over all server lists. */
    int openConnections() {
        synchronized (links) {
            return links.values().stream().mapToInt(NatsLink::connections).sum();
        }
    }

    /** Closes every connection (onClose with CONNECTION_CLOSED) and NATS connection, and stops the threads. */
    @Deactivate
    @Override
    public void close() {
        List<NatsLink> all;
        synchronized (links) {
            if (closed) {
                return;
            }
            closed = true;
            all = new ArrayList<>(links.values());
            links.clear();
        }
        for (NatsLink l : all) {
            l.close();
        }
        events.shutdown();
        try {
            if (!events.awaitTermination(5, TimeUnit.SECONDS)) {
                events.shutdownNow();
            }
        } catch (InterruptedException e) {
            events.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    boolean isRunning() {
        return !events.isTerminated();
    }
}
