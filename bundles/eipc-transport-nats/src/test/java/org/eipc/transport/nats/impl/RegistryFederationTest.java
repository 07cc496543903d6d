package org.eipc.transport.nats.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import org.eipc.service.registry.Registration;
import org.eipc.service.registry.ServiceEntry;
import org.eipc.service.registry.ServiceRegistry;
import org.eipc.service.registry.ServiceVersion;
import org.eipc.service.registry.federation.RegistryFederation;
import org.eipc.service.registry.impl.BundleRegistry;
import org.eipc.service.registry.impl.RegistryCore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue #9, cross-host discovery: two registries, each with a {@link NatsRegistryFederation} on its own node of a
 * real two-node NATS cluster (or one server), find each other's services by name and capability, and lose them when
 * they are closed, when a host stops cleanly, and after the time to live when a host stops without a word.
 */
class RegistryFederationTest {
    private static final String PREFIX = "eipc.registry.test";
    private static final Duration DEADLINE = Duration.ofSeconds(10);
    private final Closer closer = new Closer();

    @AfterEach
    void closeAll() throws Exception {
        closer.close();
    }

    private <T extends AutoCloseable> T closing(T c) {
        return closer.add(c);
    }

    private NatsRegistryFederation federation(NatsServer node, String host, long intervalMillis, long ttlMillis) {
        return closing(new NatsRegistryFederation(NatsRegistryFederation.servers("127.0.0.1:" + node.port(), PREFIX),
                host, intervalMillis, ttlMillis, 1000, NatsClientOptions.defaults()));
    }

    private static ServiceRegistry registry(RegistryFederation f, String owner) {
        RegistryCore core = new RegistryCore();
        core.bindFederation(f);
        return new BundleRegistry(core, owner);
    }

    private static ServiceEntry billing(String version, URI nats) {
        return ServiceEntry.builder("billing", ServiceVersion.parse(version)).capability("pay")
                .transport(URI.create("unix:///run/eipc/billing.sock"), nats).property("zone", "a").build();
    }

    /** Polls {@code condition} until it holds or the deadline passes (a control plane: no event to wait on). */
    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(what + ": not within " + DEADLINE);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }

    @Test
    void shouldFindAServiceOfAnotherHostByNameAndCapabilityUntilItIsClosedOrItsHostStops() {
        List<NatsServer> nodes = NatsServer.cluster(2);
        nodes.forEach(this::closing);
        // a long time to live: whatever vanishes here went because it was withdrawn, not because it expired
        NatsRegistryFederation fa = federation(nodes.get(0), "host-a", 1000, 60_000);
        NatsRegistryFederation fb = federation(nodes.get(1), "host-b", 1000, 60_000);
        ServiceRegistry a = registry(fa, "bundle:7/org.example.billing");
        ServiceRegistry b = registry(fb, "bundle:9/org.example.shop");
        await("both federations connected", () -> fa.isConnected() && fb.isConnected());

        URI natsA = nodes.get(0).uri("a");
        Registration r = a.register(billing("1.2.0", natsA));
        await("host B finds billing", () -> b.lookup("billing").isPresent());
        ServiceEntry found = b.lookup("billing").orElseThrow();
        assertEquals("1.2.0", found.version().toString());
        assertEquals(List.of(URI.create("unix:///run/eipc/billing.sock"), natsA), found.transports());
        assertEquals("host-a", found.properties().get(RegistryFederation.ORIGIN));
        assertEquals("a", found.properties().get("zone"));
        assertEquals("bundle:7/org.example.billing", found.owner());
        assertEquals(List.of(found), b.findByCapability("pay"));
        assertEquals(List.of(r.entry()), a.lookupAll("billing"), "a host never sees its own entries as remote");

        r.close();
        await("host B no longer finds the closed billing", () -> b.lookup("billing").isEmpty());
        assertTrue(b.findByCapability("pay").isEmpty());

        b.register(billing("2.0.0", nodes.get(1).uri("b")));
        await("host A finds B's billing", () -> a.lookup("billing").isPresent());
        fb.close(); // a clean stop withdraws every entry of host B at once
        await("host A drops the entries of B, which stopped cleanly", () -> a.lookup("billing").isEmpty());
        assertEquals(0, fa.droppedMessages());
    }

    @Test
    void shouldDropTheEntriesOfAHostThatStopsWithoutAWordAfterTheirTimeToLive() {
        List<NatsServer> nodes = NatsServer.cluster(2);
        nodes.forEach(this::closing);
        NatsRegistryFederation fa = federation(nodes.get(0), "host-a", 250, 1500);
        NatsRegistryFederation fb = federation(nodes.get(1), "host-b", 250, 1500);
        ServiceRegistry a = registry(fa, "bundle:7/org.example.billing");
        ServiceRegistry b = registry(fb, "bundle:9/org.example.shop");
        a.register(billing("1.2.0", nodes.get(0).uri("a")));
        await("host B finds billing", () -> b.lookup("billing").isPresent());

        long halted = System.nanoTime();
        fa.halt(); // what a crashed host looks like to the others: no withdrawal, the announcements just stop
        assertTrue(b.lookup("billing").isPresent(), "kept while its time to live runs");
        await("host B drops billing after the time to live", () -> b.lookup("billing").isEmpty());
        long gone = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - halted);
        assertTrue(gone >= 1500 - 250 - 100, "dropped after " + gone + " ms, before its time to live");
        assertTrue(b.findByCapability("pay").isEmpty());
    }

    @Test
    void shouldLearnTheEntriesOfHostsThatWereThereFirstByAskingThem() {
        NatsServer server = closing(NatsServer.single());
        // announcements only every minute: a late host can only learn A's entry by its query
        NatsRegistryFederation fa = federation(server, "host-a", 60_000, 180_000);
        ServiceRegistry a = registry(fa, "bundle:7/org.example.billing");
        a.register(billing("1.2.0", server.uri("a")));
        await("host A connected", fa::isConnected);

        NatsRegistryFederation fb = federation(server, "host-b", 60_000, 180_000);
        ServiceRegistry b = registry(fb, "bundle:9/org.example.shop");
        await("the late host B finds billing", () -> b.lookup("billing").isPresent());
        assertEquals("host-a", b.lookup("billing").orElseThrow().properties().get(RegistryFederation.ORIGIN));
        assertFalse(a.lookup("billing").orElseThrow().properties().containsKey(RegistryFederation.ORIGIN));
    }
}
