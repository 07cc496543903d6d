package org.eipc.transport.shm.impl;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.eipc.api.IpcException;
import org.eipc.spi.transport.Connection;
import org.eipc.spi.transport.ConnectionHandler;
import org.eipc.spi.transport.OfferResult;

/** A test handler: records bytes and events; optionally echoes everything back. */
final class Recorder implements ConnectionHandler {
    final CountDownLatch opened = new CountDownLatch(1);
    final CountDownLatch closed = new CountDownLatch(1);
    final boolean echo;
    volatile Connection connection;
    volatile IpcException cause;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    Recorder(final boolean echo) {
        this.echo = echo;
    }

    @Override
    public void onOpen(final Connection c) {
        connection = c;
        opened.countDown();
    }

    @Override
    public void onData(final Connection c, final ByteBuffer data) {
        if (echo) {
            final ByteBuffer copy = ByteBuffer.allocate(data.remaining()).put(data).flip();
            // tests keep the echo volume below the write-queue limit, so back-pressure is a failure here
            if (c.offer(copy) != OfferResult.ACCEPTED) {
                throw new AssertionError("echo refused");
            }
            return;
        }
        synchronized (bytes) {
            while (data.hasRemaining()) {
                bytes.write(data.get());
            }
            bytes.notifyAll();
        }
    }

    @Override
    public void onClose(final Connection c, final IpcException cause) {
        this.cause = cause;
        closed.countDown();
    }

    /** Waits until {@code n} bytes arrived and returns them. */
    byte[] await(final int n, final long millis) throws InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        synchronized (bytes) {
            while (bytes.size() < n) {
                final long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("only " + bytes.size() + " of " + n + " bytes arrived");
                }
                TimeUnit.NANOSECONDS.timedWait(bytes, left);
            }
            return bytes.toByteArray();
        }
    }

    int size() {
        synchronized (bytes) {
            return bytes.size();
        }
    }

    static void awaitLatch(final CountDownLatch l, final String what) throws InterruptedException {
        if (!l.await(20, TimeUnit.SECONDS)) {
            throw new AssertionError("timed out waiting for " + what);
        }
    }
}
