package org.eipc.security.aesgcm.impl;

import java.util.Arrays;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;
import org.eipc.spi.keyring.KeyEntry;

/** Key checks shared by the two providers of this bundle. */
final class AeadCipherProviders {
    static final int KEY_LENGTH = 32;

    private AeadCipherProviders() {
    }

    /**
     * The raw bytes of {@code entry} as a key of {@code jcaAlgorithm} (JCA ciphers check the key's algorithm
     * name, and keyring keys carry whatever name their store gave them).
     *
     * @throws IpcException {@link ErrorCode#CONFIG_INVALID} unless the key has exactly 32 raw bytes
     */
    static SecretKey rawKey(KeyEntry entry, String jcaAlgorithm, String displayName) {
        if (entry == null) {
            throw new IpcException(ErrorCode.CONFIG_INVALID, "no key given for " + displayName);
        }
        byte[] raw = entry.key().getEncoded();
        try {
            if (raw == null || raw.length != KEY_LENGTH) {
                // the length is not secret for a fixed-size cipher key; the bytes never go into the message
                throw new IpcException(ErrorCode.CONFIG_INVALID, displayName + " needs a " + KEY_LENGTH
                        + "-byte key; key '" + entry.id() + "' has " + (raw == null ? "no raw encoding" : raw.length + " bytes"));
            }
            return new SecretKeySpec(raw, jcaAlgorithm);
        } finally {
            if (raw != null) {
                Arrays.fill(raw, (byte) 0);
            }
        }
    }
}
