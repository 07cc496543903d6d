package org.eipc.runtime.impl;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;

/** Lower-case hex, as the reference writes nonces, tokens and responses. */
final class Hex {
    private static final char[] DIGITS = "0123456789abcdef".toCharArray();

    private Hex() {
    }

    static String encode(byte[] b) {
        char[] c = new char[b.length * 2];
        for (int i = 0; i < b.length; i++) {
            c[2 * i] = DIGITS[(b[i] >> 4) & 0xF];
            c[2 * i + 1] = DIGITS[b[i] & 0xF];
        }
        return new String(c);
    }

    /**
     * Decodes hex (either case).
     *
     * @throws IpcException {@code code} for odd length or a non-hex character
     */
    static byte[] decode(String s, ErrorCode code) {
        if (s == null || (s.length() & 1) != 0) {
            throw new IpcException(code, "hex value of odd length");
        }
        byte[] b = new byte[s.length() / 2];
        for (int i = 0; i < b.length; i++) {
            int hi = Character.digit(s.charAt(2 * i), 16);
            int lo = Character.digit(s.charAt(2 * i + 1), 16);
            if (hi < 0 || lo < 0) {
                throw new IpcException(code, "not a hex value");
            }
            b[i] = (byte) ((hi << 4) | lo);
        }
        return b;
    }
}
