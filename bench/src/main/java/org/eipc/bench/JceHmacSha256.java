package org.eipc.bench;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.eipc.spi.security.FrameMac;

/**
 * HMAC-SHA256 over {@code javax.crypto.Mac}, the straightforward provider. JCE's {@code doFinal} allocates its
 * result array, so this costs a small allocation per frame that belongs to the MAC, not to the codec.
 */
final class JceHmacSha256 implements FrameMac {
    private final Mac mac;
    private final byte[] computed = new byte[32];
    private final byte[] received = new byte[32];

    JceHmacSha256(byte[] key) {
        try {
            mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
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
        mac.get(mac.position(), received);
        return MessageDigest.isEqual(computed, received);
    }

    private void compute(ByteBuffer data) {
        int p = data.position();
        mac.update(data);
        data.position(p);
        try {
            mac.doFinal(computed, 0);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String keyId() {
        return "bench";
    }
}
