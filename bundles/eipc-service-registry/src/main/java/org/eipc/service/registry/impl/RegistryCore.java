package org.eipc.service.registry.impl;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import org.eipc.service.registry.RegistryEvent;
import org.eipc.service.registry.RegistryListener;
import org.eipc.service.registry.ServiceEntry;
import org.eipc.service.registry.federation.RegistryFederation;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's state, shared by every bundle's view and the remote handler: the entries (in an {@link EntryStore}),
 * who owns them, whether owners that can die silently (sessions) are still alive, and the watches. Registered as a
 * service of this private class, so only this bundle's components see it. Thread-safe.
 *
 * <p>Every bound {@link RegistryFederation} learns each local entry as it comes and goes, and the entries of other
 * hosts it knows are merged into every query: after the local entries of the same name and version, so a remote
 * entry never shadows a local one. Watches see local entries only.
 */
// immediate: entries of sessions must not vanish because, for a moment, no bundle uses the registry
@Component(service = RegistryCore.class, immediate = true)
public final class RegistryCore {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryCore.class);

    static final Comparator<Stored> ORDER = Comparator.<Stored, String>comparing(s -> s.entry.name())
            .thenComparing(s -> s.entry.version(), Comparator.reverseOrder()).thenComparingLong(s -> s.id);
    /** Name, then highest version first: where local and remote entries meet. */
    private static final Comparator<ServiceEntry> NAME_VERSION = Comparator.comparing(ServiceEntry::name)
            .thenComparing(ServiceEntry::version, Comparator.reverseOrder());
    private static final Comparator<ServiceEntry> REMOTE_ORDER = NAME_VERSION
            .thenComparing(e -> e.properties().get(RegistryFederation.ORIGIN)).thenComparing(ServiceEntry::owner);

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
    private final List<RegistryFederation> federations = new CopyOnWriteArrayList<>();
    /** Orders announcements and withdrawals against a federation's binding, so none learns a withdrawn entry. */
    private final Object federationLock = new Object();
    private final AtomicLong federationFailures = new AtomicLong();

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
        if (entry.properties().containsKey(RegistryFederation.ORIGIN)) {
            throw new IllegalArgumentException("property " + RegistryFederation.ORIGIN
                    + " is reserved: it marks entries of other hosts");
        }
        if (alive != null) {
            liveness.putIfAbsent(owner, alive);
        }
        Stored s = new Stored(ids.incrementAndGet(), entry.withOwner(owner));
        store.put(s);
        announce(s);
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
        withdraw(removed);
        fire(RegistryEvent.Kind.REMOVED, removed);
        return true;
    }

    /** Removes every entry and watch of an owner that went away. */
    int removeOwner(String owner) {
        liveness.remove(owner);
        watches.removeIf(w -> w.owner.equals(owner));
        List<Stored> gone = store.removeOwner(owner);
        for (Stored s : gone) {
            withdraw(s);
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
        Objects.requireNonNull(name, "name");
        sweep();
        return merged(store.byName(name), e -> name.equals(e.name()));
    }

    List<ServiceEntry> findByCapability(String capability) {
        Objects.requireNonNull(capability, "capability");
        sweep();
        return merged(store.byCapability(capability), e -> e.capabilities().contains(capability));
    }

    List<ServiceEntry> list() {
        sweep();
        return merged(store.all(), e -> true);
    }

    /** The local entries in {@link #ORDER}, merged with the matching remote ones; local first on a tie. */
    private List<ServiceEntry> merged(List<Stored> local, Predicate<ServiceEntry> match) {
        List<ServiceEntry> mine = local.stream().sorted(ORDER).map(s -> s.entry).collect(Collectors.toList());
        List<ServiceEntry> remote = remote(match);
        if (remote.isEmpty()) {
            return List.copyOf(mine);
        }
        List<ServiceEntry> out = new ArrayList<>(mine.size() + remote.size());
        int i = 0;
        int j = 0;
        while (i < mine.size() || j < remote.size()) {
            if (j == remote.size() || i < mine.size() && NAME_VERSION.compare(mine.get(i), remote.get(j)) <= 0) {
                out.add(mine.get(i++));
            } else {
                out.add(remote.get(j++));
            }
        }
        return List.copyOf(out);
    }

    private List<ServiceEntry> remote(Predicate<ServiceEntry> match) {
        if (federations.isEmpty()) {
            return List.of();
        }
        List<ServiceEntry> out = new ArrayList<>();
        HashSet<ServiceEntry> seen = new HashSet<>(); // two federations may know the same host
        for (RegistryFederation f : federations) {
            try {
                for (ServiceEntry e : f.remoteEntries()) {
                    if (e.properties().containsKey(RegistryFederation.ORIGIN) && match.test(e) && seen.add(e)) {
                        out.add(e);
                    }
                }
            } catch (RuntimeException ex) {
                federationFailed(f, "remoteEntries", ex);
            }
        }
        out.sort(REMOTE_ORDER);
        return out;
    }

    // ---- federations (dynamic, multiple, greedy: each one bound learns every local entry) ---------------------

    @Reference(name = "federation", service = RegistryFederation.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            unbind = "unbindFederation")
    public void bindFederation(RegistryFederation f) { // public (in this private package) for other modules' tests
        synchronized (federationLock) {
            federations.add(f);
            for (Stored s : store.all()) {
                try {
                    f.announce(s.id, s.entry);
                } catch (RuntimeException e) {
                    federationFailed(f, "announce", e);
                }
            }
        }
        LOG.debug("registry: federation {} bound", f);
    }

    public void unbindFederation(RegistryFederation f) {
        synchronized (federationLock) {
            federations.remove(f);
        }
        LOG.debug("registry: federation {} unbound", f);
    }

    private void announce(Stored s) {
        synchronized (federationLock) {
            for (RegistryFederation f : federations) {
                try {
                    f.announce(s.id, s.entry);
                } catch (RuntimeException e) {
                    federationFailed(f, "announce", e);
                }
            }
        }
    }

    private void withdraw(Stored s) {
        synchronized (federationLock) {
            for (RegistryFederation f : federations) {
                try {
                    f.withdraw(s.id);
                } catch (RuntimeException e) {
                    federationFailed(f, "withdraw", e);
                }
            }
        }
    }

    private void federationFailed(RegistryFederation f, String what, RuntimeException e) {
        long n = federationFailures.incrementAndGet();
        if (Long.bitCount(n) == 1) { // 1, 2, 4, 8, ...: a broken federation must not flood the log
            LOG.warn("registry: federation {} failed in {} ({} failures so far)", f, what, n, e);
        }
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
