package org.eipc.runtime.impl;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;

/**
 * HKDF-SHA256 (RFC 5869) and the plain HMAC-SHA256 the handshake proofs use. Written here rather than taken from
 * a provider bundle so that the runtime depends on no provider at compile time.
 */
final class Hkdf {
    static final int HASH_LENGTH = 32;
    private static final String HMAC = "HmacSHA256";

    private Hkdf() {
    }

    /** HKDF-Extract: PRK = HMAC(salt, ikm); an empty salt means 32 zero bytes. */
    static byte[] extract(byte[] salt, byte[] ikm) {
        byte[] s = salt == null || salt.length == 0 ? new byte[HASH_LENGTH] : salt;
        return hmac(s, ikm);
    }

    /** HKDF-Expand: the first {@code length} bytes of T(1) ‖ T(2) ‖ ..., at most 255 * 32. */
    static byte[] expand(byte[] prk, byte[] info, int length) {
        if (length < 1 || length > 255 * HASH_LENGTH) {
            throw new IpcException(ErrorCode.INTERNAL, "HKDF length " + length + " outside 1..8160");
        }
        Mac mac = newMac(prk);
        byte[] out = new byte[length];
        byte[] t = new byte[0];
        int done = 0;
        for (int i = 1; done < length; i++) {
            mac.update(t);
            mac.update(info == null ? new byte[0] : info);
            mac.update((byte) i);
            t = mac.doFinal();
            int n = Math.min(t.length, length - done);
            System.arraycopy(t, 0, out, done, n);
            done += n;
        }
        Arrays.fill(t, (byte) 0);
        return out;
    }

    /** HMAC-SHA256(key, data...). */
    static byte[] hmac(byte[] key, byte[]... data) {
        Mac mac = newMac(key);
        for (byte[] d : data) {
            mac.update(d);
        }
        return mac.doFinal();
    }

    /** Constant-time comparison. */
    static boolean equal(byte[] a, byte[] b) {
        return a != null && b != null && MessageDigest.isEqual(a, b);
    }

    private static Mac newMac(byte[] key) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, HMAC));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IpcException(ErrorCode.INTERNAL, "HMAC-SHA256 unavailable", e);
        }
    }
}
