package org.eipc.security.aesgcm.impl;

import org.eipc.spi.keyring.KeyEntry;
import org.eipc.spi.security.AeadCipher;
import org.eipc.spi.security.CipherProvider;
import org.osgi.service.component.annotations.Component;

/**
 * ChaCha20-Poly1305 (RFC 8439) payload encryption in the same layout as the reference's AES-256-GCM:
 * {@code nonce(12) ‖ ciphertext ‖ tag(16)}; an EIPC for OSGi extension (the reference has no ChaCha20), for
 * hosts without AES instructions. See {@link JcaAeadCipher} for the nonce construction; every cipher of this provider draws its nonce blocks from one {@link NonceBlocks}.
 */
@Component(service = CipherProvider.class,
        property = CipherProvider.PROP_ALGORITHM + "=" + ChaCha20Poly1305CipherProvider.ALGORITHM)
public final class ChaCha20Poly1305CipherProvider implements CipherProvider {

    /** The value of {@link CipherProvider#PROP_ALGORITHM}. */
    public static final String ALGORITHM = "ChaCha20-Poly1305";

    private final NonceBlocks blocks;

    /** A provider with a fresh, randomly started nonce block sequence. */
    public ChaCha20Poly1305CipherProvider() {
        this(new NonceBlocks());
    }

    ChaCha20Poly1305CipherProvider(NonceBlocks blocks) {
        this.blocks = blocks;
    }

    @Override
    public String algorithm() {
        return ALGORITHM;
    }

    @Override
    public int keyLength() {
        return AeadCipherProviders.KEY_LENGTH;
    }

    @Override
    public AeadCipher newCipher(KeyEntry key) {
        return newJcaCipher(key);
    }

    JcaAeadCipher newJcaCipher(KeyEntry key) {
        return new JcaAeadCipher(JcaAeadCipher.Kind.CHACHA20_POLY1305, AeadCipherProviders.rawKey(key, "ChaCha20", ALGORITHM),
                key.id(), blocks);
    }

    @Override
    public String toString() {
        return "ChaCha20Poly1305CipherProvider[" + ALGORITHM + "]";
    }
}
