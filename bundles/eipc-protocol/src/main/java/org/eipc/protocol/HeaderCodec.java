package org.eipc.protocol;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import org.eipc.api.ErrorCode;
import org.eipc.api.Header;
import org.eipc.api.IpcException;

/**
 * The frame header JSON, hand-written so that the bytes are exactly what Go's {@code encoding/json} produces
 * and accepts, without Jackson at runtime and without intermediate arrays.
 *
 * <p><b>Writing</b> gives the bytes of Go's {@code json.Marshal(protocol.Header)}: fields in the order
 * {@code service_id, session_id, request_id, sequence, timestamp, priority, capability, route,
 * payload_format}; {@code capability} and {@code route} left out when empty; {@code sequence} as an unsigned
 * decimal; Go's string escaping (<code>&lt;&gt;&amp;</code> as <code>&#92;u003c&#92;u003e&#92;u0026</code>, U+2028/2029 escaped, control
 * characters as {@code \n \r \t} or <code>&#92;u00XX</code>, unpaired surrogates as <code>&#92;ufffd</code>).
 *
 * <p><b>Reading</b> follows {@code json.Unmarshal} into that struct: keys match case-insensitively, the last
 * duplicate wins, unknown fields (any JSON value) are skipped, missing fields keep their zero value
 * ({@code ""} for strings, including {@code timestamp}), {@code null} leaves a field unchanged, whitespace is
 * allowed. A syntax error anywhere wins over a type error, as in Go (which validates the whole input first).
 * Deviations from Go, on purpose: invalid UTF-8 is rejected ({@link ErrorCode#HEADER_SYNTAX}) instead of
 * being replaced, and nesting deeper than {@value #MAX_DEPTH} levels is rejected.
 *
 * <p>Stateless and thread-safe.
 */
public final class HeaderCodec {
    /** Deepest nesting of JSON values the reader accepts (the header object itself is level 1). */
    public static final int MAX_DEPTH = 64;

    // What comes between the values, with the strings' quotes: 10 to 18 bytes, two or three 8-byte stores each
    private static final byte[] K_SERVICE_ID = ascii("{\"service_id\":\"");
    private static final byte[] K_SESSION_ID = ascii("\",\"session_id\":\"");
    private static final byte[] K_REQUEST_ID = ascii("\",\"request_id\":\"");
    private static final byte[] K_SEQUENCE = ascii("\",\"sequence\":");
    private static final byte[] K_TIMESTAMP = ascii(",\"timestamp\":\"");
    private static final byte[] K_PRIORITY = ascii("\",\"priority\":");
    private static final byte[] K_CAPABILITY = ascii(",\"capability\":\"");
    private static final byte[] K_ROUTE = ascii(",\"route\":\"");
    private static final byte[] K_PAYLOAD_FORMAT = ascii(",\"payload_format\":");
    private static final byte[] HEX = ascii("0123456789abcdef");
    /** For ASCII: 0 = written as is, else the byte after the backslash ('u' for a six-byte unicode escape). */
    private static final byte[] ESCAPE = new byte[128];

    static {
        for (int c = 0; c < 0x20; c++) {
            ESCAPE[c] = 'u';
        }
        ESCAPE['\n'] = 'n';
        ESCAPE['\r'] = 'r';
        ESCAPE['\t'] = 't';
        ESCAPE['"'] = '"';
        ESCAPE['\\'] = '\\';
        ESCAPE['<'] = 'u';
        ESCAPE['>'] = 'u';
        ESCAPE['&'] = 'u';
    }

    /**
     * Per char 0..0xFF: 1 unless it is plain ASCII, written as one byte without escaping. An {@code int[]}
     * because it measured a few percent faster than a {@code byte[]} (no sign extension).
     */
    private static final int[] NOT_PLAIN = new int[256];

    static {
        for (int c = 0; c < 256; c++) {
            NOT_PLAIN[c] = c >= 0x80 || ESCAPE[c] != 0 ? 1 : 0;
        }
    }

