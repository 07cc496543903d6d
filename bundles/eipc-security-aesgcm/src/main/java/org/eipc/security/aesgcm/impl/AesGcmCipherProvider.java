package org.eipc.security.aesgcm.impl;

import org.eipc.spi.keyring.KeyEntry;
import org.eipc.spi.security.AeadCipher;
import org.eipc.spi.security.CipherProvider;
import org.osgi.service.component.annotations.Component;

/**
 * AES-256-GCM payload encryption as the reference's {@code security/encryption}: {@code nonce(12) ‖ ciphertext
 * ‖ tag(16)}, no additional data in compat use (supported when given). See {@link JcaAeadCipher} for the
 * nonce construction; every cipher of this provider draws its nonce blocks from one {@link NonceBlocks}.
 */
@Component(service = CipherProvider.class,
        property = CipherProvider.PROP_ALGORITHM + "=" + AesGcmCipherProvider.ALGORITHM)
public final class AesGcmCipherProvider implements CipherProvider {

    /** The value of {@link CipherProvider#PROP_ALGORITHM}. */
    public static final String ALGORITHM = "AES-256-GCM";

    private final NonceBlocks blocks;

    /** A provider with a fresh, randomly started nonce block sequence. */
    public AesGcmCipherProvider() {
        this(new NonceBlocks());
    }

    AesGcmCipherProvider(NonceBlocks blocks) {
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
        return new JcaAeadCipher(JcaAeadCipher.Kind.AES_GCM, AeadCipherProviders.rawKey(key, "AES", ALGORITHM),
                key.id(), blocks);
    }

    @Override
    public String toString() {
        return "AesGcmCipherProvider[" + ALGORITHM + "]";
    }
}
