package org.eipc.transport.nats.impl;

import java.net.URI;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;
import org.eipc.spi.transport.Connection;
import org.eipc.spi.transport.ConnectionHandler;
import org.eipc.spi.transport.Listener;
import org.eipc.spi.transport.Transport;

/**
 * A transport that can "leave" through the public SPI only: {@link #leave()} closes every connection it opened
 * and refuses new ones, as a stopped transport bundle would for its sessions; {@link #comeBack()} undoes it.
 * {@link #opened()} counts successful connects, so a test can wait for a session to arrive on it.
 */
final class SwitchableTransport implements Transport {
    private final Transport delegate;
    private final Set<Connection> live = ConcurrentHashMap.newKeySet();
    private volatile boolean present = true;
    private int opened;

    SwitchableTransport(Transport delegate) {
        this.delegate = delegate;
    }

    @Override
    public String kind() {
        return delegate.kind();
    }

    @Override
    public Set<String> schemes() {
        return delegate.schemes();
    }

    @Override
    public Listener listen(URI address, Function<Connection, ConnectionHandler> handlers) {
        return delegate.listen(address, handlers);
    }

    @Override
    public Connection connect(URI address, ConnectionHandler handler, Duration timeout) {
        if (!present) {
            throw new IpcException(ErrorCode.CONNECT_FAILED, kind() + " transport has left");
        }
        Connection c = delegate.connect(address, handler, timeout);
        live.add(c);
        synchronized (this) {
            opened++;
            notifyAll();
        }
        if (!present) {
            c.close();
        }
        return c;
    }

    void leave() {
        present = false;
        for (Connection c : live) {
            c.close();
        }
        live.clear();
    }

    void comeBack() {
        present = true;
    }

    synchronized int opened() {
        return opened;
    }

    /** Waits (bounded, on this monitor) until more than {@code before} connects succeeded. */
    synchronized void awaitOpenedMoreThan(int before, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (opened <= before) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no new " + kind() + " connection within " + timeoutMillis + " ms");
            }
            java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }
}
