package org.eipc.spi.keyring;

import java.time.Instant;
import java.util.Objects;

import javax.crypto.SecretKey;

/**
 * A key with its id and lifetime. {@link #toString()} shows the id and times, never the key material.
 */
public final class KeyEntry {
    private final String id;
    private final SecretKey key;
    private final Instant created;
    private final Instant retiresAt;

    /**
     * @param retiresAt when the key stops being accepted, or {@code null} while it has no end (the current
     *        key usually has none)
     */
    public KeyEntry(String id, SecretKey key, Instant created, Instant retiresAt) {
        this.id = Objects.requireNonNull(id, "id");
        this.key = Objects.requireNonNull(key, "key");
        this.created = Objects.requireNonNull(created, "created");
        this.retiresAt = retiresAt;
    }

    public String id() {
        return id;
    }

    public SecretKey key() {
        return key;
    }

    public Instant created() {
        return created;
    }

    /** When this key stops being accepted, or {@code null} for no end yet. */
    public Instant retiresAt() {
        return retiresAt;
    }

    /** True when the key is still accepted at {@code now}. */
    public boolean acceptedAt(Instant now) {
        return retiresAt == null || now.isBefore(retiresAt);
    }

    /** The same key with another retirement time. */
    public KeyEntry retiringAt(Instant when) {
        return new KeyEntry(id, key, created, when);
    }

    @Override
    public String toString() {
        return "KeyEntry[id=" + id + ", created=" + created + (retiresAt != null ? ", retiresAt=" + retiresAt : "")
                + "]";
    }
}