    /** Everything but string contents and numbers, without the optional fields. */
    private static final int FIXED = K_SERVICE_ID.length + K_SESSION_ID.length + K_REQUEST_ID.length
            + K_SEQUENCE.length + K_TIMESTAMP.length + K_PRIORITY.length + K_PAYLOAD_FORMAT.length + 1;

    private HeaderCodec() {
    }

    /**
     * Writes {@code h} as Go would marshal it at {@code out}'s position, advancing it.
     *
     * <p>One pass over the strings finds the exact length and which strings are plain ASCII; a second copies
     * those in bulk (with {@code String.getBytes}) and escapes the others. Heap buffers are written through
     * their array; other buffers through a temporary array (use {@link FrameEncoder}, which keeps one, on hot
     * paths with direct buffers).
     *
     * @return the number of bytes written
     * @throws IpcException {@link ErrorCode#ILLEGAL_STATE} if {@code out} is read-only or has too little room
     *         (nothing is written then)
     */
    public static int write(Header h, ByteBuffer out) {
        if (out.isReadOnly()) {
            throw new IpcException(ErrorCode.ILLEGAL_STATE, "output buffer is read-only");
        }
        long m = measure(h, null);
        int len = (int) m;
        int remaining = out.remaining();
        if (remaining < len) {
            throw new IpcException(ErrorCode.ILLEGAL_STATE,
                    "output buffer has " + remaining + " bytes left, header needs " + len);
        }
        int start = out.position();
        int end = writeAt(h, out, start, len, null, (int) (m >>> 32));
        out.position(end);
        return end - start;
    }

    /** The exact number of bytes {@link #write} produces for {@code h}. */
    public static int encodedLength(Header h) {
        return (int) measure(h, null);
    }

    // Bits of the "plain" mask returned by measure: the string is written byte for byte. Bit k is field k,
    // which is also the field's slot in the memo and (shifted by PLAIN_SHIFT) its flag in contentLength.
    private static final int P_SERVICE = 1;
    private static final int P_SESSION = 2;
    private static final int P_REQUEST = 4;
    private static final int P_TIMESTAMP = 8;
    private static final int P_CAPABILITY = 16;
    private static final int P_ROUTE = 32;

    /** Size of the memo array {@link #measure(Header, String[])} takes: one slot per string field. */
    static final int MEMO_SLOTS = 6;

    /** Where contentLength puts a field's plain flag: above any sum of six escaped lengths (6 * 6 * 2^31 < 2^40). */
    private static final int PLAIN_SHIFT = 40;

    /**
     * The exact encoded length (low 32 bits, at most {@link Integer#MAX_VALUE}) and, in the high 32 bits, a
     * mask of {@code P_*} bits for the strings that are plain ASCII (written as they are), so that the writer
     * can bulk-copy them.
     *
     * <p>Kept small enough for C2 to inline into its callers (under 325 bytes of bytecode), so that the static
     * writer's copy, with {@code memo == null} folded away, does not share its branch profile with the
     * encoder's.
     *
     * @param memo {@code null}, or {@link #MEMO_SLOTS} slots owned by one caller, which remember per field the
     *        last string found plain: when a field holds that same object again (strings are immutable) its
     *        chars are not checked again. A writer reused for a session's frames thus checks the session's
     *        ids once, not per frame.
     */
    static long measure(Header h, String[] memo) {
        long n = FIXED + unsignedDigits(h.sequence()) + unsignedDigits(h.priority())
                + unsignedDigits(h.payloadFormat()) + contentLength(h.serviceId(), memo, 0)
                + contentLength(h.sessionId(), memo, 1) + contentLength(h.requestId(), memo, 2)
                + contentLength(h.timestamp(), memo, 3);
        String s = h.capability();
        if (!s.isEmpty()) {
            n += K_CAPABILITY.length + 1 + contentLength(s, memo, 4);
        }
        s = h.route();
        if (!s.isEmpty()) {
            n += K_ROUTE.length + 1 + contentLength(s, memo, 5);
        }
        long len = n & ((1L << PLAIN_SHIFT) - 1);
        return ((n >>> PLAIN_SHIFT) << 32) | Math.min(len, Integer.MAX_VALUE);
    }

