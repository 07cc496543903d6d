package org.eipc.spi.keyring;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A source of long-term keys (a directory, a PKCS#12 store, ...), registered as a service with
 * {@link #PROP_NAME}. Thread-safe.
 */
@ProviderType
public interface KeyringProvider {

    /** Service property: the keyring name, e.g. {@code "file"}. */
    String PROP_NAME = "eipc.keyring.name";

    String name();

    /**
     * The key to send with now.
     *
     * @throws org.eipc.api.IpcException {@link org.eipc.api.ErrorCode#KEY_UNKNOWN} when the keyring is empty
     */
    KeyEntry current();

    /** Every key accepted now: the current one first, then earlier ones still inside their overlap window. */
    List<KeyEntry> accepted();

    /** The accepted key with this id. */
    Optional<KeyEntry> find(String keyId);

    void addListener(KeyringListener listener);

    void removeListener(KeyringListener listener);
}
