package org.eipc.service.registry;

import org.osgi.annotation.versioning.ConsumerType;

/** Told about entries that come and go; see {@link ServiceRegistry#watch(RegistryListener)}. */
@ConsumerType
@FunctionalInterface
public interface RegistryListener {
    void changed(RegistryEvent event);
}
