package org.eipc.spi.security;

import java.nio.ByteBuffer;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Seals and opens payloads as {@code nonce ‖ ciphertext ‖ tag} (the layout the EIPC reference defines for
 * AES-256-GCM). Not thread-safe. The implementation guarantees that a nonce never repeats under one key.
 */
@ProviderType
public interface AeadCipher {

    /** Bytes added to a plaintext: nonce plus tag. */
    int overhead();

    /**
     * Seals {@code plaintext}'s remaining bytes into {@code out} (which needs {@code remaining + overhead()}
     * bytes), binding {@code aad} (may be null). Advances both buffers.
     *
     * @return bytes written
     */
    int seal(ByteBuffer plaintext, ByteBuffer aad, ByteBuffer out);

    /**
     * Opens {@code sealed}'s remaining bytes into {@code out}, checking {@code aad} (may be null). Advances
     * both buffers.
     *
     * @return plaintext bytes written
     * @throws org.eipc.api.IpcException {@link org.eipc.api.ErrorCode#DECRYPT_FAILED}
     */
    int open(ByteBuffer sealed, ByteBuffer aad, ByteBuffer out);
}
