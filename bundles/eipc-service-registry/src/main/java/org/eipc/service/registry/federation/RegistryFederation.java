package org.eipc.service.registry.federation;

import java.util.List;

import org.eipc.service.registry.ServiceEntry;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Shares the entries of this host's registry with other hosts and tells the registry what the other hosts hold.
 * Implemented by federation providers (whiteboard: register it as a service); the registry binds every one
 * (dynamic, multiple), announces every local entry to it, withdraws entries when they go, and merges
 * {@link #remoteEntries()} into {@code lookup}, {@code lookupAll}, {@code findByCapability} and {@code list}.
 *
 * <p>Remote entries never shadow local ones: among entries of the same name and version, local entries come first.
 * Every remote entry carries the property {@value #ORIGIN} naming the host it came from; local entries do not.
 *
 * <p>Implementations are thread-safe, and none of the methods may block on the network: the registry calls
 * {@link #announce} and {@link #withdraw} while registering and {@link #remoteEntries()} on every lookup, possibly on
 * an I/O thread. An implementation that cannot reach its peers keeps answering from what it knows.
 */
@ConsumerType
public interface RegistryFederation {

    /** The property every remote entry carries: the id of the host that registered it. */
    String ORIGIN = "eipc.origin";

    /**
     * A local entry was registered (or the federation was just bound and learns the entries that already exist).
     * May be called more than once for the same id with the same entry.
     *
     * @param id the registration id, unique on this host while the registry runs
     * @param entry the entry, owner set
     */
    void announce(long id, ServiceEntry entry);

    /**
     * A local entry went away (closed, or its owner went). Unknown ids are ignored.
     *
     * @param id the registration id given to {@link #announce}
     */
    void withdraw(long id);

    /**
     * The entries other hosts hold right now, as far as this federation knows, each with the property
     * {@value #ORIGIN}; never this host's own entries. Entries of a host that stopped announcing them are gone after
     * the provider's time to live.
     *
     * @return an immutable list, in no particular order; empty when nothing is known
     */
    List<ServiceEntry> remoteEntries();
}
