package org.eipc.itest;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.osgi.framework.Bundle;

/**
 * Requests sent one after the other on another thread while a test stops and starts bundles: counts what succeeded
 * and keeps the first failure. {@link #close()} stops the loop and fails the test if any request failed.
 */
final class Traffic implements AutoCloseable {
    /** One request; throws (or fails an assertion) when it did not get the expected answer. */
    @FunctionalInterface
    interface Call {
        void run() throws Exception;
    }

    private final AtomicLong ok = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final CompletableFuture<Void> loop;

    Traffic(Call call) {
        loop = CompletableFuture.runAsync(() -> {
            while (running.get() && failure.get() == null) {
                try {
                    call.run();
                    ok.incrementAndGet();
                } catch (Exception | AssertionError e) {
                    failure.set(e);
                }
            }
        });
    }

    /** Waits until {@code n} more requests succeeded (or one failed: {@link #close()} reports it). */
    void awaitMore(String what, int n) throws InterruptedException {
        long from = ok.get();
        ItSupport.waitFor(what, () -> ok.get() >= from + n || failure.get() != null);
    }

    /**
     * Stops {@code bundle} and starts it again, {@code rounds} times, with {@code n} successful requests before,
     * during the stop and after; {@code restarted} waits for the bundle's service to be back.
     */
    void restart(Bundle bundle, int rounds, int n, Call restarted) throws Exception {
        for (int round = 0; round < rounds; round++) {
            awaitMore("requests flow before " + bundle.getSymbolicName() + " stops", n);
            bundle.stop();
            awaitMore("requests flow without " + bundle.getSymbolicName(), n);
            bundle.start();
            restarted.run();
        }
        awaitMore("requests flow after " + bundle.getSymbolicName() + " restarted", n);
    }

    long succeeded() {
        return ok.get();
    }

    @Override
    public void close() throws Exception {
        running.set(false);
        loop.get(30, TimeUnit.SECONDS);
        if (failure.get() != null) {
            throw new AssertionError("a request failed after " + ok.get() + " succeeded", failure.get());
        }
    }
}
