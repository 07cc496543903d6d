package org.eipc.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The last value of each header field that stays the same from frame to frame of a session ({@code service_id},
 * {@code session_id}, {@code capability}, {@code route}), kept with its bytes by a reusable {@link HeaderParser}:
 * when the next frame carries the same bytes, the parser hands out the String it already has instead of building
 * an equal one. On a connection that is every frame, so a decoded header then allocates only itself and the
 * strings that really change ({@code request_id}, {@code timestamp}). Comparing the bytes costs a few nanoseconds
 * (a vectorised {@link Arrays#equals(byte[], int, int, byte[], int, int)}); building a string costs an allocation
 * and a copy.
 *
 * <p>Only for plain values: the bytes {@code [p, q)} must be the string's Latin-1 encoding, which holds for what
 * the fast paths build (ASCII without escapes). Values longer than {@link #MAX_LENGTH} are not kept. Not
 * thread-safe, like the parser that owns it.
 */
final class RecentStrings {
    static final int SERVICE_ID = 0;
    static final int SESSION_ID = 1;
    static final int CAPABILITY = 2;
    static final int ROUTE = 3;
    private static final int FIELDS = 4;

    /** Longer values are built each time: what is kept per parser stays small. */
    static final int MAX_LENGTH = 256;

    private final byte[][] bytes = new byte[FIELDS][];
    private final int[] lengths = new int[FIELDS];
    private final String[] values = new String[FIELDS];

    /** The string of bytes {@code [p, q)} of {@code b} (plain ASCII): the kept one when the bytes are the same. */
    String get(final int field, final byte[] b, final int p, final int q) {
        final int n = q - p;
        if (n == 0) {
            return "";
        }
        final String kept = values[field];
        if (kept != null && lengths[field] == n && Arrays.equals(b, p, q, bytes[field], 0, n)) {
            return kept;
        }
        final String s = plain(b, p, q);
        if (n <= MAX_LENGTH) {
            byte[] copy = bytes[field];
            if (copy == null || copy.length < n) {
                copy = bytes[field] = new byte[Math.max(n, 32)];
            }
            System.arraycopy(b, p, copy, 0, n);
            lengths[field] = n;
            values[field] = s;
        }
        return s;
    }

    /** A string of bytes {@code [p, q)} of {@code b} (plain ASCII), through {@code recent} when there is one. */
    static String of(final RecentStrings recent, final int field, final byte[] b, final int p, final int q) {
        return recent != null ? recent.get(field, b, p, q) : plain(b, p, q);
    }

    /** A new string of bytes {@code [p, q)} of {@code b} (plain ASCII: one Latin-1 copy), or "" when empty. */
    static String plain(final byte[] b, final int p, final int q) {
        return q == p ? "" : new String(b, p, q - p, StandardCharsets.ISO_8859_1);
    }
}
