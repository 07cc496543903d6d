package org.eipc.spi.security;

import org.eipc.spi.keyring.KeyEntry;

import org.osgi.annotation.versioning.ProviderType;

/** Makes {@link FrameMac}s for one MAC algorithm. A service with {@link #PROP_ALGORITHM}. */
@ProviderType
public interface IntegrityProvider {

    /** Service property: the algorithm name, e.g. {@code "HMAC-SHA256"}. */
    String PROP_ALGORITHM = "eipc.integrity.algorithm";

    String algorithm();

    /** MAC length in bytes (32 for HMAC-SHA256). */
    int macLength();

    /**
     * A MAC bound to {@code key} (its {@link KeyEntry#id()} becomes {@link FrameMac#keyId()}), initialised once and reused for every frame.
     *
     * @throws org.eipc.api.IpcException {@link org.eipc.api.ErrorCode#CONFIG_INVALID} for an unusable key
     */
    FrameMac newMac(KeyEntry key);
}