    /**
     * Bytes of {@code s} between its quotes, plus the flag {@code 1L << (PLAIN_SHIFT + slot)} when they are
     * {@code s}'s chars as they are (plain ASCII). Remembers a plain {@code s} in {@code memo[slot]}.
     */
    private static long contentLength(String s, String[] memo, int slot) {
        if (memo != null && memo[slot] == s) {
            return s.length() | (1L << (PLAIN_SHIFT + slot));
        }
        int l = plainLength(s);
        if (l < 0) {
            return escapedLength(s);
        }
        if (memo != null) {
            memo[slot] = s;
        }
        return l | (1L << (PLAIN_SHIFT + slot));
    }

    /**
     * {@code s.length()} when every char is written as one byte unescaped (0x20..0x7F but {@code " \ < > &}),
     * else -1.
     *
     * <p>Branch-free: {@code NOT_PLAIN[c & 0xFF]} flags escaped ASCII and 0x80..0xFF, {@code c >>> 8} every
     * char above 0xFF, so {@code bad} stays 0 only for plain ASCII (the low byte alone would let e.g. U+0141
     * pass as 'A'). The shape matters for speed: it measured about 0.5 ns per char against 1.1 ns for
     * {@code (c >>> 7) | ESCAPE[c & 0x7F]}. The likely reason: for a Latin-1 string {@code charAt} yields
     * {@code value[k] & 0xFF}, so C2 can fold the mask and the shift away, which a 0x7F mask does not allow.
     */
    static int plainLength(String s) {
        int len = s.length();
        int bad = 0;
        for (int k = 0; k < len; k++) {
            int c = s.charAt(k);
            bad |= NOT_PLAIN[c & 0xFF] | (c >>> 8);
        }
        return bad == 0 ? len : -1;
    }

    /**
     * Reads a header from {@code json}'s remaining bytes (its position is left unchanged).
     *
     * @param baseOffset added to every error offset, e.g. 16 when the header starts at byte 16 of a frame
     * @throws IpcException {@link ErrorCode#HEADER_EMPTY}, {@link ErrorCode#HEADER_SYNTAX},
     *         {@link ErrorCode#HEADER_NOT_OBJECT} or {@link ErrorCode#HEADER_FIELD_TYPE}, with the offset
     *         {@code baseOffset +} index of the offending byte
     */
    public static Header read(ByteBuffer json, int baseOffset) {
        if (json.hasArray()) {
            // the common case needs no parser object: the fast path works on the array directly
            int off = json.arrayOffset();
            byte[] a = json.array();
            Header h = HeaderExactPath.parse(a, off + json.position(), off + json.limit());
            if (h != null) {
                return h;
            }
            h = HeaderParser.parseCommon(a, off + json.position(), off + json.limit(), Header.builder());
            if (h != null) {
                return h;
            }
        }
        return new HeaderParser(json, json.position(), json.limit(), baseOffset).parse();
    }

    /** Reads bytes {@code [from, to)} of {@code buf} (absolute indexes); errors at {@code baseOffset + i - from}. */
    static Header read(ByteBuffer buf, int from, int to, int baseOffset) {
        return new HeaderParser(buf, from, to, baseOffset).parse();
    }

    /**
     * Writes at absolute index {@code at} of {@code out} without checking room; returns the index after the
     * header. Heap buffers are written through their array; others through {@code scratchHolder[0]} (grown and
     * kept there when too small; a temporary array when {@code scratchHolder} is null) and one bulk put.
     *
     * @param len the exact length ({@link #measure})
     * @param plain the plain mask from {@link #measure}
     */
    static int writeAt(Header h, ByteBuffer out, int at, int len, byte[][] scratchHolder, int plain) {
        if (out.hasArray()) {
            int base = out.arrayOffset();
            return writeTo(h, out.array(), base + at, plain) - base;
        }
        byte[] tmp = scratchHolder == null ? null : scratchHolder[0];
        if (tmp == null || tmp.length < len) {
            tmp = new byte[len];
            if (scratchHolder != null && len <= 65_536) { // keep usual sizes, do not pin huge ones
                scratchHolder[0] = tmp;
            }
        }
        int n = writeTo(h, tmp, 0, plain);
        out.put(at, tmp, 0, n);
        return at + n;
    }

