package org.eipc.spi.security;

import org.osgi.annotation.versioning.ProviderType;

/** Makes {@link ReplayGuard}s; a service. */
@ProviderType
public interface ReplayGuardProvider {

    /** The window size in sequence numbers (128 by default, as in the reference). */
    int window();

    /** A fresh, empty guard for one session direction. */
    ReplayGuard newGuard();
}
