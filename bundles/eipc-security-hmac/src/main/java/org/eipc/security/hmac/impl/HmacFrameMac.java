package org.eipc.security.hmac.impl;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;

import javax.crypto.Mac;
import javax.crypto.ShortBufferException;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;
import org.eipc.spi.security.FrameMac;

/**
 * One initialised {@link Mac} under one key, reused for every frame. The MAC is computed into a reusable
 * 32-byte scratch array; input buffers are fed to the Mac directly (heap or direct) and their positions are
 * restored, so a call allocates nothing of its own. Not thread-safe, like every {@link FrameMac}.
 */
final class HmacFrameMac implements FrameMac {
    private final Mac hmac;
    private final String keyId;
    private final byte[] scratch = new byte[HmacSha256Provider.MAC_LENGTH];

    HmacFrameMac(Mac hmac, String keyId) {
        this.hmac = hmac;
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
     * True when the 32 bytes of {@code mac} from {@code at} equal {@code expected}. Always looks at every byte,
     * so the time taken does not tell an attacker how long a matching prefix was.
     */
    static boolean constantTimeEquals(byte[] expected, ByteBuffer mac, int at) {
        int diff = 0;
        for (int i = 0; i < expected.length; i++) {
            diff |= expected[i] ^ mac.get(at + i);
        }
        return diff == 0;
    }

    private void compute(ByteBuffer data) {
        final int position = data.position();
        try {
            hmac.update(data);
            hmac.doFinal(scratch, 0);
        } catch (ShortBufferException e) {
            throw new IpcException(ErrorCode.INTERNAL, "MAC scratch buffer too small", e);
        } catch (RuntimeException e) {
            hmac.reset(); // leave the Mac ready for the next frame
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
