package org.eipc.service.registry.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import org.eipc.service.registry.Registration;
import org.eipc.service.registry.RegistryEvent;
import org.eipc.service.registry.ServiceEntry;
import org.eipc.service.registry.ServiceVersion;
import org.junit.jupiter.api.Test;

class BundleRegistryTest {
    private final RegistryCore core = new RegistryCore();
    private final BundleRegistry app = new BundleRegistry(core, "bundle:7/org.example.app");
    private final BundleRegistry other = new BundleRegistry(core, "bundle:8/org.example.other");

    private static ServiceEntry entry(String name, String version, String... caps) {
        return ServiceEntry.builder(name, ServiceVersion.parse(version)).capability(caps)
                .transport(URI.create("unix:///run/eipc/" + name + ".sock")).property("zone", "a").build();
    }

    private static List<String> versions(List<ServiceEntry> l) {
        return l.stream().map(e -> e.name() + "@" + e.version()).collect(Collectors.toList());
    }

    @Test
    void shouldLookUpTheHighestVersionAndListAllVersionsInOrder() {
        app.register(entry("ui", "1.9.0"));
        other.register(entry("ui", "1.10.0"));
        app.register(entry("ui", "1.10.0-rc.1"));
        assertEquals("1.10.0", app.lookup("ui").orElseThrow().version().toString());
        assertEquals("bundle:8/org.example.other", app.lookup("ui").orElseThrow().owner());
        assertEquals(List.of("ui@1.10.0", "ui@1.10.0-rc.1", "ui@1.9.0"), versions(app.lookupAll("ui")));
        assertTrue(app.lookup("nothing").isEmpty());
    }

    @Test
    void shouldFindByCapabilityOrderedByNameThenVersion() {
        app.register(entry("zeta", "1.0.0", "ui:control"));
        app.register(entry("alpha", "1.0.0", "ui:control", "device:read"));
        app.register(entry("alpha", "2.0.0", "device:read"));
        app.register(entry("beta", "3.0.0", "ui:control"));
        assertEquals(List.of("alpha@1.0.0", "beta@3.0.0", "zeta@1.0.0"), versions(app.findByCapability("ui:control")));
        assertEquals(List.of("alpha@2.0.0", "alpha@1.0.0"), versions(app.findByCapability("device:read")));
        assertEquals(4, app.list().size());
    }

    @Test
    void shouldRemoveAnEntryWhenItsRegistrationCloses() {
        Registration r = app.register(entry("ui", "1.0.0"));
        assertTrue(r.isActive());
        assertEquals("bundle:7/org.example.app", r.entry().owner());
        r.close();
        r.close();
        assertFalse(r.isActive());
        assertTrue(app.lookup("ui").isEmpty());
    }

    @Test
    void shouldRemoveEveryEntryAndWatchOfABundleThatGoes() throws Exception {
        List<RegistryEvent> seenByApp = new CopyOnWriteArrayList<>();
        List<RegistryEvent> seenByOther = new CopyOnWriteArrayList<>();
        app.watch(seenByApp::add);
        AutoCloseable w = other.watch(seenByOther::add);
        app.register(entry("ui", "1.0.0"));
        app.register(entry("device", "1.0.0"));
        other.register(entry("chat", "1.0.0"));
        app.deactivate();
        assertEquals(List.of("chat@1.0.0"), versions(other.list()));
        assertEquals(3, seenByApp.size(), "the departed bundle's watch ends with it");
        assertEquals(List.of(RegistryEvent.Kind.ADDED, RegistryEvent.Kind.ADDED, RegistryEvent.Kind.ADDED,
                RegistryEvent.Kind.REMOVED, RegistryEvent.Kind.REMOVED),
                seenByOther.stream().map(RegistryEvent::kind).collect(Collectors.toList()));
        w.close();
        other.register(entry("x", "1.0.0"));
        assertEquals(5, seenByOther.size());
    }

    @Test
    void shouldDropEntriesOfADeadOwnerBeforeAQuery() {
        AtomicBoolean open = new AtomicBoolean(true);
        core.register(entry("remote", "1.0.0"), "session:s1", open::get);
        assertEquals(1, app.lookupAll("remote").size());
        open.set(false);
        assertTrue(app.lookup("remote").isEmpty());
        assertEquals(0, core.size());
    }

    @Test
    void shouldKeepAListenerFailureFromStoppingOthers() {
        List<RegistryEvent> seen = new CopyOnWriteArrayList<>();
        app.watch(e -> {
            throw new IllegalStateException("boom");
        });
        app.watch(seen::add);
        app.register(entry("ui", "1.0.0"));
        assertEquals(1, seen.size());
    }
}
