package org.eipc.service.broker.impl;

import java.util.ArrayList;
import java.util.List;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;
import org.eipc.service.broker.OverflowPolicy;

/** What a broker runs with, checked once; see {@link BrokerConfig} for the meaning of each value. */
record BrokerSettings(int queueDepth, OverflowPolicy overflow, int maxQueueDepth, int maxSubscriptions,
        int deliveryThreads, int maxDeliveryThreads, long stallMillis, int batch, int maxTrackedTopics,
        int maxSubscriptionsPerSession, int maxServicesPerSession, long maxRequestTimeoutMillis, long sweepMillis) {

    /** The defaults of {@link BrokerConfig}. */
    static BrokerSettings defaults() {
        return new BrokerSettings(1024, OverflowPolicy.DROP_OLDEST, 65_536, 65_536, 2, 16, 50, 64, 4096, 256, 16,
                30_000, 1_000);
    }

    static BrokerSettings of(final BrokerConfig c) {
        return new BrokerSettings(c.queueDepth(), OverflowPolicy.of(c.overflow()), c.maxQueueDepth(),
                c.maxSubscriptions(), c.deliveryThreads(), c.maxDeliveryThreads(), c.stallMillis(), c.batch(),
                c.maxTrackedTopics(), c.maxSubscriptionsPerSession(), c.maxServicesPerSession(),
                c.maxRequestTimeoutMillis(), c.sweepMillis());
    }

    /**
     * @throws IpcException {@link ErrorCode#CONFIG_INVALID} listing every value out of range
     */
    BrokerSettings {
        final List<String> bad = new ArrayList<>();
        check(bad, maxQueueDepth >= 1 && maxQueueDepth <= 1 << 20, "maxQueueDepth=" + maxQueueDepth + " outside 1..1048576");
        check(bad, queueDepth >= 1 && queueDepth <= maxQueueDepth, "queueDepth=" + queueDepth + " outside 1..maxQueueDepth");
        check(bad, maxSubscriptions >= 1 && maxSubscriptions <= 1 << 22, "maxSubscriptions=" + maxSubscriptions
                + " outside 1..4194304");
        check(bad, deliveryThreads >= 1 && deliveryThreads <= 64, "deliveryThreads=" + deliveryThreads + " outside 1..64");
        check(bad, maxDeliveryThreads >= deliveryThreads && maxDeliveryThreads <= 256, "maxDeliveryThreads="
                + maxDeliveryThreads + " outside deliveryThreads..256");
        check(bad, stallMillis >= 1 && stallMillis <= 60_000, "stallMillis=" + stallMillis + " outside 1..60000");
        check(bad, batch >= 1 && batch <= 4096, "batch=" + batch + " outside 1..4096");
        check(bad, maxTrackedTopics >= 0 && maxTrackedTopics <= 1 << 20, "maxTrackedTopics=" + maxTrackedTopics
                + " outside 0..1048576");
        check(bad, maxSubscriptionsPerSession >= 0, "maxSubscriptionsPerSession=" + maxSubscriptionsPerSession
                + " is negative");
        check(bad, maxServicesPerSession >= 0, "maxServicesPerSession=" + maxServicesPerSession + " is negative");
        check(bad, maxRequestTimeoutMillis >= 1, "maxRequestTimeoutMillis=" + maxRequestTimeoutMillis + " below 1");
        check(bad, sweepMillis >= 10 && sweepMillis <= 60_000, "sweepMillis=" + sweepMillis + " outside 10..60000");
        if (overflow == null) {
            bad.add("overflow is missing");
        }
        if (!bad.isEmpty()) {
            throw new IpcException(ErrorCode.CONFIG_INVALID, "broker configuration: " + String.join(", ", bad));
        }
    }

    private static void check(final List<String> bad, final boolean ok, final String what) {
        if (!ok) {
            bad.add(what);
        }
    }

    BrokerSettings withQueue(final int depth, final OverflowPolicy policy) {
        return new BrokerSettings(depth, policy, maxQueueDepth, maxSubscriptions, deliveryThreads,
                maxDeliveryThreads, stallMillis, batch, maxTrackedTopics, maxSubscriptionsPerSession,
                maxServicesPerSession, maxRequestTimeoutMillis, sweepMillis);
    }

    BrokerSettings withThreads(final int core, final int max, final long stall) {
        return new BrokerSettings(queueDepth, overflow, maxQueueDepth, maxSubscriptions, core, max, stall, batch,
                maxTrackedTopics, maxSubscriptionsPerSession, maxServicesPerSession, maxRequestTimeoutMillis,
                sweepMillis);
    }

    BrokerSettings withSessionLimits(final int subscriptions, final int services, final long sweep) {
        return new BrokerSettings(queueDepth, overflow, maxQueueDepth, maxSubscriptions, deliveryThreads,
                maxDeliveryThreads, stallMillis, batch, maxTrackedTopics, subscriptions, services,
                maxRequestTimeoutMillis, sweep);
    }
}
