package org.eipc.spi.security;

import org.eipc.spi.keyring.KeyEntry;

import org.osgi.annotation.versioning.ProviderType;

/** Makes {@link AeadCipher}s for one AEAD algorithm. A service with {@link #PROP_ALGORITHM}. */
@ProviderType
public interface CipherProvider {

    /** Service property: the algorithm, e.g. {@code "AES-256-GCM"}. */
    String PROP_ALGORITHM = "eipc.cipher.algorithm";

    String algorithm();

    /** Key length in bytes. */
    int keyLength();

    /**
     * A cipher bound to {@code key}.
     *
     * @throws org.eipc.api.IpcException {@link org.eipc.api.ErrorCode#CONFIG_INVALID} for a key of the wrong
     *         length
     */
    AeadCipher newCipher(KeyEntry key);
}
