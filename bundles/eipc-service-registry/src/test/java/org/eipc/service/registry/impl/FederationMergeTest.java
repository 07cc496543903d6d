package org.eipc.service.registry.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import org.eipc.service.registry.Registration;
import org.eipc.service.registry.ServiceEntry;
import org.eipc.service.registry.ServiceVersion;
import org.eipc.service.registry.federation.RegistryFederation;
import org.junit.jupiter.api.Test;

/** The registry's side of federation: what a bound federation learns, and how remote entries merge into queries. */
class FederationMergeTest {
    private final RegistryCore core = new RegistryCore();
    private final BundleRegistry app = new BundleRegistry(core, "bundle:7/org.example.app");

    /** Records announcements; serves a fixed list of remote entries. */
    static final class FakeFederation implements RegistryFederation {
        final Map<Long, ServiceEntry> announced = new ConcurrentHashMap<>();
        final List<ServiceEntry> remote = new CopyOnWriteArrayList<>();

        @Override
        public void announce(long id, ServiceEntry entry) {
            announced.put(id, entry);
        }

        @Override
        public void withdraw(long id) {
            announced.remove(id);
        }

        @Override
        public List<ServiceEntry> remoteEntries() {
            return List.copyOf(remote);
        }
    }

    private static ServiceEntry entry(String name, String version, String... caps) {
        return ServiceEntry.builder(name, ServiceVersion.parse(version)).capability(caps)
                .transport(URI.create("unix:///run/eipc/" + name + ".sock")).build();
    }

    private static ServiceEntry remote(String host, String name, String version, String... caps) {
        return ServiceEntry.builder(name, ServiceVersion.parse(version)).capability(caps)
                .transport(URI.create("nats://10.0.0.2:4222/" + name)).property(RegistryFederation.ORIGIN, host)
                .build().withOwner("bundle:3/org.example." + name);
    }

    private static List<String> describe(List<ServiceEntry> l) {
        return l.stream().map(e -> e.name() + "@" + e.version() + "/" + e.properties()
                .getOrDefault(RegistryFederation.ORIGIN, "local")).collect(Collectors.toList());
    }

    @Test
    void shouldAnnounceExistingEntriesOnBindAndLaterOnesAsTheyComeAndGo() {
        Registration before = app.register(entry("ui", "1.0.0"));
        FakeFederation f = new FakeFederation();
        core.bindFederation(f);
        assertEquals(Map.of(before.id(), before.entry()), f.announced);
        Registration after = app.register(entry("chat", "2.0.0"));
        assertEquals(2, f.announced.size());
        before.close();
        assertEquals(Map.of(after.id(), after.entry()), f.announced);
        app.deactivate();
        assertTrue(f.announced.isEmpty(), "a departing bundle's entries are withdrawn");
        core.unbindFederation(f);
    }

    @Test
    void shouldMergeRemoteEntriesAfterLocalOnesOfTheSameNameAndVersion() {
        FakeFederation f = new FakeFederation();
        core.bindFederation(f);
        f.remote.add(remote("host-b", "billing", "1.2.0", "pay"));
        f.remote.add(remote("host-b", "billing", "1.3.0", "pay"));
        app.register(entry("billing", "1.2.0", "pay"));
        app.register(entry("audit", "1.0.0", "pay"));
        assertEquals(List.of("billing@1.3.0/host-b", "billing@1.2.0/local", "billing@1.2.0/host-b"),
                describe(app.lookupAll("billing")));
        assertEquals("host-b", app.lookup("billing").orElseThrow().properties().get(RegistryFederation.ORIGIN));
        assertEquals(List.of("audit@1.0.0/local", "billing@1.3.0/host-b", "billing@1.2.0/local",
                "billing@1.2.0/host-b"), describe(app.findByCapability("pay")));
        assertEquals(4, app.list().size());
        core.unbindFederation(f);
        assertEquals(List.of("billing@1.2.0/local"), describe(app.lookupAll("billing")));
    }

    @Test
    void shouldIgnoreEntriesWithoutOriginAndDuplicatesAcrossFederations() {
        FakeFederation a = new FakeFederation();
        FakeFederation b = new FakeFederation();
        core.bindFederation(a);
        core.bindFederation(b);
        a.remote.add(remote("host-b", "billing", "1.2.0"));
        b.remote.add(remote("host-b", "billing", "1.2.0"));
        b.remote.add(entry("billing", "9.0.0"));
        assertEquals(List.of("billing@1.2.0/host-b"), describe(app.lookupAll("billing")));
    }

    @Test
    void shouldKeepAnsweringWhenAFederationFails() {
        core.bindFederation(new RegistryFederation() {
            @Override
            public void announce(long id, ServiceEntry entry) {
                throw new IllegalStateException("down");
            }

            @Override
            public void withdraw(long id) {
                throw new IllegalStateException("down");
            }

            @Override
            public List<ServiceEntry> remoteEntries() {
                throw new IllegalStateException("down");
            }
        });
        Registration r = app.register(entry("ui", "1.0.0"));
        assertEquals(List.of("ui@1.0.0/local"), describe(app.lookupAll("ui")));
        r.close();
        assertTrue(app.list().isEmpty());
    }

    @Test
    void shouldRefuseALocalEntryThatClaimsAnOrigin() {
        assertThrows(IllegalArgumentException.class, () -> app.register(remote("host-x", "ui", "1.0.0")));
        assertEquals(0, core.size());
    }
}
