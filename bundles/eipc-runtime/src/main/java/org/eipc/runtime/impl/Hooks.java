package org.eipc.runtime.impl;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.eipc.api.ErrorCode;
import org.eipc.api.Message;
import org.eipc.spi.runtime.GateVerdict;
import org.eipc.spi.runtime.MessageContext;
import org.eipc.spi.runtime.MessageGate;
import org.eipc.spi.runtime.MessageTap;
import org.eipc.spi.runtime.RuntimeEvent;
import org.eipc.spi.runtime.RuntimeEventListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whiteboard hooks the runtime calls (gates, taps, event listeners) and the runtime-wide counters. Lists are
 * copy-on-write arrays replaced as a whole, so the data path reads one volatile field and never locks.
 */
final class Hooks {
    private static final Logger LOG = LoggerFactory.getLogger(Hooks.class);

    private static final class Ranked<T> {
        final T hook;
        final int ranking;
        final long order;

        Ranked(T hook, int ranking, long order) {
            this.hook = hook;
            this.ranking = ranking;
            this.order = order;
        }
    }

    private static final Comparator<Ranked<?>> BY_RANKING = Comparator.<Ranked<?>>comparingInt(r -> -r.ranking)
            .thenComparingLong(r -> r.order);

    private final AtomicLong order = new AtomicLong();
    private final List<Ranked<MessageGate>> gateEntries = new ArrayList<>(); // guarded by this
    private volatile MessageGate[] gates = new MessageGate[0];
    private volatile MessageTap[] taps = new MessageTap[0];
    private volatile RuntimeEventListener[] listeners = new RuntimeEventListener[0];
    private final Map<RuntimeEvent.Kind, LongAdder> events = new EnumMap<>(RuntimeEvent.Kind.class);
    final LongAdder lateReplies = new LongAdder();

    Hooks() {
        for (RuntimeEvent.Kind k : RuntimeEvent.Kind.values()) {
            events.put(k, new LongAdder());
        }
    }

    synchronized void addGate(MessageGate g, int ranking) {
        for (Ranked<MessageGate> r : gateEntries) {
            if (r.hook == g) {
                return;
            }
        }
        gateEntries.add(new Ranked<>(g, ranking, order.incrementAndGet()));
        gateEntries.sort(BY_RANKING);
        gates = gateEntries.stream().map(r -> r.hook).toArray(MessageGate[]::new);
    }

    synchronized void removeGate(MessageGate g) {
        gateEntries.removeIf(r -> r.hook == g);
        gates = gateEntries.stream().map(r -> r.hook).toArray(MessageGate[]::new);
    }

    synchronized void addTap(MessageTap t) {
        taps = add(taps, t, MessageTap[]::new);
    }

    synchronized void removeTap(MessageTap t) {
        taps = remove(taps, t, MessageTap[]::new);
    }

    synchronized void addListener(RuntimeEventListener l) {
        listeners = add(listeners, l, RuntimeEventListener[]::new);
    }

    synchronized void removeListener(RuntimeEventListener l) {
        listeners = remove(listeners, l, RuntimeEventListener[]::new);
    }

    /** Adds whichever hook interfaces {@code o} implements. */
    void add(Object o) {
        if (o instanceof MessageGate) {
            addGate((MessageGate) o, 0);
        }
        if (o instanceof MessageTap) {
            addTap((MessageTap) o);
        }
        if (o instanceof RuntimeEventListener) {
            addListener((RuntimeEventListener) o);
        }
    }

    void remove(Object o) {
        if (o instanceof MessageGate) {
            removeGate((MessageGate) o);
        }
        if (o instanceof MessageTap) {
            removeTap((MessageTap) o);
        }
        if (o instanceof RuntimeEventListener) {
            removeListener((RuntimeEventListener) o);
        }
    }

    private static <T> T[] add(T[] a, T x, java.util.function.IntFunction<T[]> mk) {
        for (T t : a) {
            if (t == x) {
                return a;
            }
        }
        T[] b = java.util.Arrays.copyOf(a, a.length + 1);
        b[a.length] = x;
        return b;
    }

    private static <T> T[] remove(T[] a, T x, java.util.function.IntFunction<T[]> mk) {
        List<T> out = new ArrayList<>();
        for (T t : a) {
            if (t != x) {
                out.add(t);
            }
        }
        return out.toArray(mk.apply(0));
    }

    /** Asks every gate; the first denial wins. A gate that throws denies (fail closed). */
    GateVerdict check(MessageContext ctx, Message m) {
        for (MessageGate g : gates) {
            GateVerdict v;
            try {
                v = g.check(ctx, m);
            } catch (RuntimeException e) {
                LOG.warn("message gate {} failed; the message is denied", g, e);
                return GateVerdict.deny(ErrorCode.INTERNAL, "a message gate failed");
            }
            if (v != null && !v.allowed()) {
                return v;
            }
        }
        return GateVerdict.ALLOW;
    }

    boolean tapping() {
        return taps.length > 0;
    }

    void tap(MessageTap.Direction d, MessageContext ctx, Message m, long nanos) {
        for (MessageTap t : taps) {
            try {
                t.onMessage(d, ctx, m, nanos);
            } catch (RuntimeException e) {
                LOG.warn("message tap {} failed", t, e);
            }
        }
    }

    /** Counts the event and tells every listener. */
    void emit(RuntimeEvent e) {
        events.get(e.kind()).increment();
        for (RuntimeEventListener l : listeners) {
            try {
                l.onEvent(e);
            } catch (RuntimeException ex) {
                LOG.warn("runtime event listener {} failed on {}", l, e.kind(), ex);
            }
        }
    }

    /** The runtime-wide counters by name (see {@link org.eipc.runtime.RuntimeMetrics#counters()}). */
    Map<String, Long> counters() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("sessions_opened", count(RuntimeEvent.Kind.SESSION_OPENED));
        m.put("sessions_closed", count(RuntimeEvent.Kind.SESSION_CLOSED));
        m.put("sessions_resumed", count(RuntimeEvent.Kind.SESSION_RESUMED));
        m.put("handshakes_failed", count(RuntimeEvent.Kind.HANDSHAKE_FAILED));
        m.put("frames_rejected", count(RuntimeEvent.Kind.FRAME_REJECTED));
        m.put("messages_denied", count(RuntimeEvent.Kind.MESSAGE_DENIED));
        m.put("quota_exceeded", count(RuntimeEvent.Kind.QUOTA_EXCEEDED));
        m.put("deadline_exceeded", count(RuntimeEvent.Kind.DEADLINE_EXCEEDED));
        m.put("late_replies", lateReplies.sum());
        m.put("key_changes", count(RuntimeEvent.Kind.KEY_CHANGED));
        m.put("transports_added", count(RuntimeEvent.Kind.TRANSPORT_ADDED));
        m.put("transports_removed", count(RuntimeEvent.Kind.TRANSPORT_REMOVED));
        return m;
    }

    private long count(RuntimeEvent.Kind k) {
        return events.get(k).sum();
    }
}
