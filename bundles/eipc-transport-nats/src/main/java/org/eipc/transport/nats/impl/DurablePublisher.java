package org.eipc.transport.nats.impl;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;
import org.eipc.api.MessageType;
import org.eipc.spi.keyring.KeyEntry;
import org.eipc.spi.keyring.KeyringProvider;
import org.eipc.spi.security.IntegrityProvider;

import io.nats.client.JetStreamApiException;
import io.nats.client.PublishOptions;
import io.nats.client.api.PublishAck;
import io.nats.client.impl.Headers;

/**
 * Signs and stores durable messages. Each message gets the id {@code <hostId>/<instance>/<n>} (a random instance
 * per activation, so a restarted publisher never reuses an id), in the MAC'd frame and as {@code Nats-Msg-Id}: a
 * publish that is retried because its confirmation did not arrive in time (a server restart, a lost reply) is
 * stored once, by JetStream's deduplication. Retries go on until the publish timeout, which the settings keep
 * below the duplicate window.
 */
final class DurablePublisher {
    private static final Duration ATTEMPT = Duration.ofSeconds(2);
    private static final Duration RETRY_PAUSE = Duration.ofMillis(100);

    private final DurableSettings settings;
    private final KeyringProvider keyring;
    private final DurableWire wire;
    private final DurableStats stats;
    private final ScheduledExecutorService executor;
    private final CompletableFuture<JetStreamLink> ready;
    private final String instance = NatsLink.randomToken();
    private final Set<Attempt> pending = ConcurrentHashMap.newKeySet();
    private long sequence; // guarded by this, with wire
    private volatile boolean closed;

    DurablePublisher(DurableSettings settings, KeyringProvider keyring, IntegrityProvider integrity, DurableStats stats,
            ScheduledExecutorService executor, CompletableFuture<JetStreamLink> ready) {
        this.settings = settings;
        this.keyring = keyring;
        this.wire = new DurableWire(new ChannelKeys(integrity));
        this.stats = stats;
        this.executor = executor;
        this.ready = ready;
    }

    /** One outgoing message and its retries. */
    private final class Attempt {
        final String subject;
        final Headers headers;
        final byte[] frame;
        final PublishOptions options;
        final long deadline;
        final CompletableFuture<Long> result = new CompletableFuture<>();
        /** The current try: a completion of an earlier one (timed out, retried) is ignored. */
        int generation;
        long attemptDeadline;
        CompletableFuture<PublishAck> inFlight;

        Attempt(String subject, Headers headers, byte[] frame, PublishOptions options, long deadline) {
            this.subject = subject;
            this.headers = headers;
            this.frame = frame;
            this.options = options;
            this.deadline = deadline;
        }
    }

    CompletionStage<Long> publish(String channel, MessageType type, ByteBuffer payload) {
        if (!ChannelNames.isChannel(channel)) {
            return failed(new IpcException(ErrorCode.ADDRESS_INVALID, "durable channel '" + channel + "' is not "
                    + "subject tokens [A-Za-z0-9_-] joined by dots"));
        }
        if (!settings.channels.isDurable(channel)) {
            return failed(new IpcException(ErrorCode.CONFIG_INVALID, "channel " + channel + " is not configured "
                    + "durable (channels=" + settings.channels.patterns() + ", PID " + JetStreamDurableChannels.PID
                    + ")"));
        }
        if (closed) {
            return failed(new IpcException(ErrorCode.CONNECTION_CLOSED, "durable channels stopped"));
        }
        JetStreamLink link = ready.getNow(null);
        long maxFrame = link == null ? Integer.MAX_VALUE : link.nc().getMaxPayload();
        String id;
        byte[] frame;
        KeyEntry key;
        try {
            key = keyring.current();
            synchronized (this) {
                long n = ++sequence;
                frame = wire.encode(key, channel, type, payload, settings.hostId, instance, n, Instant.now(), maxFrame);
                id = DurableWire.messageId(settings.hostId, instance, n);
            }
        } catch (IpcException e) {
            return failed(e);
        }
        Headers headers = new Headers().put(DurableWire.KEY_HEADER, key.id());
        PublishOptions options = PublishOptions.builder().expectedStream(settings.stream).messageId(id).build();
        Attempt a = new Attempt(settings.subject(channel), headers, frame, options,
                System.nanoTime() + settings.publishTimeout.toNanos());
        pending.add(a);
        a.result.whenComplete((v, e) -> pending.remove(a));
        attempt(a);
        return a.result.minimalCompletionStage();
    }

