package org.eipc.runtime;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import javax.crypto.spec.SecretKeySpec;

import org.eipc.spi.keyring.KeyEntry;
import org.eipc.spi.keyring.KeyringListener;
import org.eipc.spi.keyring.KeyringProvider;

/**
 * A keyring of one key that never changes, for standalone runtimes on a flat class path (the {@code eipc} command,
 * tests, embedded use): {@code EipcRuntimes.standalone(transports, integrity, new FixedKeyring("k1", secret))}. In
 * OSGi use a keyring bundle, which rotates keys.
 */
public final class FixedKeyring implements KeyringProvider {
    private final KeyEntry entry;

    /**
     * @param keyId the key's id (a name or fingerprint, never the key)
     * @param key the key bytes; copied, so the caller may wipe its array
     */
    public FixedKeyring(String keyId, byte[] key) {
        this.entry = new KeyEntry(keyId, new SecretKeySpec(key, "HmacSHA256"), Instant.now(), null);
    }

    @Override
    public String toString() {
        return "FixedKeyring[" + entry.id() + "]";
    }

    @Override
    public String name() {
        return "fixed";
    }

    @Override
    public KeyEntry current() {
        return entry;
    }

    @Override
    public List<KeyEntry> accepted() {
        return List.of(entry);
    }

    @Override
    public Optional<KeyEntry> find(String keyId) {
        return entry.id().equals(keyId) ? Optional.of(entry) : Optional.empty();
    }

    @Override
    public void addListener(KeyringListener listener) {
        // the key never changes
    }

    @Override
    public void removeListener(KeyringListener listener) {
        // the key never changes
    }
}
