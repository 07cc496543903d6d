package org.eipc.security.aesgcm.impl;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.spec.AlgorithmParameterSpec;
import java.util.Arrays;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;
import org.eipc.spi.security.AeadCipher;

/**
 * {@code nonce(12) ‖ ciphertext ‖ tag(16)} with a JCA AEAD cipher, the layout of the reference's
 * {@code security/encryption} (protocol §2.8). Two {@link Cipher} objects, one per direction, are created
 * once and re-initialised per message (an AEAD needs a fresh nonce for every seal anyway).
 *
 * <h2>Nonces</h2>
 * A nonce is {@code block(8) ‖ counter(4)}, both big-endian. The block id comes from the provider's
 * {@link NonceBlocks}, which never hands out the same id twice; the counter runs from 0 to 2^32-1 within the
 * block, after which the cipher takes a new block. So two seals by ciphers of one provider instance never use
 * the same nonce, whichever keys they share: the nonce space is partitioned, not sampled. Across provider
 * instances (another process with the same pre-shared key) uniqueness rests on the random start of the block
 * ids, see {@link NonceBlocks}. The reference's peers accept any 12-byte nonce, so this is wire compatible.
 *
 * <p>Additional data is optional (the reference uses none); when given, its position is left unchanged.
 * Not thread-safe: one cipher per session direction.
 */
final class JcaAeadCipher implements AeadCipher {
    static final int NONCE_LENGTH = 12;
    static final int TAG_LENGTH = 16;
    static final int OVERHEAD = NONCE_LENGTH + TAG_LENGTH;
    static final long COUNTER_LIMIT = 1L << 32;

    /** Which JCA algorithm and how its nonce is passed. */
    enum Kind {
        AES_GCM("AES/GCM/NoPadding", "AES-256-GCM"),
        CHACHA20_POLY1305("ChaCha20-Poly1305", "ChaCha20-Poly1305");

        final String transformation;
        final String displayName;

        Kind(String transformation, String displayName) {
            this.transformation = transformation;
            this.displayName = displayName;
        }

        AlgorithmParameterSpec spec(byte[] nonce) {
            return this == AES_GCM ? new GCMParameterSpec(TAG_LENGTH * 8, nonce) : new IvParameterSpec(nonce);
        }
    }

    private final Kind kind;
    private final SecretKey key;
    private final String keyId;
    private final NonceBlocks blocks;
    private final Cipher sealer;
    private final Cipher opener;
    private final byte[] nonce = new byte[NONCE_LENGTH];
    private final byte[] lastOpenNonce = new byte[NONCE_LENGTH];
    private boolean opened;
    private byte[] aadScratch = new byte[0];
    private long block;
    private long counter;

    JcaAeadCipher(Kind kind, SecretKey key, String keyId, NonceBlocks blocks) {
        this(kind, key, keyId, blocks, 0);
    }

    /** Starts the counter of the first block at {@code firstCounter}; tests use it to reach the block's end. */
    JcaAeadCipher(Kind kind, SecretKey key, String keyId, NonceBlocks blocks, long firstCounter) {
        if (firstCounter < 0 || firstCounter > COUNTER_LIMIT) {
            throw new IllegalArgumentException("firstCounter=" + firstCounter);
        }
        this.counter = firstCounter;
        this.kind = kind;
        this.key = key;
        this.keyId = keyId;
        this.blocks = blocks;
        try {
            this.sealer = Cipher.getInstance(kind.transformation);
            this.opener = Cipher.getInstance(kind.transformation);
        } catch (GeneralSecurityException e) {
            throw new IpcException(ErrorCode.INTERNAL, "the JDK offers no " + kind.transformation, e);
        }
        this.block = blocks.take();
    }

    @Override
    public int overhead() {
        return OVERHEAD;
    }

    @Override
    public int seal(ByteBuffer plaintext, ByteBuffer aad, ByteBuffer out) {
        if (out.remaining() - OVERHEAD < plaintext.remaining()) {
            throw new BufferOverflowException();
        }
        nextNonce();
        return sealWithNonce(nonce, plaintext, aad, out);
    }

    /** Advances the counter, moving to a fresh block when this one is used up, and writes the nonce. */
    private void nextNonce() {
        if (counter == COUNTER_LIMIT) {
            block = blocks.take();
            counter = 0;
        }
        final long b = block;
        for (int i = 0; i < 8; i++) {
            nonce[i] = (byte) (b >>> (56 - 8 * i));
        }
        final long c = counter++;
        nonce[8] = (byte) (c >>> 24);
        nonce[9] = (byte) (c >>> 16);
        nonce[10] = (byte) (c >>> 8);
        nonce[11] = (byte) c;
    }

