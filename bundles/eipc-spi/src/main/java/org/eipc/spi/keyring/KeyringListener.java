package org.eipc.spi.keyring;

import org.osgi.annotation.versioning.ConsumerType;

/** Told when a keyring's current key or accepted keys change. */
@ConsumerType
@FunctionalInterface
public interface KeyringListener {
    void keysChanged(KeyringProvider keyring);
}
