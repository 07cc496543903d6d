package org.eipc.launcher.net;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import javax.crypto.spec.SecretKeySpec;

import org.eipc.spi.keyring.KeyEntry;
import org.eipc.spi.keyring.KeyringListener;
import org.eipc.spi.keyring.KeyringProvider;

/** The one key of a command run (from {@code --key-*} or {@code EIPC_HMAC_KEY}); it never changes. */
public final class StaticKeyring implements KeyringProvider {
    private final KeyEntry entry;

    /**
     * @param keyId the key's id (a fingerprint, never the key)
     * @param key the key bytes; copied, so the caller may wipe its array
     */
    public StaticKeyring(String keyId, byte[] key) {
        this.entry = new KeyEntry(keyId, new SecretKeySpec(key, "HmacSHA256"), Instant.now(), null);
    }

    @Override
    public String name() {
        return "cli";
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