    /**
     * Writes the header into {@code a} from index {@code i}; returns the index after it. The strings whose
     * {@code P_*} bit is set in {@code plain} must be plain ASCII (as {@link #measure} found) and are copied in
     * bulk; the others are checked first.
     */
    static int writeTo(Header h, byte[] a, int i, int plain) {
        i = putBytes(a, i, K_SERVICE_ID);
        i = putChars(a, i, h.serviceId(), (plain & P_SERVICE) != 0);
        i = putBytes(a, i, K_SESSION_ID);
        i = putChars(a, i, h.sessionId(), (plain & P_SESSION) != 0);
        i = putBytes(a, i, K_REQUEST_ID);
        i = putChars(a, i, h.requestId(), (plain & P_REQUEST) != 0);
        i = putBytes(a, i, K_SEQUENCE);
        i = putUnsigned(a, i, h.sequence());
        i = putBytes(a, i, K_TIMESTAMP);
        i = putChars(a, i, h.timestamp(), (plain & P_TIMESTAMP) != 0);
        i = putBytes(a, i, K_PRIORITY);
        i = putUnsigned(a, i, h.priority());
        String s = h.capability();
        if (!s.isEmpty()) {
            i = putBytes(a, i, K_CAPABILITY);
            i = putChars(a, i, s, (plain & P_CAPABILITY) != 0);
            a[i++] = '"';
        }
        s = h.route();
        if (!s.isEmpty()) {
            i = putBytes(a, i, K_ROUTE);
            i = putChars(a, i, s, (plain & P_ROUTE) != 0);
            a[i++] = '"';
        }
        i = putBytes(a, i, K_PAYLOAD_FORMAT);
        i = putUnsigned(a, i, h.payloadFormat());
        a[i++] = '}';
        return i;
    }

    // ---- writing --------------------------------------------------------------------------------------------

    /** Bytes of {@code s} as the contents of a Go JSON string literal, quotes not included. */
    static long escapedLength(String s) {
        long n = 0;
        int len = s.length();
        for (int k = 0; k < len; k++) {
            char c = s.charAt(k);
            if (c < 0x80) {
                byte e = ESCAPE[c];
                n += e == 0 ? 1 : e == 'u' ? 6 : 2;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && k + 1 < len && Character.isLowSurrogate(s.charAt(k + 1))) {
                n += 4;
                k++;
            } else if (Character.isSurrogate(c) || c == '\u2028' || c == '\u2029') {
                n += 6; // escape u+fffd for an unpaired surrogate, escapes for u+2028 / u+2029
            } else {
                n += 3;
            }
        }
        return n;
    }

    /**
     * Writes {@code s} as the contents of a Go JSON string literal (no quotes). A plain ASCII string
     * ({@code knownPlain}, or found so by {@link #plainLength}) is copied in bulk; any other goes through the
     * escaping loop. Checking first and then copying is faster than a loop that checks and stores each char.
     */
    @SuppressWarnings("deprecation") // String.getBytes(int, int, byte[], int): exact for the ASCII checked before
    private static int putChars(byte[] out, int i, String s, boolean knownPlain) {
        int len = s.length();
        if (knownPlain || plainLength(s) >= 0) {
            s.getBytes(0, len, out, i);
            return i + len;
        }
        return putEscaped(out, i, s, 0, len);
    }

