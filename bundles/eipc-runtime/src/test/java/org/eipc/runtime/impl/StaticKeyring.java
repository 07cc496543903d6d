package org.eipc.runtime.impl;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.crypto.spec.SecretKeySpec;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;
import org.eipc.spi.keyring.KeyEntry;
import org.eipc.spi.keyring.KeyringListener;
import org.eipc.spi.keyring.KeyringProvider;

/** A keyring over a fixed list of keys (current first) that tests can replace, as a rotation would. */
final class StaticKeyring implements KeyringProvider {
    private volatile List<KeyEntry> keys;
    private final List<KeyringListener> listeners = new CopyOnWriteArrayList<>();

    StaticKeyring(KeyEntry... keys) {
        this.keys = List.of(keys);
    }

    static KeyEntry key(String id, String ascii, Instant retiresAt) {
        return new KeyEntry(id, new SecretKeySpec(ascii.getBytes(StandardCharsets.US_ASCII), "HmacSHA256"),
                Instant.EPOCH, retiresAt);
    }

    void set(KeyEntry... next) {
        this.keys = List.of(next);
        for (KeyringListener l : listeners) {
            l.keysChanged(this);
        }
    }

    @Override
    public String name() {
        return "static";
    }

    @Override
    public KeyEntry current() {
        List<KeyEntry> k = keys;
        if (k.isEmpty()) {
            throw new IpcException(ErrorCode.KEY_UNKNOWN, "empty keyring");
        }
        return k.get(0);
    }

    @Override
    public List<KeyEntry> accepted() {
        Instant now = Instant.now();
        List<KeyEntry> out = new ArrayList<>();
        for (KeyEntry e : keys) {
            if (e.acceptedAt(now)) {
                out.add(e);
            }
        }
        return out;
    }

    @Override
    public Optional<KeyEntry> find(String keyId) {
        return accepted().stream().filter(e -> e.id().equals(keyId)).findFirst();
    }

    @Override
    public void addListener(KeyringListener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeListener(KeyringListener listener) {
        listeners.remove(listener);
    }
}
