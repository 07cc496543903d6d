package org.eipc.transport.nats.impl;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.eipc.api.IpcException;
import org.eipc.spi.transport.Connection;
import org.eipc.spi.transport.ConnectionHandler;

/** Records the bytes and the close of one connection; can hold the first onData until released. */
final class Recorder implements ConnectionHandler {
    final CompletableFuture<IpcException> closed = new CompletableFuture<>();
    final CompletableFuture<Void> opened = new CompletableFuture<>();
    final CountDownLatch firstData = new CountDownLatch(1);
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    volatile CountDownLatch holdFirstData;

    @Override
    public void onOpen(Connection connection) {
        opened.complete(null);
    }

    @Override
    public void onData(Connection connection, ByteBuffer data) {
        byte[] b = new byte[data.remaining()];
        data.get(b);
        synchronized (bytes) {
            bytes.write(b, 0, b.length);
            bytes.notifyAll();
        }
        if (firstData.getCount() > 0) {
            firstData.countDown();
            CountDownLatch hold = holdFirstData;
            if (hold != null) {
                try {
                    hold.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    @Override
    public void onClose(Connection connection, IpcException cause) {
        closed.complete(cause);
    }

    String text() {
        synchronized (bytes) {
            return bytes.toString(java.nio.charset.StandardCharsets.ISO_8859_1);
        }
    }

    int size() {
        synchronized (bytes) {
            return bytes.size();
        }
    }

    /** Waits (bounded) until at least {@code n} bytes arrived. */
    void awaitBytes(int n, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        synchronized (bytes) {
            while (bytes.size() < n) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("only " + bytes.size() + " of " + n + " bytes arrived");
                }
                TimeUnit.NANOSECONDS.timedWait(bytes, left);
            }
        }
    }
}