    /** Writes chars {@code [k, len)} of {@code s} with Go's escaping and UTF-8; returns the index after them. */
    private static int putEscaped(byte[] out, int i, String s, int k, int len) {
        for (; k < len; k++) {
            char c = s.charAt(k);
            if (c < 0x80) {
                byte e = ESCAPE[c];
                if (e == 0) {
                    out[i++] = (byte) c;
                } else if (e != 'u') {
                    out[i++] = '\\';
                    out[i++] = e;
                } else {
                    i = putUnicodeEscape(out, i, c);
                }
            } else if (c < 0x800) {
                out[i++] = (byte) (0xC0 | (c >> 6));
                out[i++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c) && k + 1 < len && Character.isLowSurrogate(s.charAt(k + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++k));
                out[i++] = (byte) (0xF0 | (cp >> 18));
                out[i++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                out[i++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                out[i++] = (byte) (0x80 | (cp & 0x3F));
            } else if (Character.isSurrogate(c)) {
                i = putUnicodeEscape(out, i, '\ufffd'); // Go writes invalid UTF-8 as the escape \ufffd
            } else if (c == '\u2028' || c == '\u2029') {
                i = putUnicodeEscape(out, i, c);
            } else {
                out[i++] = (byte) (0xE0 | (c >> 12));
                out[i++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                out[i++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        return i;
    }

    private static int putUnicodeEscape(byte[] out, int i, char c) {
        out[i++] = (byte) '\\';
        out[i++] = (byte) 'u';
        out[i++] = HEX[(c >> 12) & 0xF];
        out[i++] = HEX[(c >> 8) & 0xF];
        out[i++] = HEX[(c >> 4) & 0xF];
        out[i++] = HEX[c & 0xF];
        return i;
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /**
     * Copies a key (9 to 24 bytes, all of ours) with overlapping 8-byte stores, which is cheaper than
     * {@code System.arraycopy} for such short constants; never writes outside {@code [i, i + b.length)}.
     */
    private static int putBytes(byte[] out, int i, byte[] b) {
        int n = b.length;
        LONGS.set(out, i, (long) LONGS.get(b, 0));
        if (n > 16) {
            LONGS.set(out, i + 8, (long) LONGS.get(b, 8));
        }
        LONGS.set(out, i + n - 8, (long) LONGS.get(b, n - 8));
        return i + n;
    }

    /** 10^0 .. 10^18. */
    private static final long[] POW10 = new long[19];

    static {
        POW10[0] = 1;
        for (int k = 1; k < POW10.length; k++) {
            POW10[k] = POW10[k - 1] * 10;
        }
    }

    static int unsignedDigits(long v) {
        if (v < 0) {
            return 20 - (Long.compareUnsigned(v, -8_446_744_073_709_551_616L) < 0 ? 1 : 0);
        }
        if (v < 10) {
            return 1;
        }
        // floor(bits * log10(2)) is the digit count or one less; one compare with a power of ten decides
        int d = ((64 - Long.numberOfLeadingZeros(v)) * 1233) >>> 12;
        return d + (v >= POW10[d] ? 1 : 0);
    }

    private static int putUnsigned(byte[] out, int i, long v) {
        if (v >= 0 && v < 10) {
            out[i] = (byte) ('0' + (int) v);
            return i + 1;
        }
        int n = unsignedDigits(v);
        int end = i + n;
        int k = end;
        if (v < 0) {
            // above Long.MAX_VALUE: peel one digit with unsigned division first
            long q = Long.divideUnsigned(v, 10);
            out[--k] = (byte) ('0' + (int) (v - q * 10));
            v = q;
        }
        while (v >= 100) { // two digits per division
            long q = v / 100;
            int r = (int) (v - q * 100);
            out[--k] = (byte) ('0' + r % 10);
            out[--k] = (byte) ('0' + r / 10);
            v = q;
        }
        if (v >= 10) {
            int r = (int) v;
            out[--k] = (byte) ('0' + r % 10);
            out[--k] = (byte) ('0' + r / 10);
        } else {
            out[--k] = (byte) ('0' + (int) v);
        }
        return end;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