    private void attempt(Attempt a) {
        if (closed) {
            a.result.completeExceptionally(new IpcException(ErrorCode.CONNECTION_CLOSED, "durable channels stopped"));
            return;
        }
        JetStreamLink link = ready.getNow(null);
        long left = a.deadline - System.nanoTime();
        if (link == null) {
            retryOrFail(a, new IpcException(ErrorCode.CONNECT_FAILED, "no JetStream connection to "
                    + settings.servers.serverKey() + " yet"));
            return;
        }
        CompletableFuture<PublishAck> f;
        int generation;
        synchronized (a) {
            generation = ++a.generation;
            a.attemptDeadline = System.nanoTime() + Math.min(ATTEMPT.toNanos(), left);
            try {
                f = link.js().publishAsync(a.subject, a.headers, a.frame, a.options);
            } catch (RuntimeException e) { // closed or reconnecting without a buffer
                a.inFlight = null;
                retryOrFail(a, e);
                return;
            }
            a.inFlight = f;
        }
        // completes on the NATS client's thread: only bookkeeping there, the caller's stage completes on ours
        f.whenComplete((ack, e) -> done(a, generation, ack, e));
    }

    private void done(Attempt a, int generation, PublishAck ack, Throwable e) {
        synchronized (a) {
            if (generation != a.generation || a.result.isDone()) {
                return; // an earlier try, given up on by the sweep
            }
            a.inFlight = null;
        }
        if (ack != null) {
            stats.published.incrementAndGet();
            complete(a, ack.getSeqno());
            return;
        }
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof JetStreamApiException api && api.getErrorCode() != 503) {
            fail(a, refused(api));
            return;
        }
        retryOrFail(a, cause);
    }

    /** Every tick: tries that got no answer within their attempt time are retried (or failed at the deadline). */
    void sweep() {
        long now = System.nanoTime();
        for (Attempt a : pending) {
            CompletableFuture<PublishAck> f;
            synchronized (a) {
                f = a.inFlight;
                if (f == null || now - a.attemptDeadline < 0) {
                    continue;
                }
                a.inFlight = null;
                a.generation++;
            }
            f.cancel(false);
            retryOrFail(a, new TimeoutException());
        }
    }

    private void complete(Attempt a, long seq) {
        try {
            executor.execute(() -> a.result.complete(seq));
        } catch (java.util.concurrent.RejectedExecutionException stopped) {
            a.result.complete(seq);
        }
    }

    private void fail(Attempt a, IpcException e) {
        try {
            executor.execute(() -> a.result.completeExceptionally(e));
        } catch (java.util.concurrent.RejectedExecutionException stopped) {
            a.result.completeExceptionally(e);
        }
    }

    private void retryOrFail(Attempt a, Throwable cause) {
        if (a.deadline - System.nanoTime() > RETRY_PAUSE.toNanos() && !closed) {
            try {
                executor.schedule(() -> attempt(a), RETRY_PAUSE.toMillis(), TimeUnit.MILLISECONDS);
                return;
            } catch (java.util.concurrent.RejectedExecutionException stopped) {
                cause = new IpcException(ErrorCode.CONNECTION_CLOSED, "durable channels stopped");
            }
        }
        String why = cause instanceof TimeoutException ? "no confirmation" : String.valueOf(cause);
        fail(a, closed ? new IpcException(ErrorCode.CONNECTION_CLOSED,
                "durable channels stopped before JetStream confirmed the message")
                : new IpcException(ErrorCode.REQUEST_TIMEOUT, "JetStream did not confirm the message within "
                        + settings.publishTimeout.toMillis() + " ms (last: " + why + "); it may or may not be stored",
                        cause));
    }

    private static IpcException refused(JetStreamApiException api) {
        String d = String.valueOf(api.getErrorDescription()).toLowerCase(java.util.Locale.ROOT);
        ErrorCode code = d.contains("message size") ? ErrorCode.FRAME_TOO_LARGE
                : d.contains("maximum") || d.contains("storage") || d.contains("resources") ? ErrorCode.QUOTA_EXCEEDED
                : d.contains("expected stream") ? ErrorCode.CONFIG_INVALID : ErrorCode.TRANSPORT_IO;
        return new IpcException(code, "JetStream refused the message: " + api.getErrorDescription() + " ("
                + api.getApiErrorCode() + ")");
    }

    private static CompletionStage<Long> failed(IpcException e) {
        return CompletableFuture.<Long>failedFuture(e).minimalCompletionStage();
    }

    /** Fails what is still waiting for a confirmation. */
    void close() {
        closed = true;
        for (Attempt a : pending) {
            a.result.completeExceptionally(new IpcException(ErrorCode.CONNECTION_CLOSED,
                    "durable channels stopped before JetStream confirmed the message"));
        }
    }
}
