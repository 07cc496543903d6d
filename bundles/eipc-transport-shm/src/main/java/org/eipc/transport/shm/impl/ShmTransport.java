package org.eipc.transport.shm.impl;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
import org.osgi.service.component.annotations.ComponentPropertyType;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cross-process shared-memory transport: per connection, one single-producer single-consumer ring per
 * direction in a memory-mapped file, and a Unix domain socket at the address path for set-up, wake-ups, peer
 * credentials and crash detection. Each connection has one I/O thread that spins briefly, then parks on the
 * side channel: an idle connection costs no CPU.
 */
@Component(service = Transport.class, configurationPid = ShmTransport.PID,
        property = Transport.PROP_KIND + "=" + ShmAddress.SCHEME)
@ShmTransport.Schemes
@Designate(ocd = ShmTransportConfig.class)
@ProvidesTransport(ShmAddress.SCHEME)
public final class ShmTransport implements Transport, AutoCloseable {
    static final String PID = "org.eipc.transport.shm";

    /** Service property {@code eipc.transport.schemes}, as a String[] (a plain property would be a String). */
    @ComponentPropertyType
    @interface Schemes {
        String[] eipc_transport_schemes() default {ShmAddress.SCHEME};
    }

    private static final Logger LOG = LoggerFactory.getLogger(ShmTransport.class);

    private final ShmSettings settings;
    private final SecureRandom random = new SecureRandom();
    private final AtomicLong ids = new AtomicLong();
    private final Set<ShmListener> listeners = ConcurrentHashMap.newKeySet();
    private final Set<ShmConnection> connections = ConcurrentHashMap.newKeySet();
    /** Accepted side channels still in set-up, closed on deactivation so their threads end. */
    private final Set<SideChannel> settingUp = ConcurrentHashMap.newKeySet();
    private volatile boolean active = true;

    @Activate
    public ShmTransport(final ShmTransportConfig config) {
        this(new ShmSettings(config.ringCapacity(), config.writeQueueLimit(), config.spinMicros(),
                config.yieldMicros(), config.ringDirectory(), config.handshakeTimeoutMillis(),
                config.maxConnections()));
        LOG.debug("activating shm transport, ring capacity {}", settings.ringCapacity);
    }

    /**
     * A transport with every configuration default, for use without OSGi: tests and the eipc command. Close it
     * when done.
     */
    public ShmTransport() {
        this(ShmSettings.defaults());
    }

    ShmTransport(final ShmSettings settings) {
        this.settings = settings;
    }

    @Override
    public String kind() {
        return ShmAddress.SCHEME;
    }

    @Override
    public Set<String> schemes() {
        return Set.of(ShmAddress.SCHEME);
    }

    @Override
    public Listener listen(final URI address, final Function<Connection, ConnectionHandler> handlers) {
        final Path socket = ShmAddress.socketPath(address);
        if (handlers == null) {
            throw new IllegalArgumentException("handlers=null");
        }
        checkActive();
        final ShmListener l = ShmListener.bind(this, address, socket, handlers);
        listeners.add(l);
        if (!active) {
            l.close();
            checkActive();
        }
        l.start();
        return l;
    }

    @Override
    public Connection connect(final URI address, final ConnectionHandler handler, final Duration timeout) {
        final Path socket = ShmAddress.socketPath(address);
        if (handler == null || timeout == null || timeout.isNegative()) {
            throw new IllegalArgumentException("handler=" + handler + ", timeout=" + timeout);
        }
        checkActive();
        if (connections.size() >= settings.maxConnections) {
            throw new IpcException(ErrorCode.CONNECT_FAILED, "too many shm connections (maxConnections="
                    + settings.maxConnections + ")");
        }
        final long deadline = System.nanoTime() + Math.max(1, timeout.toNanos());
        final SocketChannel ch;
        try {
            ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        } catch (IOException e) {
            throw new IpcException(ErrorCode.CONNECT_FAILED, "cannot open a Unix domain socket: " + e, e);
        }
        SideChannel side = null;
        try {
            ch.connect(UnixDomainSocketAddress.of(socket));
            side = new SideChannel(ch);
            final Handshake.Result r = Handshake.join(side, deadline);
            final ShmConnection c = newConnection(address, side, r);
            c.start(handler, "eipc-shm " + c.id());
            return c;
        } catch (IOException e) {
            closeQuietly(side, ch);
            throw new IpcException(ErrorCode.CONNECT_FAILED, "cannot connect to " + address + ": " + e, e);
        } catch (RuntimeException e) {
            closeQuietly(side, ch);
            if (e instanceof IpcException && ((IpcException) e).code() == ErrorCode.HANDSHAKE_TIMEOUT) {
                throw e;
            }
            throw new IpcException(ErrorCode.CONNECT_FAILED, "cannot connect to " + address + ": "
                    + e.getMessage(), e);
        }
    }

