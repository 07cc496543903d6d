package org.eipc.runtime;

import org.osgi.annotation.versioning.ProviderType;

/** An {@link EipcRuntime} built outside OSGi by {@link EipcRuntimes#standalone}; closing it releases its threads. */
@ProviderType
public interface StandaloneRuntime extends EipcRuntime, AutoCloseable {

    /**
     * Adds a runtime hook: an object implementing any of {@link org.eipc.spi.runtime.MessageGate},
     * {@link org.eipc.spi.runtime.MessageTap} and {@link org.eipc.spi.runtime.RuntimeEventListener} (in OSGi these are
     * whiteboard services instead). Gates added here rank 0 and run in the order added.
     */
    void addHook(Object hook);

    /** Removes a hook added with {@link #addHook}. */
    void removeHook(Object hook);

    /**
     * Binds another transport, as a DS runtime does when a transport service appears: servers start listening on
     * their addresses of its schemes, and sessions waiting for a carrier try it at once.
     *
     * @since 1.2
     */
    void addTransport(org.eipc.spi.transport.Transport transport);

    /**
     * Unbinds a transport, as a DS runtime does when a transport service goes away: its listeners close and the
     * sessions on it move to another transport before this returns (bounded by the server endpoints'
     * {@code transportDrainTimeout}). The caller still owns the transport and closes it afterwards.
     *
     * @since 1.2
     */
    void removeTransport(org.eipc.spi.transport.Transport transport);

    /** The endpoints, sessions and counters of this runtime. */
    RuntimeMetrics metrics();

    /**
     * Closes every endpoint and session opened through this runtime and stops its threads. The transports and
     * other providers handed in stay open: the caller owns them. Idempotent.
     */
    @Override
    void close();
}
