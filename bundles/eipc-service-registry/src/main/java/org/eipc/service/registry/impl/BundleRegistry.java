package org.eipc.service.registry.impl;

import java.util.List;
import java.util.Optional;

import org.eipc.service.registry.Registration;
import org.eipc.service.registry.RegistryListener;
import org.eipc.service.registry.ServiceEntry;
import org.eipc.service.registry.ServiceRegistry;
import org.osgi.framework.Bundle;
import org.osgi.service.component.ComponentContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ServiceScope;

/**
 * The {@link ServiceRegistry} one bundle sees. Bundle-scoped: the framework makes one instance per using bundle and
 * releases it when that bundle stops or ungets the service, and then every entry and watch the bundle made goes.
 */
@Component(service = ServiceRegistry.class, scope = ServiceScope.BUNDLE)
public final class BundleRegistry implements ServiceRegistry {
    private final RegistryCore core;
    private final String owner;
    private volatile boolean closed;

    @Activate
    public BundleRegistry(@Reference(name = "core") RegistryCore core, ComponentContext context) {
        this(core, owner(context.getUsingBundle()));
    }

    /** A view owned by {@code owner}, without OSGi (tests; public for other modules' tests, the package is private). */
    public BundleRegistry(RegistryCore core, String owner) {
        this.core = core;
        this.owner = owner;
    }

    static String owner(Bundle b) {
        return "bundle:" + b.getBundleId() + "/" + b.getSymbolicName();
    }

    @Deactivate
    void deactivate() {
        closed = true;
        core.removeOwner(owner);
    }

    /** @throws IllegalStateException when the bundle already released this service */
    @Override
    public Registration register(ServiceEntry entry) {
        if (closed) {
            throw new IllegalStateException("registry of " + owner + " is closed: the bundle released it");
        }
        long id = core.register(entry, owner, null);
        if (closed) { // deactivated while registering: the owner's entries are being removed, so is this one
            core.unregister(id, owner);
            throw new IllegalStateException("registry of " + owner + " is closed: the bundle released it");
        }
        ServiceEntry registered = entry.withOwner(owner);
        return new Registration() {
            @Override
            public long id() {
                return id;
            }

            @Override
            public ServiceEntry entry() {
                return registered;
            }

            @Override
            public boolean isActive() {
                return core.contains(id);
            }

            @Override
            public void close() {
                core.unregister(id, owner);
            }

            @Override
            public String toString() {
                return "Registration[" + id + " " + registered + "]";
            }
        };
    }

    @Override
    public Optional<ServiceEntry> lookup(String name) {
        return core.lookupAll(name).stream().findFirst();
    }

    @Override
    public List<ServiceEntry> lookupAll(String name) {
        return core.lookupAll(name);
    }

    @Override
    public List<ServiceEntry> findByCapability(String capability) {
        return core.findByCapability(capability);
    }

    @Override
    public List<ServiceEntry> list() {
        return core.list();
    }

    @Override
    public AutoCloseable watch(RegistryListener listener) {
        return core.watch(owner, listener);
    }
}
