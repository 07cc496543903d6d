package org.eipc.transport.nats.impl;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.eipc.api.IpcException;
import org.eipc.spi.keyring.KeyringProvider;
import org.eipc.spi.security.IntegrityProvider;
import org.eipc.transport.nats.durable.DurableHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.nats.client.ConsumeOptions;
import io.nats.client.Connection;
import io.nats.client.IterableConsumer;
import io.nats.client.Message;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsJetStreamMetaData;

/**
 * One registered {@link DurableHandler}: its JetStream durable consumer and the thread that feeds the handler one
 * message at a time, in stream order. Each message is verified ({@link DurableWire}) before the handler sees it; a
 * message that fails is terminated ({@code term()}) and counted. A handler that returns acknowledges its message;
 * one that throws has it delivered again after the redelivery delay; after {@code maxRedeliveries + 1} failed calls
 * the message is terminated and counted. The failed calls are counted here, not from JetStream's delivery count,
 * which also counts deliveries that never reached the handler (a host stopping with a message fetched).
 *
 * <p>{@link #stop()} lets the current handler call finish and acknowledges it, gives back (naks) what was fetched
 * and not handed out, and returns when the thread is gone: a handler that is stopped and registered again, here or
 * on a restarted host, sees each acknowledged message once.
 */
final class DurableConsumer implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(DurableConsumer.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration PULL_EXPIRES = Duration.ofSeconds(5);
    private static final int REMEMBERED_ACKS = 4096;

    private final DurableSettings settings;
    private final DurableHandler handler;
    private final String pattern;
    private final String consumerName;
    private final KeyringProvider keyring;
    private final DurableWire wire;
    private final DurableStats stats;
    private final CompletableFuture<JetStreamLink> ready;
    private final java.util.function.LongSupplier reconnects;
    private final Thread thread;
    /** Stream sequences acknowledged by this instance: a redelivery of one (a lost ack) is acked again only. */
    private final Map<Long, Boolean> acked = new LinkedHashMap<>(256, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Boolean> eldest) {
            return size() > REMEMBERED_ACKS;
        }
    };
    /** Handler failures per stream sequence: only these count towards maxRedeliveries (not server deliveries). */
    private final Map<Long, Integer> failures = new java.util.HashMap<>();
    private volatile boolean running = true;

    DurableConsumer(DurableSettings settings, DurableHandler handler, String pattern, String durableName,
            KeyringProvider keyring, IntegrityProvider integrity, DurableStats stats,
            CompletableFuture<JetStreamLink> ready, java.util.function.LongSupplier reconnects) {
        this.settings = settings;
        this.handler = handler;
        this.pattern = pattern;
        this.consumerName = ChannelNames.consumerName(durableName, pattern);
        this.keyring = keyring;
        this.wire = new DurableWire(new ChannelKeys(integrity));
        this.stats = stats;
        this.ready = ready;
        this.reconnects = reconnects;
        this.thread = new Thread(this, "eipc-durable-" + consumerName);
        this.thread.setDaemon(true);
    }

    String consumerName() {
        return consumerName;
    }

    void start() {
        thread.start();
    }

    @Override
    public void run() {
        long failures = 0;
        while (running) {
            IterableConsumer it = null;
            try {
                JetStreamLink link = awaitLink();
                if (link == null) {
                    continue;
                }
                long generation = reconnects.getAsLong();
                DurableStream.ensureConsumer(link.jsm(), settings, consumerName, settings.subject(pattern));
                it = link.js().getConsumerContext(settings.stream, consumerName)
                        .iterate(ConsumeOptions.builder().batchSize(Math.max(16, settings.maxAckPending * 2))
                                .expiresIn(PULL_EXPIRES.toMillis()).build());
                LOG.debug("durable consumer {} on {} started", consumerName, pattern);
                failures = 0;
                poll(it, generation);
            } catch (Exception e) { // NATS down, consumer deleted, JetStream unavailable: start over
                if (Long.bitCount(++failures) == 1) {
                    LOG.warn("durable consumer {} on {}: {} ({} times so far), retrying", consumerName, pattern,
                            e.toString(), failures);
                }
                pause(failures);
            } finally {
                if (it != null) {
                    giveBack(it);
                }
            }
        }
        LOG.debug("durable consumer {} on {} stopped", consumerName, pattern);
    }

    private JetStreamLink awaitLink() throws InterruptedException, ExecutionException {
        try {
            return ready.get(POLL.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return null;
        }
    }

    /** Feeds the handler until stopped or until the connection was re-established (then the caller starts over). */
    private void poll(IterableConsumer it, long generation) throws Exception {
        while (running && generation == reconnects.getAsLong()) {
            Message m = it.nextMessage(POLL);
            if (m != null) {
                if (!running) {
                    m.nak();
                    return;
                }
                process(m);
            }
        }
    }

    private void process(Message m) {
        NatsJetStreamMetaData meta = m.metaData();
        long seq = meta.streamSequence();
        long deliveries = meta.deliveredCount();
        if (acked.containsKey(seq)) {
            m.ack();
            stats.duplicates.incrementAndGet();
            return;
        }
        VerifiedDelivery d;
        try {
            Headers h = m.getHeaders();
            d = wire.open(settings.channelOf(m.getSubject()), m.getData(),
                    h == null ? null : h.getFirst(DurableWire.KEY_HEADER),
                    h == null ? null : h.getFirst(DurableWire.MSG_ID_HEADER), seq, deliveries,
                    meta.timestamp() == null ? null : meta.timestamp().toInstant(), keyring,
                    settings.duplicateWindow);
        } catch (DurableWire.Rejected r) {
            m.term();
            long n = stats.reject(r.reason);
            if (Long.bitCount(n) == 1) { // 1, 2, 4, ...: a forger must not flood the log
                LOG.warn("durable consumer {}: terminated stream message {} on {}: {}: {} ({} {} so far)",
                        consumerName, seq, m.getSubject(), r.reason, r.getMessage(), n, r.reason);
            }
            return;
        } catch (IpcException e) { // a keyring key we cannot derive from: nothing will ever verify it
            m.term();
            stats.reject(org.eipc.transport.nats.durable.DurableCounters.Rejection.KEY_UNKNOWN);
            LOG.warn("durable consumer {}: terminated stream message {}: {}", consumerName, seq, e.getMessage());
            return;
        }
        try {
            handler.onMessage(d);
        } catch (Exception | LinkageError e) {
            stats.handlerFailures.incrementAndGet();
            if (failures.size() > REMEMBERED_ACKS) {
                failures.clear();
            }
            int failed = failures.merge(seq, 1, Integer::sum);
            if (failed > settings.maxRedeliveries) {
                failures.remove(seq);
                terminateExhausted(m, d, failed, e);
            } else {
                m.nakWithDelay(settings.redeliveryDelay);
                LOG.debug("durable consumer {}: handler failed on {} ({} times), delivering again in {} ms",
                        consumerName, seq, failed, settings.redeliveryDelay.toMillis(), e);
            }
            return;
        }
        failures.remove(seq);
        m.ack();
        acked.put(seq, Boolean.TRUE);
        stats.delivered.incrementAndGet();
    }

    private void terminateExhausted(Message m, VerifiedDelivery d, int failed, Throwable last) {
        m.term();
        stats.exhausted.incrementAndGet();
        LOG.warn("durable consumer {}: gave up on stream message {} ({}) after {} failed handler calls; terminated",
                consumerName, d.streamSequence(), d.messageId(), failed, last);
    }

    /**
     * Gives back what was fetched and not handed out: unsubscribes first (so the server does not hand the naked
     * messages straight back to this consumer's outstanding pulls), then naks them, so the next instance gets them
     * at once rather than after the ack wait. Acks and naks are flushed by {@link #stop()}.
     */
    private void giveBack(IterableConsumer it) {
        java.util.List<Message> unhandled = new java.util.ArrayList<>();
        try {
            it.stop();
            Message m;
            while (unhandled.size() <= settings.maxAckPending && (m = it.nextMessage(Duration.ofMillis(50))) != null) {
                unhandled.add(m);
            }
        } catch (Exception e) {
            LOG.debug("durable consumer {}: stopping: {}", consumerName, e.toString());
        } finally {
            try {
                it.close();
            } catch (Exception e) {
                LOG.debug("durable consumer {}: close: {}", consumerName, e.toString());
            }
        }
        unhandled.forEach(Message::nak);
    }

    private void pause(long failures) {
        try {
            Thread.sleep(Math.min(2000, 100L * failures));
        } catch (InterruptedException e) {
            running = false;
            Thread.currentThread().interrupt();
        }
    }

    /** Stops after the current handler call; waits for the thread (at most the ack wait plus a little). */
    void stop() {
        running = false;
        try {
            thread.join(settings.ackWait.toMillis() + 5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warn("durable consumer {}: handler still running after {} ms; leaving its thread", consumerName,
                    settings.ackWait.toMillis() + 5000);
        }
        JetStreamLink link = ready.getNow(null);
        if (link != null) {
            link.flush();
        }
    }
}
