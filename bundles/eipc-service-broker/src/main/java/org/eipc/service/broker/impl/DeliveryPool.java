package org.eipc.service.broker.impl;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delivery threads: {@code core} workers take subscriber turns from one FIFO queue. A subscriber whose code
 * blocks holds a worker only for its own turn; when {@link #check()} (run by the broker's timer) finds workers
 * stuck in one task for longer than {@code stall} while turns wait, it starts an extra worker (up to {@code max} in
 * all), so blocking subscribers cannot starve the others. Extra workers end after a second without work.
 */
final class DeliveryPool implements Executor {
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryPool.class);
    private static final long EXTRA_IDLE_MILLIS = 1_000;

    private final LinkedBlockingQueue<Runnable> ready = new LinkedBlockingQueue<>();
    private final Set<Worker> workers = ConcurrentHashMap.newKeySet();
    private final AtomicInteger names = new AtomicInteger();
    private final AtomicLong failures = new AtomicLong();
    private final int core;
    private final int max;
    private final long stallNanos;
    private final String name;
    private volatile boolean closed;

    DeliveryPool(final String name, final int core, final int max, final long stallMillis) {
        this.name = name;
        this.core = core;
        this.max = Math.max(core, max);
        this.stallNanos = TimeUnit.MILLISECONDS.toNanos(stallMillis);
        for (int i = 0; i < core; i++) {
            start(false);
        }
    }

    @Override
    public void execute(final Runnable task) {
        if (!closed) {
            ready.add(task);
        }
    }

    /** Starts an extra worker when too many are stuck while work waits. Called periodically. */
    void check() {
        if (closed || ready.isEmpty()) {
            return;
        }
        final long now = System.nanoTime();
        int stalled = 0;
        for (Worker w : workers) {
            final long since = w.busySince;
            if (since != 0 && now - since > stallNanos) {
                stalled++;
            }
        }
        if (workers.size() - stalled < core && workers.size() < max) {
            LOG.debug("{}: {} of {} workers stalled, adding one", name, stalled, workers.size());
            start(true);
        }
    }

    /** Workers now, extra ones included. */
    int threads() {
        return workers.size();
    }

    /** Tasks that threw. */
    long failures() {
        return failures.get();
    }

    /** Stops taking tasks, drops waiting ones and waits up to {@code waitMillis} for running ones. */
    void close(final long waitMillis) {
        closed = true;
        ready.clear();
        for (Worker w : workers) {
            w.interrupt();
        }
        final long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
        for (Worker w : workers) {
            try {
                w.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void start(final boolean extra) {
        final Worker w = new Worker(name + "-" + names.incrementAndGet(), extra);
        workers.add(w);
        w.start();
    }

    private final class Worker extends Thread {
        private final boolean extra;
        volatile long busySince;

        Worker(final String threadName, final boolean extra) {
            super(threadName);
            this.extra = extra;
            setDaemon(true);
        }

        @Override
        public void run() {
            try {
                while (!closed) {
                    final Runnable task = extra ? ready.poll(EXTRA_IDLE_MILLIS, TimeUnit.MILLISECONDS) : ready.take();
                    if (task == null) {
                        return; // an extra worker without work for a while
                    }
                    busySince = System.nanoTime() | 1L;
                    try {
                        task.run();
                    } catch (RuntimeException e) {
                        if (failures.incrementAndGet() <= 10) { // first few only: a broken subscriber must not flood
                            LOG.warn("{}: delivery task failed", name, e);
                        }
                    } finally {
                        busySince = 0;
                    }
                }
            } catch (InterruptedException e) {
                // closing
            } finally {
                workers.remove(this);
            }
        }
    }
}
