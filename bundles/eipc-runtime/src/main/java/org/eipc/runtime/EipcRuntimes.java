package org.eipc.runtime;

import java.util.List;
import java.util.Objects;

import org.eipc.runtime.impl.RuntimeFacade;
import org.eipc.spi.keyring.KeyringProvider;
import org.eipc.spi.security.IntegrityProvider;
import org.eipc.spi.security.ReplayGuardProvider;
import org.eipc.spi.transport.Transport;

/** Builds runtimes outside OSGi, for the command line and tests on a flat class path. */
public final class EipcRuntimes {
    private EipcRuntimes() {
    }

    /**
     * A runtime over these providers, with the built-in replay window (the reference's 128).
     *
     * @param transports one or more transports; an address's scheme picks the last one listed that serves it
     * @param integrity the {@code HMAC-SHA256} integrity provider
     * @param keyring where the long-term keys come from
     */
    public static StandaloneRuntime standalone(List<? extends Transport> transports, IntegrityProvider integrity,
            KeyringProvider keyring) {
        return standalone(transports, integrity, keyring, null);
    }

    /**
     * A runtime over these providers.
     *
     * @param replay the replay guard provider, or {@code null} for the built-in window
     */
    public static StandaloneRuntime standalone(List<? extends Transport> transports, IntegrityProvider integrity,
            KeyringProvider keyring, ReplayGuardProvider replay) {
        Objects.requireNonNull(integrity, "integrity");
        Objects.requireNonNull(keyring, "keyring");
        return RuntimeFacade.standalone(List.copyOf(transports), integrity, keyring, replay, 2, 2);
    }
}
