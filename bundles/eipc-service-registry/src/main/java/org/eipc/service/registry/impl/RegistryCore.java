package org.eipc.service.registry.impl;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import org.eipc.service.registry.RegistryEvent;
import org.eipc.service.registry.RegistryListener;
import org.eipc.service.registry.ServiceEntry;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's state, shared by every bundle's view and the remote handler: the entries (in an {@link EntryStore}),
 * who owns them, whether owners that can die silently (sessions) are still alive, and the watches. Registered as a
 * service of this private class, so only this bundle's components see it. Thread-safe.
 */
// immediate: entries of sessions must not vanish because, for a moment, no bundle uses the registry
@Component(service = RegistryCore.class, immediate = true)
public final class RegistryCore {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryCore.class);

    static final Comparator<Stored> ORDER = Comparator.<Stored, String>comparing(s -> s.entry.name())
            .thenComparing(s -> s.entry.version(), Comparator.reverseOrder()).thenComparingLong(s -> s.id);

    private static final class Watch implements AutoCloseable {
        final String owner;
        final RegistryListener listener;
        final List<Watch> in;

        Watch(String owner, RegistryListener listener, List<Watch> in) {
            this.owner = owner;
            this.listener = listener;
            this.in = in;
        }

        @Override
        public void close() {
            in.remove(this);
        }
    }

    private final EntryStore store;
    private final AtomicLong ids = new AtomicLong();
    private final Map<String, BooleanSupplier> liveness = new ConcurrentHashMap<>();
    private final List<Watch> watches = new CopyOnWriteArrayList<>();

    public RegistryCore() {
        this(new MemoryStore());
    }

    RegistryCore(EntryStore store) {
        this.store = store;
    }

    /**
     * @param alive for owners that can go away without telling (sessions): checked before every query and by the
     *        periodic sweep; null for owners that always say goodbye (bundles)
     * @return the registration id
     */
    long register(ServiceEntry entry, String owner, BooleanSupplier alive) {
        Objects.requireNonNull(entry, "entry");
        if (alive != null) {
            liveness.putIfAbsent(owner, alive);
        }
        Stored s = new Stored(ids.incrementAndGet(), entry.withOwner(owner));
        store.put(s);
        fire(RegistryEvent.Kind.ADDED, s);
        return s.id;
    }

    /** Removes one entry; with a non-null owner only when that owner holds it. */
    boolean unregister(long id, String owner) {
        Stored s = store.get(id);
        if (s == null || owner != null && !owner.equals(s.entry.owner())) {
            return false;
        }
        Stored removed = store.remove(id);
        if (removed == null) {
            return false;
        }
        fire(RegistryEvent.Kind.REMOVED, removed);
        return true;
    }

    /** Removes every entry and watch of an owner that went away. */
    int removeOwner(String owner) {
        liveness.remove(owner);
        watches.removeIf(w -> w.owner.equals(owner));
        List<Stored> gone = store.removeOwner(owner);
        for (Stored s : gone) {
            fire(RegistryEvent.Kind.REMOVED, s);
        }
        if (!gone.isEmpty()) {
            LOG.debug("registry: {} entr(y/ies) of {} removed", gone.size(), owner);
        }
        return gone.size();
    }

    /** Drops the entries of owners that are no longer alive. Costs one check per such owner. */
    void sweep() {
        for (Map.Entry<String, BooleanSupplier> e : liveness.entrySet()) {
            if (!e.getValue().getAsBoolean()) {
                removeOwner(e.getKey());
            }
        }
    }

    boolean contains(long id) {
        return store.get(id) != null;
    }

    int count(String owner) {
        return store.countOwner(owner);
    }

    int size() {
        return store.size();
    }

    List<ServiceEntry> lookupAll(String name) {
        sweep();
        return sorted(store.byName(Objects.requireNonNull(name, "name")));
    }

    List<ServiceEntry> findByCapability(String capability) {
        sweep();
        return sorted(store.byCapability(Objects.requireNonNull(capability, "capability")));
    }

    List<ServiceEntry> list() {
        sweep();
        return sorted(store.all());
    }

    private static List<ServiceEntry> sorted(List<Stored> l) {
        return l.stream().sorted(ORDER).map(s -> s.entry).collect(Collectors.toUnmodifiableList());
    }

    AutoCloseable watch(String owner, RegistryListener listener) {
        Watch w = new Watch(owner, Objects.requireNonNull(listener, "listener"), watches);
        watches.add(w);
        return w;
    }

    private void fire(RegistryEvent.Kind kind, Stored s) {
        RegistryEvent ev = new RegistryEvent(kind, s.id, s.entry);
        for (Watch w : watches) {
            try {
                w.listener.changed(ev);
            } catch (RuntimeException e) {
                LOG.warn("registry: listener of {} failed on {}", w.owner, ev, e);
            }
        }
    }
}
