package org.eipc.protocol;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.eipc.spi.security.FrameMac;

/** A test-only HMAC-SHA256 {@link FrameMac} over javax.crypto (the real one lives in eipc-security-hmac). */
final class TestHmac implements FrameMac {
    private final Mac mac;
    private final byte[] computed = new byte[32];
    private final byte[] received = new byte[32];

    TestHmac(byte[] key) {
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
        return "test";
    }

    static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(new SecretKeySpec(key, "HmacSHA256"));
            return m.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
