package org.eipc.spi.runtime;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Told about security and lifecycle events of the runtime (see {@link RuntimeEvent.Kind}). Registered as a service.
 * Called on runtime threads: must not block; an audit log queues the event and returns.
 */
@ConsumerType
@FunctionalInterface
public interface RuntimeEventListener {
    void onEvent(RuntimeEvent event);
}
