package org.eipc.runtime.impl;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What every endpoint of one runtime shares: the tracked providers, a small timer for deadlines and acks, and a
 * bounded pool for blocking connects (a connect may block for its timeout; timers never do).
 */
final class RuntimeContext implements AutoCloseable {
    final Providers providers;
    final ScheduledExecutorService timer;
    final ExecutorService connector;
    /** Runs message handlers; at most one task per session is queued, so the queue is bounded by the sessions. */
    final ExecutorService delivery;
    /** Gates, taps, event listeners and the runtime-wide counters. */
    final Hooks hooks = new Hooks();
    /** Every open endpoint, for the metrics. */
    final java.util.Set<MetricsSource> endpoints = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** An endpoint that can describe itself. */
    interface MetricsSource {
        org.eipc.runtime.EndpointMetrics metrics();
    }

    RuntimeContext(Providers providers) {
        this(providers, 2);
    }

    RuntimeContext(Providers providers, int connectThreads) {
        this(providers, connectThreads, 2);
    }

    RuntimeContext(Providers providers, int connectThreads, int deliveryThreads) {
        this.providers = providers;
        providers.addListener(new Providers.TransportListener() {
            @Override
            public void transportAdded(org.eipc.spi.transport.Transport t) {
                hooks.emit(org.eipc.spi.runtime.RuntimeEvent.builder(org.eipc.spi.runtime.RuntimeEvent.Kind.TRANSPORT_ADDED)
                        .detail(t.kind() + " " + t.schemes()).build());
            }

            @Override
            public void transportRemoved(org.eipc.spi.transport.Transport t) {
                hooks.emit(org.eipc.spi.runtime.RuntimeEvent.builder(org.eipc.spi.runtime.RuntimeEvent.Kind.TRANSPORT_REMOVED)
                        .detail(t.kind() + " " + t.schemes()).build());
            }
        });
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, named("eipc-runtime-timer"));
        t.setRemoveOnCancelPolicy(true);
        this.timer = t;
        // bounded: a connect attempt is queued per session waiting for a carrier, never per message
        this.connector = new ThreadPoolExecutor(connectThreads, connectThreads, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(1024), named("eipc-runtime-connect"));
        this.delivery = java.util.concurrent.Executors.newFixedThreadPool(deliveryThreads,
                named("eipc-runtime-deliver"));
    }

    private static java.util.concurrent.ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread th = new Thread(r, prefix + "-" + n.incrementAndGet());
            th.setDaemon(true);
            return th;
        };
    }

    /** A snapshot of every endpoint and the counters. */
    org.eipc.runtime.RuntimeMetrics metrics() {
        return new org.eipc.runtime.RuntimeMetrics() {
            @Override
            public java.util.List<org.eipc.runtime.EndpointMetrics> endpoints() {
                java.util.List<org.eipc.runtime.EndpointMetrics> out = new java.util.ArrayList<>();
                for (MetricsSource e : endpoints) {
                    out.add(e.metrics());
                }
                return out;
            }

            @Override
            public java.util.Map<String, Long> counters() {
                return hooks.counters();
            }

            @Override
            public java.util.List<String> schemes() {
                return providers.schemes();
            }
        };
    }

    @Override
    public void close() {
        timer.shutdownNow();
        connector.shutdownNow();
        delivery.shutdownNow();
        try {
            timer.awaitTermination(2, TimeUnit.SECONDS);
            connector.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
