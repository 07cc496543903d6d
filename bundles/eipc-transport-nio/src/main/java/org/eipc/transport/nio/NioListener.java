package org.eipc.transport.nio;

import java.io.IOException;
import java.net.URI;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;
import org.eipc.spi.transport.Connection;
import org.eipc.spi.transport.ConnectionHandler;
import org.eipc.spi.transport.Listener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Accepts on a server channel from an I/O loop and hands each connection to a loop of the engine. */
public final class NioListener implements Listener, IoLoop.Selectable {
    private static final Logger LOG = LoggerFactory.getLogger(NioListener.class);

    private final NioEngine engine;
    private final IoLoop loop;
    private final ServerSocketChannel server;
    private final URI address;
    private final ChannelAdapter adapter;
    private final Function<Connection, ConnectionHandler> handlers;
    private final Runnable onClose;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CountDownLatch closeDone = new CountDownLatch(1);
    private SelectionKey key;

    NioListener(NioEngine engine, IoLoop loop, ServerSocketChannel server, URI address, ChannelAdapter adapter,
            Function<Connection, ConnectionHandler> handlers, Runnable onClose) {
        this.engine = engine;
        this.loop = loop;
        this.server = server;
        this.address = address;
        this.adapter = adapter;
        this.handlers = handlers;
        this.onClose = onClose;
    }

    void start() {
        CountDownLatch registered = new CountDownLatch(1);
        IpcException[] failure = new IpcException[1];
        try {
            server.configureBlocking(false);
            loop.execute(() -> {
                try {
                    key = server.register(loop.selector(), SelectionKey.OP_ACCEPT, this);
                } catch (ClosedChannelException e) {
                    failure[0] = new IpcException(ErrorCode.TRANSPORT_IO, "listener channel closed", e);
                }
                registered.countDown();
            });
            if (!registered.await(10, TimeUnit.SECONDS)) {
                failure[0] = new IpcException(ErrorCode.TRANSPORT_IO, "I/O loop did not register the listener");
            }
        } catch (IOException | RuntimeException e) {
            failure[0] = new IpcException(ErrorCode.TRANSPORT_IO, "cannot register listener: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure[0] = new IpcException(ErrorCode.TRANSPORT_IO, "interrupted");
        }
        if (failure[0] != null) {
            NioEngine.closeQuietly(server);
            if (onClose != null) {
                onClose.run();
            }
            throw failure[0];
        }
    }

    @Override
    public URI address() {
        return address;
    }

    @Override
    public void ready(SelectionKey k) {
        // accept a batch, but not forever: other connections on this loop are waiting
        for (int i = 0; i < 64 && !closed.get(); i++) {
            SocketChannel ch;
            try {
                ch = server.accept();
            } catch (IOException e) {
                // EMFILE and friends: keep the listener, log, and try again on the next event
                LOG.warn("accept on {} failed: {}", address, e.toString());
                return;
            }
            if (ch == null) {
                return;
            }
            try {
                ch.configureBlocking(false);
                adapter.configure(ch);
                NioConnection c = new NioConnection(engine, engine.nextLoop(), ch, adapter, adapter.sslEngine(ch),
                        false);
                c.start(null, handlers);
            } catch (IOException | RuntimeException e) {
                LOG.warn("cannot set up accepted connection on {}: {}", address, e.toString());
                NioEngine.closeQuietly(ch);
            }
        }
    }

    @Override
    public void forceClose() {
        if (closed.compareAndSet(false, true)) {
            closeNow(false);
        }
    }

    /** @param deregister select once so the socket is really closed; only where no key set is being iterated */
    private void closeNow(boolean deregister) {
        try {
            if (key != null) {
                key.cancel();
            }
            NioEngine.closeQuietly(server);
            // a cancelled key is deregistered, and the socket really closed, by the next selection
            if (deregister) {
                loop.selector().selectNow();
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("listener close", e);
        } finally {
            if (onClose != null) {
                try {
                    onClose.run();
                } catch (RuntimeException e) {
                    LOG.warn("listener cleanup failed", e);
                }
            }
            closeDone.countDown();
        }
    }

    /** Stops accepting; returns once the address is released. Open connections stay. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (loop.inLoop()) {
            closeNow(false);
            return;
        }
        try {
            loop.execute(() -> closeNow(true));
        } catch (IllegalStateException stopped) {
            closeNow(false);
            return;
        }
        try {
            if (!closeDone.await(5, TimeUnit.SECONDS)) {
                LOG.warn("listener {} close not confirmed by its I/O loop", address);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "Listener[" + address + "]";
    }
}
