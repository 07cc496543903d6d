package org.eipc.service.broker.impl;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import javax.crypto.spec.SecretKeySpec;

import org.eipc.spi.keyring.KeyEntry;
import org.eipc.spi.keyring.KeyringListener;
import org.eipc.spi.keyring.KeyringProvider;

/** One fixed key (the end-to-end test's two runtimes share it). */
final class StaticKeyring implements KeyringProvider {
    private final KeyEntry key;

    StaticKeyring(final String id, final String ascii) {
        this.key = new KeyEntry(id, new SecretKeySpec(ascii.getBytes(StandardCharsets.US_ASCII), "HmacSHA256"),
                Instant.EPOCH, null);
    }

    @Override
    public String name() {
        return "static";
    }

    @Override
    public KeyEntry current() {
        return key;
    }

    @Override
    public List<KeyEntry> accepted() {
        return List.of(key);
    }

    @Override
    public Optional<KeyEntry> find(final String keyId) {
        return key.id().equals(keyId) ? Optional.of(key) : Optional.empty();
    }

    @Override
    public void addListener(final KeyringListener listener) {
    }

    @Override
    public void removeListener(final KeyringListener listener) {
    }
}
