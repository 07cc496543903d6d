package org.eipc.runtime.impl;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;
import org.eipc.spi.keyring.KeyEntry;
import org.eipc.spi.keyring.KeyringProvider;
import org.eipc.spi.security.IntegrityProvider;
import org.eipc.spi.security.ReplayGuard;
import org.eipc.spi.security.ReplayGuardProvider;
import org.eipc.spi.transport.Transport;

/**
 * The providers the runtime currently sees. Bind and unbind are idempotent and tolerate either order (under greedy
 * binding a replacement arrives before the old one leaves): transports are kept in binding order and a scheme
 * resolves to the most recently bound transport serving it; single providers are swapped only if the one being
 * unbound is still the current one.
 */
final class Providers {
    /** Told when a transport leaves, so that endpoints drop the listeners and connections pinned to it. */
    interface TransportListener {
        void transportAdded(Transport t);

        void transportRemoved(Transport t);
    }

    /** Window of the built-in replay guard used when no ReplayGuardProvider is bound (the reference's 128). */
    static final int BUILT_IN_WINDOW = 128;

    private final CopyOnWriteArrayList<Transport> transports = new CopyOnWriteArrayList<>();
    private final CopyOnWriteArrayList<TransportListener> listeners = new CopyOnWriteArrayList<>();
    private volatile IntegrityProvider integrity;
    private volatile ReplayGuardProvider replay;
    private volatile KeyringProvider keyring;

    void addTransport(Transport t) {
        if (transports.addIfAbsent(t)) {
            for (TransportListener l : listeners) {
                l.transportAdded(t);
            }
        }
    }

    void removeTransport(Transport t) {
        if (transports.remove(t)) {
            for (TransportListener l : listeners) {
                l.transportRemoved(t);
            }
        }
    }

    /** The most recently bound transport serving {@code scheme}. */
    Transport transport(String scheme) {
        List<Transport> ts = transports;
        for (int i = ts.size() - 1; i >= 0; i--) {
            Transport t = ts.get(i);
            if (t.schemes().contains(scheme)) {
                return t;
            }
        }
        throw new IpcException(ErrorCode.TRANSPORT_UNAVAILABLE, "no transport serves scheme '" + scheme + "'");
    }

    /** True when a bound transport serves {@code scheme}. */
    boolean serves(String scheme) {
        for (Transport t : transports) {
            if (t.schemes().contains(scheme)) {
                return true;
            }
        }
        return false;
    }

    /** The schemes the bound transports serve, without repeats, in binding order. */
    List<String> schemes() {
        java.util.LinkedHashSet<String> out = new java.util.LinkedHashSet<>();
        for (Transport t : transports) {
            out.addAll(t.schemes());
        }
        return List.copyOf(out);
    }

    boolean isBound(Transport t) {
        return transports.contains(t);
    }

    void addListener(TransportListener l) {
        listeners.addIfAbsent(l);
    }

    void removeListener(TransportListener l) {
        listeners.remove(l);
    }

    // Single-use providers: every bound one is kept in binding order and the most recent wins, so a greedy
    // replacement bound before the old one is unbound takes over at once, and unbinding any of them in any order
    // leaves the newest remaining one in charge.
    private final CopyOnWriteArrayList<IntegrityProvider> integrities = new CopyOnWriteArrayList<>();
    private final CopyOnWriteArrayList<ReplayGuardProvider> replays = new CopyOnWriteArrayList<>();
    private final CopyOnWriteArrayList<KeyringProvider> keyrings = new CopyOnWriteArrayList<>();
    /** Keys of unbound keyrings inside their overlap, newest departure first; bounded. Guarded by itself. */
    private final List<KeyEntry> retained = new ArrayList<>();
    private static final int MAX_RETIRED = 16;
    private static final java.time.Duration RETIRED_MEMORY = java.time.Duration.ofDays(1);
    private final java.util.LinkedHashMap<String, KeyEntry> retired = new java.util.LinkedHashMap<>(); // by retained
    private List<KeyEntry> lastAccepted = List.of(); // guarded by retained
    private static final int MAX_RETAINED = 64;
    private volatile Duration keyringOverlap = Duration.ofMinutes(5);
    private volatile Clock clock = Clock.systemUTC();

    void integrity(IntegrityProvider p) {
        integrities.addIfAbsent(p);
        this.integrity = last(integrities);
    }

    void unsetIntegrity(IntegrityProvider p) {
        integrities.remove(p);
        this.integrity = last(integrities);
    }

    IntegrityProvider integrity() {
        IntegrityProvider p = integrity;
        if (p == null) {
            throw new IpcException(ErrorCode.CONFIG_INVALID, "no IntegrityProvider (HMAC-SHA256) is bound");
        }
        return p;
    }

    void replay(ReplayGuardProvider p) {
        replays.addIfAbsent(p);
        this.replay = last(replays);
    }

    void unsetReplay(ReplayGuardProvider p) {
        replays.remove(p);
        this.replay = last(replays);
    }

