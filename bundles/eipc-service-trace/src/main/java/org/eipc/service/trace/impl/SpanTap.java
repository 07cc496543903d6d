package org.eipc.service.trace.impl;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;
import org.eipc.api.Message;
import org.eipc.api.MessageType;
import org.eipc.service.trace.Span;
import org.eipc.service.trace.SpanLog;
import org.eipc.service.trace.TraceContext;
import org.eipc.spi.runtime.MessageContext;
import org.eipc.spi.runtime.MessageTap;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link MessageTap} turning every application message into a {@link Span} in a ring, readable as the
 * {@link SpanLog} service. Lock-free on the data path: a slot index from an atomic counter, one array store. A
 * reply is timed against its request (same session, same request id, other direction) through a bounded map.
 *
 * <p>Configuration PID {@value #PID}, optional: the tap runs with defaults.
 */
@Component(service = {MessageTap.class, SpanLog.class}, configurationPid = SpanTap.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = SpanTapConfig.class)
public final class SpanTap implements MessageTap, SpanLog {
    private static final Logger LOG = LoggerFactory.getLogger(SpanTap.class);

    /** Configuration PID. */
    public static final String PID = "org.eipc.service.trace.spans";

    private final AtomicReferenceArray<Span> ring;
    private final AtomicLong next = new AtomicLong();
    private final ConcurrentHashMap<String, Long> pending = new ConcurrentHashMap<>();
    private final int maxPending;
    private final boolean log;
    private final Clock clock;

    @Activate
    public SpanTap(final SpanTapConfig config) {
        this(config.capacity(), config.pendingRequests(), config.log(), Clock.systemUTC());
    }

    /** @throws IpcException {@link ErrorCode#CONFIG_INVALID} for a capacity or limit out of range */
    SpanTap(final int capacity, final int maxPending, final boolean log, final Clock clock) {
        if (capacity < 16 || capacity > (1 << 20) || maxPending < 0 || maxPending > (1 << 20)) {
            throw new IpcException(ErrorCode.CONFIG_INVALID, "capacity=" + capacity + " pendingRequests=" + maxPending
                    + ": need capacity in [16, 1048576] and pendingRequests in [0, 1048576]");
        }
        this.ring = new AtomicReferenceArray<>(capacity);
        this.maxPending = maxPending;
        this.log = log;
        this.clock = clock;
        LOG.debug("span tap activated, capacity {}", capacity);
    }

    @Override
    public void onMessage(final Direction direction, final MessageContext context, final Message message,
            final long nanoTime) {
        final String rid = message.header().requestId();
        final String sessionId = context.sessionId();
        final TraceContext t = TraceContext.parse(rid).orElseGet(() -> TraceContext.derived(sessionId, rid));
        final boolean outbound = direction == Direction.OUTBOUND;
        long duration = -1;
        if (!rid.isEmpty()) {
            final Long since = pending.remove(key(!outbound, context, rid));
            if (since != null) {
                duration = nanoTime - since;
            } else if (pending.size() < maxPending) {
                pending.put(key(outbound, context, rid), nanoTime);
            }
        }
        final MessageType type = message.type();
        final Span s = new Span(clock.instant(), t.traceId(), t.spanId(), t.carried(), outbound, context.endpoint(),
                sessionId, context.peer().serviceId(), context.server(),
                type == null ? String.format(Locale.ROOT, "0x%02x", message.typeByte() & 0xff) : type.wireName(), rid,
                message.payloadLength(), duration);
        final long n = next.getAndIncrement();
        ring.set((int) (n % ring.length()), s);
        if (log) {
            LOG.info("span {} {} {} session {} peer {} {} request_id {} {} bytes{}", s.traceId(), s.spanId(),
                    outbound ? "out" : "in", sessionId, s.peerServiceId(), s.type(), rid, s.payloadLength(),
                    duration >= 0 ? " after " + duration / 1000 + " us" : "");
        }
    }

    private static String key(final boolean outbound, final MessageContext c, final String rid) {
        return (outbound ? "o" : "i") + (c.server() ? "s" : "c") + c.endpoint() + '\n' + c.sessionId() + '\n' + rid;
    }

    @Override
    public List<Span> recent(final int max) {
        final long end = next.get();
        final long start = Math.max(0, Math.max(end - ring.length(), end - Math.max(0, max)));
        final List<Span> out = new ArrayList<>((int) (end - start));
        for (long i = start; i < end; i++) {
            final Span s = ring.get((int) (i % ring.length()));
            if (s != null) {
                out.add(s);
            }
        }
        return out;
    }

    @Override
    public List<Span> trace(final String traceId) {
        return recent(ring.length()).stream().filter(s -> s.traceId().equals(traceId)).toList();
    }

    @Override
    public long total() {
        return next.get();
    }
}
