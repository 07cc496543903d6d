package org.eipc.service.registry;

import org.osgi.annotation.versioning.ProviderType;

/** One registered entry. Closing it removes the entry; closing twice does nothing. */
@ProviderType
public interface Registration extends AutoCloseable {

    /** The registry's id of this registration, unique while the registry runs. */
    long id();

    /** The entry as registered, with its owner set. */
    ServiceEntry entry();

    /** True until closed or until the owner went away. */
    boolean isActive();

    @Override
    void close();
}