    /** A fresh guard from the bound provider, or the built-in window of 128 when none is bound. */
    ReplayGuard newReplayGuard() {
        ReplayGuardProvider p = replay;
        return p != null ? p.newGuard() : new ReplayWindow(BUILT_IN_WINDOW);
    }

    void keyring(KeyringProvider k) {
        keyrings.addIfAbsent(k);
        this.keyring = last(keyrings);
    }

    /**
     * Unbinds a keyring. Its keys stay accepted for {@link #keyringOverlap} (or until their own {@code retiresAt},
     * whichever is first), and its current key stays the sending key while no other keyring is bound, so that
     * swapping keyring bundles is a rotation like any other: peers still on the old key keep working.
     */
    void unsetKeyring(KeyringProvider k) {
        if (!keyrings.remove(k)) {
            return;
        }
        this.keyring = last(keyrings);
        Instant now = clock.instant();
        Instant until = now.plus(keyringOverlap);
        List<KeyEntry> kept = new ArrayList<>();
        try {
            for (KeyEntry e : k.accepted()) {
                Instant r = e.retiresAt();
                kept.add(e.retiringAt(r == null || r.isAfter(until) ? until : r));
            }
        } catch (RuntimeException e) {
            // a keyring that cannot list its keys any more leaves nothing behind
        }
        synchronized (retained) {
            retained.removeIf(e -> !e.acceptedAt(now));
            for (KeyEntry e : kept) {
                if (e.acceptedAt(now)) {
                    retained.removeIf(x -> x.id().equals(e.id()));
                    retained.add(0, e);
                }
            }
            while (retained.size() > MAX_RETAINED) {
                retained.remove(retained.size() - 1);
            }
        }
    }

    /** How long the keys of an unbound keyring stay accepted. */
    void keyringOverlap(Duration overlap) {
        if (overlap.isNegative()) {
            throw new IpcException(ErrorCode.CONFIG_INVALID, "keyring overlap " + overlap + " is negative");
        }
        this.keyringOverlap = overlap;
    }

    void clock(Clock c) {
        this.clock = c;
    }

    KeyringProvider keyring() {
        KeyringProvider k = keyring;
        if (k == null) {
            throw new IpcException(ErrorCode.KEY_UNKNOWN, "no keyring is bound");
        }
        return k;
    }

    /**
     * The key to send with: the bound keyring's current key or, while none is bound, the current key of the one
     * that left last (inside its overlap).
     *
     * @throws IpcException {@link ErrorCode#KEY_UNKNOWN} when there is none
     */
    KeyEntry currentKey() {
        KeyringProvider k = keyring;
        if (k != null) {
            return k.current();
        }
        Instant now = clock.instant();
        synchronized (retained) {
            for (KeyEntry e : retained) {
                if (e.acceptedAt(now)) {
                    return e;
                }
            }
        }
        throw new IpcException(ErrorCode.KEY_UNKNOWN, "no keyring is bound");
    }

    /**
     * Every key accepted now: the bound keyring's accepted keys, then those of unbound keyrings still inside their
     * overlap (by key id, the bound keyring wins). Empty when there are none.
     */
    List<KeyEntry> acceptedKeys() {
        List<KeyEntry> out = new ArrayList<>();
        KeyringProvider k = keyring;
        if (k != null) {
            out.addAll(k.accepted());
        }
        Instant now = clock.instant();
        synchronized (retained) {
            retained.removeIf(e -> !e.acceptedAt(now));
            for (KeyEntry e : retained) {
                if (out.stream().noneMatch(x -> x.id().equals(e.id()))) {
                    out.add(e);
                }
            }
            noteRetired(out, now);
        }
        return out;
    }

    /**
     * Keys whose overlap window ended recently (at most {@value #MAX_RETIRED}, for {@link #RETIRED_MEMORY}): never
     * accepted, kept only so that a peer still using one is told {@code KEY_RETIRED} instead of a bare
     * {@code AUTH_FAILED}.
     */
    List<KeyEntry> retiredKeys() {
        Instant now = clock.instant();
        synchronized (retained) {
            retired.values().removeIf(e -> e.retiresAt().plus(RETIRED_MEMORY).isBefore(now));
            return List.copyOf(retired.values());
        }
    }

    /** Keys accepted last time and gone now because their retirement time passed. Caller holds retained. */
    private void noteRetired(List<KeyEntry> now, Instant at) {
        for (KeyEntry e : lastAccepted) {
            if (e.retiresAt() != null && !e.acceptedAt(at) && now.stream().noneMatch(x -> x.id().equals(e.id()))) {
                retired.put(e.id(), e);
                while (retired.size() > MAX_RETIRED) {
                    retired.remove(retired.keySet().iterator().next());
                }
            }
        }
        for (KeyEntry e : now) {
            retired.remove(e.id()); // accepted again (promoted back)
        }
        lastAccepted = List.copyOf(now);
    }

    private static <T> T last(List<T> l) {
        Object[] a = l.toArray();
        @SuppressWarnings("unchecked")
        T t = a.length == 0 ? null : (T) a[a.length - 1];
        return t;
    }
}
