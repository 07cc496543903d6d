package org.eipc.security.hmac.impl;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;
import org.eipc.spi.security.FrameMac;

/**
 * HMAC-SHA256 (RFC 2104) under one key over two reused SHA-256 {@link MessageDigest}s, for every frame.
 *
 * <p>Not {@link javax.crypto.Mac}: its {@code doFinal(byte[], int)} allocates the result array on every call
 * (and SunJCE's {@code HmacCore} a second one for the inner hash), one or two 48-byte garbage objects per frame
 * on the receive path. Here both digests finish into a 32-byte scratch array with
 * {@link MessageDigest#digest(byte[], int, int)}, so a call allocates nothing. The compression work is the same
 * as {@code HmacCore}'s: the padded key block is hashed again for every frame. Input buffers are fed to the
 * digest directly (heap or direct) and their positions are restored. Not thread-safe, like every
 * {@link FrameMac}.
 */
final class HmacFrameMac implements FrameMac {
    private static final int BLOCK = 64;
    /** Reads eight bytes of an array in {@link ByteBuffer}'s default (big-endian) order. */
    private static final VarHandle BIG_ENDIAN_LONGS =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private final MessageDigest inner;
    private final MessageDigest outer;
    private final byte[] innerPad = new byte[BLOCK]; // key XOR 0x36
    private final byte[] outerPad = new byte[BLOCK]; // key XOR 0x5c
    private final String keyId;
    private final byte[] scratch = new byte[HmacSha256Provider.MAC_LENGTH];

    /** @param key the raw secret, not kept (the caller clears it); non-empty */
    HmacFrameMac(byte[] key, String keyId) {
        try {
            this.inner = MessageDigest.getInstance("SHA-256");
            this.outer = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IpcException(ErrorCode.INTERNAL, "the JDK offers no SHA-256", e);
        }
        byte[] k = key.length > BLOCK ? inner.digest(key) : key;
        for (int i = 0; i < BLOCK; i++) {
            byte b = i < k.length ? k[i] : 0;
            innerPad[i] = (byte) (b ^ 0x36);
            outerPad[i] = (byte) (b ^ 0x5c);
        }
        if (k != key) {
            Arrays.fill(k, (byte) 0);
        }
        this.keyId = keyId;
    }

    @Override
    public int length() {
        return HmacSha256Provider.MAC_LENGTH;
    }

    @Override
    public void sign(ByteBuffer data, ByteBuffer out) {
        // check before computing so that a too-small buffer is left untouched
        if (out.remaining() < HmacSha256Provider.MAC_LENGTH) {
            throw new BufferOverflowException();
        }
        compute(data);
        out.put(scratch, 0, HmacSha256Provider.MAC_LENGTH);
    }

    @Override
    public boolean verify(ByteBuffer data, ByteBuffer mac) {
        final int at = mac.position();
        // a short MAC (a truncated tag) is never accepted: the reference only knows full 32-byte MACs
        if (mac.remaining() < HmacSha256Provider.MAC_LENGTH) {
            return false;
        }
        compute(data);
        return constantTimeEquals(scratch, mac, at);
    }

    /**
     * True when the 32 bytes of {@code mac} from {@code at} equal {@code expected} (32 bytes). Always looks at
     * every byte, eight at a time, and folds the differences together without branching on them, so the time
     * taken does not tell an attacker how long a matching prefix was.
     */
    static boolean constantTimeEquals(byte[] expected, ByteBuffer mac, int at) {
        final boolean swap = mac.order() != ByteOrder.BIG_ENDIAN; // the buffer's order is no secret
        long diff = 0;
        for (int i = 0; i < HmacSha256Provider.MAC_LENGTH; i += Long.BYTES) {
            final long got = mac.getLong(at + i);
            diff |= (long) BIG_ENDIAN_LONGS.get(expected, i) ^ (swap ? Long.reverseBytes(got) : got);
        }
        return diff == 0;
    }

    /** HMAC of {@code data}'s remaining bytes into {@link #scratch}; {@code data}'s position is restored. */
    private void compute(ByteBuffer data) {
        final int position = data.position();
        try {
            inner.update(innerPad);
            inner.update(data);
            inner.digest(scratch, 0, HmacSha256Provider.MAC_LENGTH);
            outer.update(outerPad);
            outer.update(scratch, 0, HmacSha256Provider.MAC_LENGTH);
            outer.digest(scratch, 0, HmacSha256Provider.MAC_LENGTH);
        } catch (DigestException e) {
            inner.reset();
            outer.reset();
            throw new IpcException(ErrorCode.INTERNAL, "MAC scratch buffer too small", e);
        } catch (RuntimeException e) {
            inner.reset(); // leave the digests ready for the next frame
            outer.reset();
            throw e;
        } finally {
            data.position(position);
        }
    }

    @Override
    public String keyId() {
        return keyId;
    }

    @Override
    public String toString() {
        return "HmacFrameMac[" + HmacSha256Provider.ALGORITHM + ", keyId=" + keyId + "]";
    }
}
