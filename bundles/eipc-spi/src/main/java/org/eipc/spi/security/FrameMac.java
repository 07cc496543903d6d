package org.eipc.spi.security;

import java.nio.ByteBuffer;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A MAC under one key. Not thread-safe; allocation-free per call. Never exposes the key, not even in
 * {@code toString()}.
 */
@ProviderType
public interface FrameMac {

    /** MAC length in bytes. */
    int length();

    /**
     * Computes the MAC of {@code data}'s remaining bytes (its position is left unchanged) and writes it at
     * {@code out}'s position, advancing it by {@link #length()}.
     */
    void sign(ByteBuffer data, ByteBuffer out);

    /**
     * Checks in constant time that the next {@link #length()} bytes of {@code mac} (from its position, which
     * is left unchanged) are the MAC of {@code data}'s remaining bytes (position unchanged).
     */
    boolean verify(ByteBuffer data, ByteBuffer mac);

    /** The id of the key this MAC uses (never the key itself). */
    String keyId();
}
