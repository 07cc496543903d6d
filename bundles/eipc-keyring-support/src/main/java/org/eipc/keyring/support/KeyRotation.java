package org.eipc.keyring.support;

import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;
import org.eipc.spi.keyring.KeyEntry;

/**
 * Which key is current and which are still accepted, given successive views of a key source (a directory, a
 * key store). Pure state: no I/O and no threads; time comes from the injected {@link Clock}.
 *
 * <ul>
 * <li><b>Current</b>: the pinned id when a key with that id is present, else the present key with the newest
 * {@link KeyEntry#created()} (ties: the greatest id). None when the source is empty.</li>
 * <li><b>Rotation</b>: when the current key changes while running, the previous one stays accepted until
 * {@code now + overlap} ({@link KeyEntry#retiresAt()} set), then it is retired.</li>
 * <li><b>Removal</b>: a removed current key is handled like a rotation (it retires after the overlap, so a
 * peer that has not switched yet is not cut off the moment an operator deletes a file); a key already in its
 * overlap keeps its retirement time.</li>
 * <li><b>Start</b>: the first view has no history, so every present non-current key is taken to have been
 * replaced when the current key was created, and retires at {@code current.created + overlap}. A restart
 * shortly after a rotation keeps the previous key accepted; a long-replaced key is not revived.</li>
 * <li>A present key that is neither current nor in its overlap is not accepted.</li>
 * <li>A key whose material changes under the same id replaces the old material at once (ids name keys; never
 * reuse one for new material).</li>
 * </ul>
 *
 * Thread-safe: updates are synchronized, reads use an immutable snapshot.
 */
public final class KeyRotation {
    private static final Comparator<KeyEntry> NEWEST_FIRST =
            Comparator.comparing(KeyEntry::created).thenComparing(KeyEntry::id).reversed();

    private final String pinnedId;
    private final Duration overlap;
    private final Clock clock;

    private Map<String, KeyEntry> present = Map.of();
    private final Map<String, KeyEntry> retiring = new HashMap<>();
    private KeyEntry current;
    private boolean started;
    private List<KeyEntry> lastView = List.of();
    private volatile Snapshot snapshot = new Snapshot(null, List.of());

    /** The current key and the keys in their overlap (latest retirement first, then newest key first). */
    private static final class Snapshot {
        final KeyEntry current;
        final List<KeyEntry> retiring;

        Snapshot(KeyEntry current, List<KeyEntry> retiring) {
            this.current = current;
            this.retiring = retiring;
        }
    }

    /**
     * @param pinnedId the id to send with while present, or {@code ""} to use the newest key
     * @param overlap how long a replaced or removed key stays accepted
     */
    public KeyRotation(String pinnedId, Duration overlap, Clock clock) {
        this.pinnedId = pinnedId == null ? "" : pinnedId;
        this.overlap = overlap;
        this.clock = clock;
    }

    /**
     * Applies a complete view of the source (id to key, {@code retiresAt} unset).
     *
     * @return true when the current key or the accepted keys changed since the last call that returned
     */
    public synchronized boolean update(Collection<KeyEntry> view) {
        final Instant now = clock.instant();
        Map<String, KeyEntry> next = new HashMap<>();
        for (KeyEntry e : view) {
            KeyEntry old = present.get(e.id());
            // keep the old object for unchanged keys so that listeners and callers see a stable identity
            next.put(e.id(), old != null && sameKey(old, e) ? old : e);
        }
        KeyEntry nextCurrent = choose(next);
        if (!started) {
            started = true;
            if (nextCurrent != null) {
                Instant retire = nextCurrent.created().plus(overlap);
                for (KeyEntry e : next.values()) {
                    if (e != nextCurrent && e.created().isBefore(nextCurrent.created()) && now.isBefore(retire)) {
                        retiring.put(e.id(), e.retiringAt(retire));
                    }
                }
            }
        } else if (current != null && (nextCurrent == null || !nextCurrent.id().equals(current.id()))) {
            Instant retire = now.plus(overlap);
            KeyEntry already = retiring.get(current.id());
            if (already == null || already.retiresAt().isAfter(retire)) {
                retiring.put(current.id(), current.retiringAt(retire));
            }
        }
        if (nextCurrent != null) {
            retiring.remove(nextCurrent.id()); // promoted again
        }
        present = next;
        current = nextCurrent;
        return publish(now);
    }

    /** Drops keys whose overlap is over. @return true when that changed the accepted keys. */
    public synchronized boolean expire() {
        return publish(clock.instant());
    }

    private boolean publish(Instant now) {
        retiring.values().removeIf(e -> !e.acceptedAt(now));
        List<KeyEntry> r = new ArrayList<>(retiring.values());
        r.sort(Comparator.comparing(KeyEntry::retiresAt).thenComparing(KeyEntry::created).thenComparing(KeyEntry::id)
                .reversed());
        snapshot = new Snapshot(current, List.copyOf(r));
        List<KeyEntry> view = acceptedAt(snapshot, now);
        boolean changed = !sameView(view, lastView);
        lastView = view;
        return changed;
    }

    private KeyEntry choose(Map<String, KeyEntry> keys) {
        if (!pinnedId.isEmpty() && keys.containsKey(pinnedId)) {
            return keys.get(pinnedId);
        }
        return keys.values().stream().min(NEWEST_FIRST).orElse(null);
    }

    /** @throws IpcException {@link ErrorCode#KEY_UNKNOWN} when no key is present */
    public KeyEntry current() {
        KeyEntry c = snapshot.current;
        if (c == null) {
            throw new IpcException(ErrorCode.KEY_UNKNOWN, "the keyring holds no key to send with");
        }
        return c;
    }

    public List<KeyEntry> accepted() {
        return acceptedAt(snapshot, clock.instant());
    }

    public Optional<KeyEntry> find(String keyId) {
        Instant now = clock.instant();
        Snapshot s = snapshot;
        if (s.current != null && s.current.id().equals(keyId)) {
            return Optional.of(s.current);
        }
        for (KeyEntry e : s.retiring) {
            if (e.id().equals(keyId) && e.acceptedAt(now)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    private static List<KeyEntry> acceptedAt(Snapshot s, Instant now) {
        List<KeyEntry> out = new ArrayList<>(1 + s.retiring.size());
        if (s.current != null) {
            out.add(s.current);
        }
        for (KeyEntry e : s.retiring) {
            if (e.acceptedAt(now)) {
                out.add(e);
            }
        }
        return List.copyOf(out);
    }

    private static boolean sameView(List<KeyEntry> a, List<KeyEntry> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            KeyEntry x = a.get(i);
            KeyEntry y = b.get(i);
            if (!x.id().equals(y.id()) || !sameKey(x, y) || !java.util.Objects.equals(x.retiresAt(), y.retiresAt())) {
                return false;
            }
        }
        return true;
    }

    /** Same id, creation time and material. Compares in constant time and wipes the copies. */
    public static boolean sameKey(KeyEntry a, KeyEntry b) {
        if (a == b) {
            return true;
        }
        if (!a.id().equals(b.id()) || !a.created().equals(b.created())) {
            return false;
        }
        byte[] x = a.key().getEncoded();
        byte[] y = b.key().getEncoded();
        try {
            return x != null && y != null && MessageDigest.isEqual(x, y);
        } finally {
            if (x != null) {
                Arrays.fill(x, (byte) 0);
            }
            if (y != null) {
                Arrays.fill(y, (byte) 0);
            }
        }
    }
}
