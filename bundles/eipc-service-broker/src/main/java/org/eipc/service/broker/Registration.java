package org.eipc.service.broker;

import org.osgi.annotation.versioning.ProviderType;

/** A named service registered with {@link Broker#serve}. */
@ProviderType
public interface Registration extends AutoCloseable {

    /** The service name. */
    String service();

    /** Stops routing requests to this registration; requests already routed still complete. Idempotent. */
    @Override
    void close();
}
