package org.eipc.transport.nio;

import java.io.IOException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;
import org.eipc.spi.transport.Connection;
import org.eipc.spi.transport.ConnectionHandler;

/**
 * A fixed set of I/O loops shared by all listeners and connections of one transport instance. Connections are
 * spread over the loops round robin and stay on their loop for life.
 */
public final class NioEngine implements AutoCloseable {
    private final IoLoop[] loops;
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicLong ids = new AtomicLong();
    private final String name;
    private final long writeQueueLimit;
    private final long handshakeTimeoutNanos;

    /**
     * @param name thread name prefix, e.g. {@code "eipc-tcp"}
     * @param ioThreads number of selector threads (1 to 64)
     * @param readBufferSize bytes per read buffer (4 KiB to 16 MiB)
     * @param writeQueueLimit bound on bytes queued per connection (4 KiB to 1 GiB)
     */
    public NioEngine(String name, int ioThreads, int readBufferSize, long writeQueueLimit) {
        this(name, ioThreads, readBufferSize, writeQueueLimit, java.time.Duration.ofSeconds(10));
    }

    /**
     * @param handshakeTimeout how long an accepted connection may take for its TLS handshake (100 ms to 10 min)
     */
    public NioEngine(String name, int ioThreads, int readBufferSize, long writeQueueLimit,
            java.time.Duration handshakeTimeout) {
        if (handshakeTimeout.toMillis() < 100 || handshakeTimeout.toMinutes() > 10) {
            throw new IpcException(ErrorCode.CONFIG_INVALID, "handshake timeout " + handshakeTimeout
                    + " outside [100 ms, 10 min]");
        }
        this.handshakeTimeoutNanos = handshakeTimeout.toNanos();
        if (ioThreads < 1 || ioThreads > 64) {
            throw new IpcException(ErrorCode.CONFIG_INVALID, "ioThreads " + ioThreads + " outside [1, 64]");
        }
        if (readBufferSize < 4096 || readBufferSize > (16 << 20)) {
            throw new IpcException(ErrorCode.CONFIG_INVALID, "readBufferSize " + readBufferSize
                    + " outside [4096, 16777216]");
        }
        if (writeQueueLimit < 4096 || writeQueueLimit > (1L << 30)) {
            throw new IpcException(ErrorCode.CONFIG_INVALID, "writeQueueLimit " + writeQueueLimit
                    + " outside [4096, 1073741824]");
        }
        this.name = Objects.requireNonNull(name);
        this.writeQueueLimit = writeQueueLimit;
        this.loops = new IoLoop[ioThreads];
        try {
            for (int i = 0; i < ioThreads; i++) {
                loops[i] = new IoLoop(name + "-io-" + i, readBufferSize);
            }
        } catch (IOException e) {
            for (IoLoop l : loops) {
                if (l != null) {
                    l.stop();
                }
            }
            throw new IpcException(ErrorCode.TRANSPORT_IO, "cannot open selector", e);
        }
        for (IoLoop l : loops) {
            l.start();
        }
    }

    IoLoop nextLoop() {
        return loops[Math.floorMod(next.getAndIncrement(), loops.length)];
    }

    String nextId() {
        return name + "-" + ids.incrementAndGet();
    }

    long handshakeTimeoutNanos() {
        return handshakeTimeoutNanos;
    }

    long writeQueueLimit() {
        return writeQueueLimit;
    }

    /**
     * Starts accepting on a bound server channel.
     *
     * @param onClose run after the channel is closed (for example to remove a socket file); may be null
     */
    public NioListener listen(ServerSocketChannel server, java.net.URI address, ChannelAdapter adapter,
            Function<Connection, ConnectionHandler> handlers, Runnable onClose) {
        NioListener l = new NioListener(this, nextLoop(), server, address, adapter, handlers, onClose);
        l.start();
        return l;
    }

    /**
     * Takes over a connected channel (blocking mode is fine; it is switched to non-blocking), runs any TLS
     * handshake and returns once {@code handler.onOpen} was called.
     */
    public NioConnection open(SocketChannel channel, ChannelAdapter adapter, ConnectionHandler handler,
            Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        NioConnection c;
        try {
            channel.configureBlocking(false);
            adapter.configure(channel);
            c = new NioConnection(this, nextLoop(), channel, adapter, adapter.sslEngine(channel), true);
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel);
            if (e instanceof IpcException) {
                throw (IpcException) e;
            }
            throw new IpcException(ErrorCode.CONNECT_FAILED, "cannot set up connection: " + e, e);
        }
        CompletableFuture<NioConnection> opened = c.start(handler, null);
        try {
            return opened.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            c.fail(new IpcException(ErrorCode.HANDSHAKE_TIMEOUT, "handshake not done within " + timeout));
            throw new IpcException(ErrorCode.HANDSHAKE_TIMEOUT, "handshake not done within " + timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            c.close();
            throw new IpcException(ErrorCode.CONNECT_FAILED, "interrupted while connecting", e);
        } catch (ExecutionException e) {
            Throwable t = e.getCause();
            if (t instanceof IpcException) {
                IpcException ie = (IpcException) t;
                throw new IpcException(ie.code(), ie.getMessage(), ie); // a fresh stack for the caller
            }
            throw new IpcException(ErrorCode.CONNECT_FAILED, "connect failed: " + t, t);
        }
    }

    static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }

    /** Stops all loops; every open listener and connection is closed. Waits up to 5 s for the threads. */
    @Override
    public void close() {
        for (IoLoop l : loops) {
            l.stop();
        }
        boolean interrupted = false;
        for (IoLoop l : loops) {
            try {
                l.join(5000);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** True while any loop thread is alive (for leak tests). */
    public boolean isAlive() {
        for (IoLoop l : loops) {
            if (l.isAlive()) {
                return true;
            }
        }
        return false;
    }
}
