package org.eipc.service.registry.impl;

import java.util.List;

/**
 * Where entries live, behind the few operations the registry needs, so that a store that also publishes entries to
 * other hosts (NATS) can replace the in-memory one. Implementations are thread-safe; lists they return are copies.
 */
interface EntryStore {

    void put(Stored s);

    /** @return the removed entry, or null when there was none with this id */
    Stored remove(long id);

    /** Removes every entry of {@code owner}; returns them. */
    List<Stored> removeOwner(String owner);

    Stored get(long id);

    List<Stored> byName(String name);

    List<Stored> byCapability(String capability);

    List<Stored> all();

    int countOwner(String owner);

    int size();
}