    /** Seals with the given nonce. Package-private for known-answer tests; {@link #seal} is the only caller. */
    int sealWithNonce(byte[] iv, ByteBuffer plaintext, ByteBuffer aad, ByteBuffer out) {
        if (out.remaining() - OVERHEAD < plaintext.remaining()) {
            throw new BufferOverflowException();
        }
        final int outStart = out.position();
        final int inStart = plaintext.position();
        try {
            sealer.init(Cipher.ENCRYPT_MODE, key, kind.spec(iv));
            updateAad(sealer, aad);
            out.put(iv, 0, NONCE_LENGTH);
            sealer.doFinal(plaintext, out);
        } catch (GeneralSecurityException e) {
            out.position(outStart);
            plaintext.position(inStart);
            throw new IpcException(ErrorCode.INTERNAL, kind.displayName + " seal failed", e);
        }
        return out.position() - outStart;
    }

    @Override
    public int open(ByteBuffer sealed, ByteBuffer aad, ByteBuffer out) {
        final int length = sealed.remaining();
        // the reference says "ciphertext too short" below 12 and fails authentication from 12 to 27: both are
        // one code here, checked before anything is read
        if (length < OVERHEAD) {
            throw new IpcException(ErrorCode.DECRYPT_FAILED,
                    "sealed payload of " + length + " bytes is shorter than nonce and tag (" + OVERHEAD + ")");
        }
        if (out.remaining() < length - OVERHEAD) {
            throw new BufferOverflowException();
        }
        final int inStart = sealed.position();
        final int outStart = out.position();
        try {
            sealed.get(nonce, 0, NONCE_LENGTH);
            if (kind == Kind.CHACHA20_POLY1305 && opened && Arrays.equals(nonce, lastOpenNonce)) {
                // the JDK's ChaCha20 refuses to be initialised twice in a row with one key and nonce, even to
                // decrypt; opening the same sealed bytes twice is legitimate here (replay is judged elsewhere),
                // so step through another nonce first
                lastOpenNonce[0] ^= 1;
                opener.init(Cipher.DECRYPT_MODE, key, kind.spec(lastOpenNonce));
            }
            System.arraycopy(nonce, 0, lastOpenNonce, 0, NONCE_LENGTH);
            opened = true;
            opener.init(Cipher.DECRYPT_MODE, key, kind.spec(nonce));
            updateAad(opener, aad);
            return opener.doFinal(sealed, out);
        } catch (AEADBadTagException e) {
            sealed.position(inStart);
            out.position(outStart);
            throw new IpcException(ErrorCode.DECRYPT_FAILED, kind.displayName + " authentication failed (key '"
                    + keyId + "')");
        } catch (GeneralSecurityException e) {
            sealed.position(inStart);
            out.position(outStart);
            throw new IpcException(ErrorCode.DECRYPT_FAILED, kind.displayName + " open failed", e);
        }
    }

    /**
     * Feeds the additional data from an array: JDK 17's ChaCha20-Poly1305 computes a wrong tag when decrypting
     * with {@code updateAAD(ByteBuffer)} and 16 or more bytes of AAD (found by the Wycheproof vectors), so the
     * ByteBuffer overload is avoided. Heap buffers are used in place; direct ones are copied to a scratch
     * array that is kept and grown as needed. The position of {@code aad} is not changed.
     */
    private void updateAad(Cipher cipher, ByteBuffer aad) {
        if (aad == null || !aad.hasRemaining()) {
            return;
        }
        final int length = aad.remaining();
        if (aad.hasArray()) {
            cipher.updateAAD(aad.array(), aad.arrayOffset() + aad.position(), length);
            return;
        }
        if (aadScratch.length < length) {
            aadScratch = new byte[Math.max(length, 2 * aadScratch.length)];
        }
        aad.get(aad.position(), aadScratch, 0, length);
        cipher.updateAAD(aadScratch, 0, length);
    }

    /** The key id this cipher uses. */
    String keyId() {
        return keyId;
    }

    @Override
    public String toString() {
        return "AeadCipher[" + kind.displayName + ", keyId=" + keyId + "]";
    }
}
