package org.eipc.service.registry.impl;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The entries of this process, indexed by id, name, capability and owner under one lock (a control-plane store). */
final class MemoryStore implements EntryStore {
    private final Map<Long, Stored> byId = new LinkedHashMap<>();
    private final Map<String, Map<Long, Stored>> byName = new HashMap<>();
    private final Map<String, Map<Long, Stored>> byCapability = new HashMap<>();
    private final Map<String, Map<Long, Stored>> byOwner = new HashMap<>();

    @Override
    public synchronized void put(Stored s) {
        byId.put(s.id, s);
        index(byName, s.entry.name(), s);
        index(byOwner, s.entry.owner(), s);
        for (String c : s.entry.capabilities()) {
            index(byCapability, c, s);
        }
    }

    private static void index(Map<String, Map<Long, Stored>> index, String key, Stored s) {
        index.computeIfAbsent(key, k -> new LinkedHashMap<>()).put(s.id, s);
    }

    private static void unindex(Map<String, Map<Long, Stored>> index, String key, long id) {
        Map<Long, Stored> m = index.get(key);
        if (m != null && m.remove(id) != null && m.isEmpty()) {
            index.remove(key);
        }
    }

    @Override
    public synchronized Stored remove(long id) {
        Stored s = byId.remove(id);
        if (s != null) {
            unindex(byName, s.entry.name(), id);
            unindex(byOwner, s.entry.owner(), id);
            for (String c : s.entry.capabilities()) {
                unindex(byCapability, c, id);
            }
        }
        return s;
    }

    @Override
    public synchronized List<Stored> removeOwner(String owner) {
        List<Stored> out = copy(byOwner.get(owner));
        for (Stored s : out) {
            remove(s.id);
        }
        return out;
    }

    @Override
    public synchronized Stored get(long id) {
        return byId.get(id);
    }

    @Override
    public synchronized List<Stored> byName(String name) {
        return copy(byName.get(name));
    }

    @Override
    public synchronized List<Stored> byCapability(String capability) {
        return copy(byCapability.get(capability));
    }

    @Override
    public synchronized List<Stored> all() {
        return new ArrayList<>(byId.values());
    }

    @Override
    public synchronized int countOwner(String owner) {
        Map<Long, Stored> m = byOwner.get(owner);
        return m == null ? 0 : m.size();
    }

    @Override
    public synchronized int size() {
        return byId.size();
    }

    private static List<Stored> copy(Map<Long, Stored> m) {
        return m == null ? new ArrayList<>() : new ArrayList<>(m.values());
    }
}
