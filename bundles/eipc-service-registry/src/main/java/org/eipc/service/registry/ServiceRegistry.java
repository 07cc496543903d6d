package org.eipc.service.registry;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Registers and discovers services. Queries also return the entries of other hosts that a bound
 * {@link org.eipc.service.registry.federation.RegistryFederation} knows, marked with the property {@code eipc.origin};
 * among entries of the same name and version, this host's come first. Registered bundle-scoped: each bundle gets its
 * own view, which owns the entries and watches made through it and drops them all when the bundle stops or releases
 * the service. Thread-safe.
 */
@ProviderType
public interface ServiceRegistry {

    /**
     * Registers an entry owned by the calling bundle. Several entries may share a name, even a name and a version (two
     * instances of one service); each registration is its own entry.
     *
     * @param entry the entry; its owner is replaced by the registry's owner for the calling bundle
     * @return the registration; {@link Registration#close()} removes the entry
     * @throws NullPointerException when entry is null
     * @throws IllegalArgumentException when the entry has the property {@code eipc.origin}, which marks entries of
     *         other hosts (see {@link org.eipc.service.registry.federation.RegistryFederation#ORIGIN})
     */
    Registration register(ServiceEntry entry);

    /** The entry with this name and the highest version (among equal versions, the earliest registered). */
    Optional<ServiceEntry> lookup(String name);

    /** Every entry with this name, highest version first. */
    List<ServiceEntry> lookupAll(String name);

    /** Every entry that offers this capability, ordered by name, then highest version first. */
    List<ServiceEntry> findByCapability(String capability);

    /** Every entry, ordered by name, then highest version first. */
    List<ServiceEntry> list();

    /**
     * Tells {@code listener} about every entry added or removed from now on, by any owner, until the returned watch is
     * closed or the calling bundle releases this service. Called on the thread that made the change; must not block.
     *
     * @return the watch; closing it stops the calls
     */
    AutoCloseable watch(RegistryListener listener);
}
