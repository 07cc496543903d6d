package org.eipc.security.hmac;

import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

import javax.crypto.Mac;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;

/**
 * HKDF with HMAC-SHA256 (RFC 5869): {@link #extract} turns input keying material into a pseudorandom key,
 * {@link #expand} stretches that into as many output bytes as needed (at most {@link #MAX_OUTPUT_LENGTH}).
 *
 * <p>Stateless; each call uses its own {@link Mac}, so the methods are thread-safe. Arguments are not kept
 * and not changed; intermediate secrets are wiped before returning. Returned arrays belong to the caller, who
 * should wipe them after use.
 */
public final class Hkdf {

    /** Output length of the hash: the length of a pseudorandom key. */
    public static final int HASH_LENGTH = 32;

    /** The most bytes {@link #expand} may produce: 255 blocks of {@link #HASH_LENGTH}. */
    public static final int MAX_OUTPUT_LENGTH = 255 * HASH_LENGTH;

    private static final String JCA_ALGORITHM = "HmacSHA256";

    private Hkdf() {
    }

    /**
     * HKDF-Extract: {@code PRK = HMAC-SHA256(salt, ikm)}.
     *
     * @param salt optional salt; {@code null} or empty means {@link #HASH_LENGTH} zero bytes, as RFC 5869 says
     * @param ikm the input keying material, may be empty but not null
     * @return the 32-byte pseudorandom key
     */
    public static byte[] extract(byte[] salt, byte[] ikm) {
        if (ikm == null) {
            throw new IpcException(ErrorCode.CONFIG_INVALID, "HKDF input keying material missing");
        }
        // SecretKeySpec refuses an empty key; RFC 5869 defines an absent salt as HashLen zero bytes
        byte[] effectiveSalt = salt == null || salt.length == 0 ? new byte[HASH_LENGTH] : salt;
        Mac mac = newMac(effectiveSalt);
        return mac.doFinal(ikm);
    }

    /**
     * HKDF-Expand: {@code T(1) ‖ T(2) ‖ …} with {@code T(i) = HMAC-SHA256(prk, T(i-1) ‖ info ‖ i)}, truncated to
     * {@code length} bytes.
     *
     * @param prk a pseudorandom key of at least {@link #HASH_LENGTH} bytes, usually from {@link #extract}
     * @param info context and application specific information, {@code null} for none
     * @param length bytes wanted, 0 to {@link #MAX_OUTPUT_LENGTH}
     * @return {@code length} bytes of output keying material
     * @throws IpcException {@link ErrorCode#CONFIG_INVALID} for a length out of range or a short PRK
     */
    public static byte[] expand(byte[] prk, byte[] info, int length) {
        if (length < 0 || length > MAX_OUTPUT_LENGTH) {
            throw new IpcException(ErrorCode.CONFIG_INVALID,
                    "HKDF output length " + length + " outside 0.." + MAX_OUTPUT_LENGTH);
        }
        if (prk == null || prk.length < HASH_LENGTH) {
            throw new IpcException(ErrorCode.CONFIG_INVALID,
                    "HKDF pseudorandom key must have at least " + HASH_LENGTH + " bytes");
        }
        byte[] context = info == null ? new byte[0] : info;
        Mac mac = newMac(prk);
        byte[] okm = new byte[length];
        byte[] block = new byte[HASH_LENGTH];
        try {
            int done = 0;
            for (int i = 1; done < length; i++) {
                if (i > 1) {
                    mac.update(block);
                }
                mac.update(context);
                mac.update((byte) i);
                mac.doFinal(block, 0);
                int n = Math.min(HASH_LENGTH, length - done);
                System.arraycopy(block, 0, okm, done, n);
                done += n;
            }
        } catch (ShortBufferException e) {
            throw new IpcException(ErrorCode.INTERNAL, "HKDF block buffer too small", e);
        } finally {
            Arrays.fill(block, (byte) 0);
        }
        return okm;
    }

    /**
     * Extract then expand, the whole of RFC 5869.
     *
     * @param salt optional salt ({@code null} or empty for none)
     * @param ikm the input keying material
     * @param info context information, {@code null} for none
     * @param length bytes wanted, 0 to {@link #MAX_OUTPUT_LENGTH}
     * @return {@code length} bytes of output keying material
     * @throws IpcException {@link ErrorCode#CONFIG_INVALID} for a length out of range
     */
    public static byte[] derive(byte[] salt, byte[] ikm, byte[] info, int length) {
        // check the length first so that nothing is computed for a request that must fail
        if (length < 0 || length > MAX_OUTPUT_LENGTH) {
            throw new IpcException(ErrorCode.CONFIG_INVALID,
                    "HKDF output length " + length + " outside 0.." + MAX_OUTPUT_LENGTH);
        }
        byte[] prk = extract(salt, ikm);
        try {
            return expand(prk, info, length);
        } finally {
            Arrays.fill(prk, (byte) 0);
        }
    }

    private static Mac newMac(byte[] key) {
        try {
            Mac mac = Mac.getInstance(JCA_ALGORITHM);
            mac.init(new SecretKeySpec(key, JCA_ALGORITHM));
            return mac;
        } catch (NoSuchAlgorithmException e) {
            throw new IpcException(ErrorCode.INTERNAL, "the JDK offers no " + JCA_ALGORITHM, e);
        } catch (InvalidKeyException e) {
            throw new IpcException(ErrorCode.CONFIG_INVALID, "HKDF key not usable with " + JCA_ALGORITHM);
        }
    }
}
