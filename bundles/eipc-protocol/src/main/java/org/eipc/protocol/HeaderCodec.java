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

    private static final byte[] K_SERVICE_ID = ascii("{\"service_id\":");
    private static final byte[] K_SESSION_ID = ascii(",\"session_id\":");
    private static final byte[] K_REQUEST_ID = ascii(",\"request_id\":");
    private static final byte[] K_SEQUENCE = ascii(",\"sequence\":");
    private static final byte[] K_TIMESTAMP = ascii(",\"timestamp\":");
    private static final byte[] K_PRIORITY = ascii(",\"priority\":");
    private static final byte[] K_CAPABILITY = ascii(",\"capability\":");
    private static final byte[] K_ROUTE = ascii(",\"route\":");
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

    /** Everything but string contents, with both optional fields and the longest numbers. */
    private static final int MAX_FIXED = K_SERVICE_ID.length + K_SESSION_ID.length + K_REQUEST_ID.length
            + K_SEQUENCE.length + K_TIMESTAMP.length + K_PRIORITY.length + K_CAPABILITY.length + K_ROUTE.length
            + K_PAYLOAD_FORMAT.length + 1 + 6 * 2 + 20 + 3 + 3;

    private HeaderCodec() {
    }

    /**
     * Writes {@code h} as Go would marshal it at {@code out}'s position, advancing it.
     *
     * @return the number of bytes written
     * @throws IpcException {@link ErrorCode#ILLEGAL_STATE} if {@code out} has too little room (nothing is
     *         written then)
     */
    public static int write(Header h, ByteBuffer out) {
        if (out.isReadOnly()) {
            throw new IpcException(ErrorCode.ILLEGAL_STATE, "output buffer is read-only");
        }
        int remaining = out.remaining();
        long bound = maxEncodedLength(h);
        int len;
        int plain;
        if (bound <= remaining) { // skip the exact pass when roomy
            len = (int) bound;
            plain = 0;
        } else {
            long m = measure(h);
            len = (int) m;
            plain = (int) (m >>> 32);
            if (remaining < len) {
                throw new IpcException(ErrorCode.ILLEGAL_STATE,
                        "output buffer has " + remaining + " bytes left, header needs " + len);
            }
        }
        int start = out.position();
        int end;
        if (out.hasArray()) {
            int base = out.arrayOffset();
            end = writeTo(h, out.array(), base + start, plain) - base;
        } else {
            end = writeAt(h, out, start, len, null, plain);
        }
        out.position(end);
        return end - start;
    }

    /**
     * An upper bound of {@link #encodedLength} that costs nothing to compute (every char taken as a 6-byte
     * escape), so writers can skip the exact length pass when the room is plainly there.
     */
    static long maxEncodedLength(Header h) {
        long chars = (long) h.serviceId().length() + h.sessionId().length() + h.requestId().length()
                + h.timestamp().length() + h.capability().length() + h.route().length();
        return MAX_FIXED + 6 * chars;
    }

    /** The exact number of bytes {@link #write} produces for {@code h}. */
    public static int encodedLength(Header h) {
        return (int) measure(h);
    }

    // Bits of the "plain" mask returned by measure: the string is known to be written byte for byte.
    private static final int P_SERVICE = 1;
    private static final int P_SESSION = 2;
    private static final int P_REQUEST = 4;
    private static final int P_TIMESTAMP = 8;
    private static final int P_CAPABILITY = 16;
    private static final int P_ROUTE = 32;

    /**
     * The exact encoded length (low 32 bits) and, in the high 32 bits, a mask of {@code P_*} bits for the
     * strings that are plain ASCII (written as they are), so that the writer can bulk-copy them.
     */
    static long measure(Header h) {
        int n = K_SERVICE_ID.length + K_SESSION_ID.length + K_REQUEST_ID.length + K_SEQUENCE.length
                + K_TIMESTAMP.length + K_PRIORITY.length + K_PAYLOAD_FORMAT.length + 1 + 2 * 4;
        int plain = 0;
        String s = h.serviceId();
        int l = plainLength(s);
        if (l >= 0) {
            plain |= P_SERVICE;
        } else {
            l = stringLength(s) - 2;
        }
        n += l;
        s = h.sessionId();
        l = plainLength(s);
        if (l >= 0) {
            plain |= P_SESSION;
        } else {
            l = stringLength(s) - 2;
        }
        n += l;
        s = h.requestId();
        l = plainLength(s);
        if (l >= 0) {
            plain |= P_REQUEST;
        } else {
            l = stringLength(s) - 2;
        }
        n += l;
        s = h.timestamp();
        l = plainLength(s);
        if (l >= 0) {
            plain |= P_TIMESTAMP;
        } else {
            l = stringLength(s) - 2;
        }
        n += l;
        n += unsignedDigits(h.sequence()) + unsignedDigits(h.priority()) + unsignedDigits(h.payloadFormat());
        s = h.capability();
        if (!s.isEmpty()) {
            l = plainLength(s);
            if (l >= 0) {
                plain |= P_CAPABILITY;
            } else {
                l = stringLength(s) - 2;
            }
            n += K_CAPABILITY.length + 2 + l;
        }
        s = h.route();
        if (!s.isEmpty()) {
            l = plainLength(s);
            if (l >= 0) {
                plain |= P_ROUTE;
            } else {
                l = stringLength(s) - 2;
            }
            n += K_ROUTE.length + 2 + l;
        }
        return ((long) plain << 32) | (n & 0xFFFF_FFFFL);
    }

    /** {@code s.length()} when every char is written as one byte unescaped (0x20..0x7E but {@code " \ < > &}), else -1. */
    static int plainLength(String s) {
        int len = s.length();
        int bad = 0;
        for (int k = 0; k < len; k++) { // branch-free: any char >= 0x80 or any escaped ASCII sets a bit
            int c = s.charAt(k);
            bad |= (c >>> 7) | ESCAPE[c & 0x7F];
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
     * header. Heap buffers are written through their array; others through {@code scratch} (grown and returned
     * in {@code scratchHolder[0]} when too small, so callers can keep it) and one bulk put.
     */
    static int writeAt(Header h, ByteBuffer out, int at, int len, byte[][] scratchHolder) {
        return writeAt(h, out, at, len, scratchHolder, 0);
    }

    /** {@link #writeAt(Header, ByteBuffer, int, int, byte[][])} with the plain mask from {@link #measure}. */
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

    /** Writes the header into {@code a} from index {@code i}; returns the index after it. */
    static int writeTo(Header h, byte[] a, int i) {
        return writeTo(h, a, i, 0);
    }

    /**
     * Writes the header into {@code a} from index {@code i}; returns the index after it. The strings whose
     * {@code P_*} bit is set in {@code plain} must be plain ASCII (as {@link #measure} found) and are copied in
     * bulk; the others are checked while written.
     */
    static int writeTo(Header h, byte[] a, int i, int plain) {
        i = putBytes(a, i, K_SERVICE_ID);
        i = putString(a, i, h.serviceId(), (plain & P_SERVICE) != 0);
        i = putBytes(a, i, K_SESSION_ID);
        i = putString(a, i, h.sessionId(), (plain & P_SESSION) != 0);
        i = putBytes(a, i, K_REQUEST_ID);
        i = putString(a, i, h.requestId(), (plain & P_REQUEST) != 0);
        i = putBytes(a, i, K_SEQUENCE);
        i = putUnsigned(a, i, h.sequence());
        i = putBytes(a, i, K_TIMESTAMP);
        i = putString(a, i, h.timestamp(), (plain & P_TIMESTAMP) != 0);
        i = putBytes(a, i, K_PRIORITY);
        i = putUnsigned(a, i, h.priority());
        String s = h.capability();
        if (!s.isEmpty()) {
            i = putBytes(a, i, K_CAPABILITY);
            i = putString(a, i, s, (plain & P_CAPABILITY) != 0);
        }
        s = h.route();
        if (!s.isEmpty()) {
            i = putBytes(a, i, K_ROUTE);
            i = putString(a, i, s, (plain & P_ROUTE) != 0);
        }
        i = putBytes(a, i, K_PAYLOAD_FORMAT);
        i = putUnsigned(a, i, h.payloadFormat());
        a[i++] = '}';
        return i;
    }

    // ---- writing --------------------------------------------------------------------------------------------

    /** Bytes of {@code s} as a Go JSON string literal, quotes included. */
    static int stringLength(String s) {
        int n = 2;
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
     * Writes {@code s} as a Go JSON string literal. With {@code knownPlain} (every char checked to be plain
     * ASCII) the chars are copied in bulk; otherwise plain chars are copied while checked, and the first other
     * char hands over to the escaping loop.
     */
    @SuppressWarnings("deprecation") // String.getBytes(int, int, byte[], int): exact for the ASCII checked before
    private static int putString(byte[] out, int i, String s, boolean knownPlain) {
        out[i++] = '"';
        int len = s.length();
        int k = 0;
        if (knownPlain) {
            s.getBytes(0, len, out, i);
            k = len;
        } else {
            for (; k < len; k++) {
                char c = s.charAt(k);
                if (c >= 0x80 || ESCAPE[c] != 0) {
                    break;
                }
                out[i + k] = (byte) c;
            }
        }
        i += k;
        if (k < len) {
            i = putEscaped(out, i, s, k, len);
        }
        out[i++] = (byte) '"';
        return i;
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
     * Copies a key (8 to 24 bytes, all of ours) with overlapping 8-byte stores, which is cheaper than
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
