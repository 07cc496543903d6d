package org.eipc.runtime;

import org.osgi.annotation.versioning.ProviderType;

/** An {@link EipcRuntime} built outside OSGi by {@link EipcRuntimes#standalone}; closing it releases its threads. */
@ProviderType
public interface StandaloneRuntime extends EipcRuntime, AutoCloseable {

    /**
     * Closes every endpoint and session opened through this runtime and stops its threads. The transports and
     * other providers handed in stay open: the caller owns them. Idempotent.
     */
    @Override
    void close();
}
