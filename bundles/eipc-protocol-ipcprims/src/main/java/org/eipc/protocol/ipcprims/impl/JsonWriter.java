package org.eipc.protocol.ipcprims.impl;

import java.util.Arrays;

/**
 * A compact JSON writer that spells output exactly like serde_json's {@code to_vec}: no whitespace, fields in
 * call order, strings escaped as serde_json does ({@code \" \\ \b \f \n \r \t}, other control characters as
 * lowercase {@code \\u00XX} escapes, everything else, including {@code /} and non-ASCII, raw UTF-8).
 *
 * <p>Writes into its own growable byte array. {@link #wipe()} zeroes it, for documents that carried a secret.
 * Not thread-safe.
 */
public final class JsonWriter {
    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private byte[] out;
    private int len;
    private boolean needComma;

    /** @param capacity initial capacity in bytes */
    public JsonWriter(int capacity) {
        out = new byte[Math.max(16, capacity)];
    }

    private void ensure(int n) {
        if (len + n > out.length) {
            final byte[] bigger = Arrays.copyOf(out, Math.max(out.length * 2, len + n));
            Arrays.fill(out, (byte) 0); // the old copy may hold a secret
            out = bigger;
        }
    }

    private void raw(int b) {
        ensure(1);
        out[len++] = (byte) b;
    }

    private void comma() {
        if (needComma) {
            raw(',');
        }
        needComma = true;
    }

    /** Opens an object (as a value or at top level). */
    public JsonWriter beginObject() {
        raw('{');
        needComma = false;
        return this;
    }

    /** Closes the current object. */
    public JsonWriter endObject() {
        raw('}');
        needComma = true;
        return this;
    }

    /** Writes a field name; the value call must follow. */
    public JsonWriter name(CharSequence name) {
        comma();
        string(name);
        raw(':');
        needComma = false;
        return this;
    }

    /** Writes a string value. */
    public JsonWriter value(CharSequence s) {
        comma();
        string(s);
        return this;
    }

    /** Writes a string value from chars (used for secrets, which never become a {@link String}). */
    public JsonWriter value(char[] s) {
        comma();
        raw('"');
        for (int i = 0; i < s.length; i++) {
            i = writeChar(s[i], i + 1 < s.length ? s[i + 1] : 0, i);
        }
        raw('"');
        return this;
    }

    /** Writes an array of unsigned integers. */
    public JsonWriter value(int[] values) {
        comma();
        raw('[');
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                raw(',');
            }
            number(values[i]);
        }
        raw(']');
        return this;
    }

    private void number(int v) {
        final String s = Integer.toString(v);
        for (int i = 0; i < s.length(); i++) {
            raw(s.charAt(i));
        }
    }

    private void string(CharSequence s) {
        raw('"');
        final int n = s.length();
        for (int i = 0; i < n; i++) {
            i = writeChar(s.charAt(i), i + 1 < n ? s.charAt(i + 1) : 0, i);
        }
        raw('"');
    }

    /** Writes one char (or a surrogate pair); returns the index of the last char consumed. */
    private int writeChar(char c, char next, int i) {
        if (c < 0x80) {
            switch (c) {
                case '"': raw('\\'); raw('"'); break;
                case '\\': raw('\\'); raw('\\'); break;
                case '\b': raw('\\'); raw('b'); break;
                case '\f': raw('\\'); raw('f'); break;
                case '\n': raw('\\'); raw('n'); break;
                case '\r': raw('\\'); raw('r'); break;
                case '\t': raw('\\'); raw('t'); break;
                default:
                    if (c < 0x20) {
                        raw('\\'); raw('u'); raw('0'); raw('0');
                        raw(HEX[c >> 4]);
                        raw(HEX[c & 0xF]);
                    } else {
                        raw(c);
                    }
            }
            return i;
        }
        if (c < 0x800) {
            raw(0xC0 | (c >> 6));
            raw(0x80 | (c & 0x3F));
            return i;
        }
        if (Character.isHighSurrogate(c) && Character.isLowSurrogate(next)) {
            final int cp = Character.toCodePoint(c, next);
            raw(0xF0 | (cp >> 18));
            raw(0x80 | ((cp >> 12) & 0x3F));
            raw(0x80 | ((cp >> 6) & 0x3F));
            raw(0x80 | (cp & 0x3F));
            return i + 1;
        }
        if (Character.isSurrogate(c)) {
            throw new IllegalArgumentException("unpaired surrogate at index " + i);
        }
        raw(0xE0 | (c >> 12));
        raw(0x80 | ((c >> 6) & 0x3F));
        raw(0x80 | (c & 0x3F));
        return i;
    }

    /** Number of bytes written. */
    public int length() {
        return len;
    }

    /** A copy of the bytes written. */
    public byte[] toByteArray() {
        return Arrays.copyOf(out, len);
    }

    /** Zeroes the internal buffer. */
    public void wipe() {
        Arrays.fill(out, (byte) 0);
        len = 0;
    }
}