    /** Called by a listener's accepting thread: the set-up and then the connection run on a thread of their own. */
    void accepted(final SocketChannel ch, final ShmListener listener) {
        if (!active || connections.size() + settingUp.size() >= settings.maxConnections) {
            LOG.warn("refusing shm client on {}: {}", listener.uri(), active ? "maxConnections reached" : "inactive");
            closeQuietly(null, ch);
            return;
        }
        final String id = "shm-" + ids.incrementAndGet();
        final Thread t = new Thread(() -> serve(ch, listener, id), "eipc-shm " + id);
        t.setDaemon(true);
        t.start();
    }

    private void serve(final SocketChannel ch, final ShmListener listener, final String id) {
        SideChannel side = null;
        final ShmConnection c;
        try {
            side = new SideChannel(ch);
            settingUp.add(side);
            if (!active) {
                throw new IpcException(ErrorCode.CONNECTION_CLOSED, "transport deactivated");
            }
            final long deadline = System.nanoTime() + settings.handshakeTimeoutNanos;
            final Handshake.Result r = Handshake.serve(side, settings.ringDirectoryFor(listener.socket()),
                    RingFile.newBaseName(random), settings.ringCapacity, deadline);
            c = new ShmConnection(id, listener.uri(), r.credentials, side, r.in, r.out, settings, connections::remove);
            connections.add(c);
        } catch (IOException | RuntimeException e) {
            LOG.debug("shm set-up of {} on {} failed: {}", id, listener.uri(), e.toString());
            closeQuietly(side, ch);
            return;
        } finally {
            if (side != null) {
                settingUp.remove(side);
            }
        }
        ConnectionHandler h = null;
        try {
            h = listener.handlers().apply(c);
        } catch (RuntimeException e) {
            LOG.warn("handler factory of {} threw; closing {}", listener.uri(), id, e);
        }
        if (h == null || !active) {
            connections.remove(c);
            side.close();
            return;
        }
        c.runOnCurrentThread(h);
    }

    private ShmConnection newConnection(final URI address, final SideChannel side, final Handshake.Result r) {
        final ShmConnection c = new ShmConnection("shm-" + ids.incrementAndGet(), address, r.credentials, side,
                r.in, r.out, settings, connections::remove);
        connections.add(c);
        return c;
    }

    void listenerClosed(final ShmListener l) {
        listeners.remove(l);
    }

    private void checkActive() {
        if (!active) {
            throw new IpcException(ErrorCode.CONNECTION_CLOSED, "the shm transport is deactivated");
        }
    }

    /** Closes every listener and connection, removes their files and waits (bounded) for their threads. */
    @Deactivate
    @Override
    public void close() {
        active = false;
        LOG.debug("deactivating shm transport");
        for (ShmListener l : List.copyOf(listeners)) {
            l.close();
        }
        for (SideChannel s : List.copyOf(settingUp)) {
            s.close();
        }
        final List<Thread> threads = new ArrayList<>();
        for (ShmConnection c : List.copyOf(connections)) {
            c.close();
            final Thread t = c.thread();
            if (t != null && t != Thread.currentThread()) {
                threads.add(t);
            }
        }
        final long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        for (Thread t : threads) {
            final long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            try {
                t.join(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** For tests: connections currently open. */
    Set<ShmConnection> connections() {
        return connections;
    }

    private static void closeQuietly(final SideChannel side, final SocketChannel ch) {
        if (side != null) {
            side.close();
            return;
        }
        try {
            ch.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
