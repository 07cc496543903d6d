package org.eipc.protocol;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import org.eipc.api.Header;

/**
 * The first of the header parser's three stages: the exact bytes Go's {@code json.Marshal} and our writer produce
 * (keys in struct order and case, no whitespace, {@code capability} and {@code route} optional), with plain ASCII
 * string values and unsigned integers. Each key is compared, together with the quote and comma around it, as two or
 * three little-endian 8-byte words against constants; nothing else is accepted. On any deviation it returns
 * {@code null} and the caller goes on with {@link HeaderParser#parseCommon} and then the full parser, which parse
 * the same bytes from the start, so errors, offsets and Go's semantics are the full parser's. Whatever this
 * returns, the full parser would have returned the same header (checked by {@code HeaderFastPathTest}).
 *
 * <p>Stateless; never looks at a byte outside {@code [from, stop)} (see {@link HeaderParser#scanPlain}).
 */
final class HeaderExactPath {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    // The separators, each from the byte at which the previous value ends (a string's closing quote, or the byte
    // after a number) up to the first byte of the next value (after an opening quote for strings).
    private static final Template OPEN = new Template("{\"service_id\":\"");
    private static final Template SESSION = new Template("\",\"session_id\":\"");
    private static final Template REQUEST = new Template("\",\"request_id\":\"");
    private static final Template SEQUENCE = new Template("\",\"sequence\":");
    private static final Template TIMESTAMP = new Template(",\"timestamp\":\"");
    private static final Template PRIORITY = new Template("\",\"priority\":");
    private static final Template CAPABILITY = new Template(",\"capability\":\"");
    private static final Template ROUTE_AFTER_NUMBER = new Template(",\"route\":\"");
    private static final Template FORMAT_AFTER_NUMBER = new Template(",\"payload_format\":");
    private static final Template ROUTE_AFTER_STRING = new Template("\",\"route\":\"");
    private static final Template FORMAT_AFTER_STRING = new Template("\",\"payload_format\":");

    private HeaderExactPath() {
    }

    /** A separator of 8 to 24 bytes, as its first, middle (when longer than 16) and last eight bytes. */
    private static final class Template {
        final int len;
        final long head;
        final long mid;
        final long tail;

        Template(final String s) {
            final byte[] t = s.getBytes(StandardCharsets.US_ASCII);
            len = t.length;
            head = (long) LONGS.get(t, 0);
            mid = len > 16 ? (long) LONGS.get(t, 8) : 0;
            tail = (long) LONGS.get(t, len - 8);
        }

        /** True when bytes {@code [p, p + len)} lie before {@code stop} and are this separator. */
        boolean at(final byte[] b, final int p, final int stop) {
            return p <= stop - len && (long) LONGS.get(b, p) == head && (long) LONGS.get(b, p + len - 8) == tail
                    && (len <= 16 || (long) LONGS.get(b, p + 8) == mid);
        }
    }

    /**
     * Parses bytes {@code [from, stop)} of {@code b} if they are exactly what Go writes for a header with plain
     * strings; {@code null} otherwise.
     */
    static Header parse(final byte[] b, final int from, final int stop) {
        return parse(b, from, stop, null);
    }

    /**
     * As {@link #parse(byte[], int, int)}, taking the strings that stay the same from frame to frame from
     * {@code recent} (a reusable parser's; {@code null}: build every string).
     */
    static Header parse(final byte[] b, final int from, final int stop, final RecentStrings recent) {
        if (!OPEN.at(b, from, stop)) {
            return null;
        }
        int p = from + OPEN.len;
        int q = HeaderParser.scanPlain(b, p, stop);
        if (!SESSION.at(b, q, stop)) { // also fails on an escape, a control or non-ASCII byte: no quote at q
            return null;
        }
        final String svc = RecentStrings.of(recent, RecentStrings.SERVICE_ID, b, p, q);
        p = q + SESSION.len;
        q = HeaderParser.scanPlain(b, p, stop);
        if (!REQUEST.at(b, q, stop)) {
            return null;
        }
        final String sess = RecentStrings.of(recent, RecentStrings.SESSION_ID, b, p, q);
        p = q + REQUEST.len;
        q = HeaderParser.scanPlain(b, p, stop);
        if (!SEQUENCE.at(b, q, stop)) {
            return null;
        }
        final String req = RecentStrings.plain(b, p, q);
        p = q + SEQUENCE.len;
        q = digits(b, p, stop, 18); // up to 999,999,999,999,999,999 cannot overflow; longer: the next stages
        if (q < 0 || !TIMESTAMP.at(b, q, stop)) {
            return null;
        }
        final long seq = number(b, p, q);
        p = q + TIMESTAMP.len;
        q = HeaderParser.scanPlain(b, p, stop);
        if (!PRIORITY.at(b, q, stop)) {
            return null;
        }
        final String ts = RecentStrings.plain(b, p, q);
        p = q + PRIORITY.len;
        q = digits(b, p, stop, 3);
        if (q < 0) {
            return null;
        }
        final long prio = number(b, p, q);
        String cap = "";
        String rt = "";
        boolean afterString = false;
        if (CAPABILITY.at(b, q, stop)) {
            p = q + CAPABILITY.len;
            q = HeaderParser.scanPlain(b, p, stop);
            if (q >= stop || b[q] != '"') {
                return null;
            }
            cap = RecentStrings.of(recent, RecentStrings.CAPABILITY, b, p, q);
            afterString = true;
        }
        if (afterString ? ROUTE_AFTER_STRING.at(b, q, stop) : ROUTE_AFTER_NUMBER.at(b, q, stop)) {
            p = q + (afterString ? ROUTE_AFTER_STRING.len : ROUTE_AFTER_NUMBER.len);
            q = HeaderParser.scanPlain(b, p, stop);
            if (q >= stop || b[q] != '"') {
                return null;
            }
            rt = RecentStrings.of(recent, RecentStrings.ROUTE, b, p, q);
            afterString = true;
        }
        if (afterString ? !FORMAT_AFTER_STRING.at(b, q, stop) : !FORMAT_AFTER_NUMBER.at(b, q, stop)) {
            return null;
        }
        p = q + (afterString ? FORMAT_AFTER_STRING.len : FORMAT_AFTER_NUMBER.len);
        q = digits(b, p, stop, 3);
        if (q != stop - 1 || b[q] != '}') {
            return null;
        }
        final long fmt = number(b, p, q);
        if (prio > 255 || fmt > 255) {
            return null;
        }
        return Header.builder().serviceId(svc).sessionId(sess).requestId(req).sequence(seq).timestamp(ts)
                .priority((int) prio).capability(cap).route(rt).payloadFormat((int) fmt).build();
    }

    /**
     * The end of a JSON unsigned integer of at most {@code max} digits starting at {@code p}: the index after its
     * last digit, or -1 when there is none, there are more, or it has a leading zero ({@code 01}).
     */
    private static int digits(final byte[] b, final int p, final int stop, final int max) {
        int q = p;
        final int limit = Math.min(stop, p + max + 1);
        while (q < limit && b[q] >= '0' && b[q] <= '9') {
            q++;
        }
        final int n = q - p;
        if (n == 0 || n > max || (n > 1 && b[p] == '0')) {
            return -1;
        }
        return q;
    }

    /** The value of the digits {@code [p, q)} (at most 18). */
    private static long number(final byte[] b, int p, final int q) {
        long v = 0;
        for (; p < q; p++) {
            v = v * 10 + (b[p] - '0');
        }
        return v;
    }
}
