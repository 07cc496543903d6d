package org.eipc.service.registry;

import java.util.Objects;

/** An entry was added or removed. Immutable. */
public final class RegistryEvent {

    /** What happened. */
    public enum Kind {
        ADDED, REMOVED
    }

    private final Kind kind;
    private final long id;
    private final ServiceEntry entry;

    public RegistryEvent(Kind kind, long id, ServiceEntry entry) {
        this.kind = Objects.requireNonNull(kind, "kind");
        this.id = id;
        this.entry = Objects.requireNonNull(entry, "entry");
    }

    public Kind kind() {
        return kind;
    }

    /** The registration's id, see {@link Registration#id()}. */
    public long id() {
        return id;
    }

    public ServiceEntry entry() {
        return entry;
    }

    @Override
    public String toString() {
        return "RegistryEvent[" + kind + " " + id + " " + entry + "]";
    }
}
