package org.eipc.bench;

import java.nio.ByteBuffer;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import org.eipc.spi.security.FrameMac;

/**
 * HMAC-SHA256 (RFC 2104) written over two {@link MessageDigest}s with digest-into-array calls, so it allocates
 * nothing per frame. Used to show the codec's own allocation with the MAC's taken out.
 */
final class DigestHmacSha256 implements FrameMac {
    private static final int BLOCK = 64;
    private final MessageDigest inner;
    private final MessageDigest outer;
    private final byte[] ipad = new byte[BLOCK];
    private final byte[] opad = new byte[BLOCK];
    private final byte[] innerHash = new byte[32];
    private final byte[] computed = new byte[32];

    DigestHmacSha256(byte[] key) {
        try {
            inner = MessageDigest.getInstance("SHA-256");
            outer = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] k = key.length > BLOCK ? inner.digest(key) : key;
        for (int i = 0; i < BLOCK; i++) {
            byte b = i < k.length ? k[i] : 0;
            ipad[i] = (byte) (b ^ 0x36);
            opad[i] = (byte) (b ^ 0x5c);
        }
    }

    @Override
    public int length() {
        return 32;
    }

    @Override
    public void sign(ByteBuffer data, ByteBuffer out) {
        compute(data);
        out.put(computed);
    }

    @Override
    public boolean verify(ByteBuffer data, ByteBuffer mac) {
        compute(data);
        int diff = 0;
        int p = mac.position();
        for (int i = 0; i < 32; i++) {
            diff |= computed[i] ^ mac.get(p + i);
        }
        return diff == 0;
    }

    private void compute(ByteBuffer data) {
        int p = data.position();
        try {
            inner.update(ipad);
            inner.update(data);
            inner.digest(innerHash, 0, 32);
            outer.update(opad);
            outer.update(innerHash);
            outer.digest(computed, 0, 32);
        } catch (DigestException e) {
            throw new IllegalStateException(e);
        } finally {
            data.position(p);
        }
    }

    @Override
    public String keyId() {
        return "bench";
    }
}
