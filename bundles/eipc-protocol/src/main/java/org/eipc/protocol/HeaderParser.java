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
 * Parser of a header, with Go's {@code json.Unmarshal} semantics (see {@link HeaderCodec}). Works on
 * absolute indexes of the buffer, so the buffer's position and limit are never touched, and never looks at a
 * byte outside {@code [from, end)} (the string scan may load a word that reaches past {@code end} inside the
 * array, and ignores those bytes): every failure is an {@link IpcException}.
 *
 * <p>Two stages: {@link #parseCommon} is a fast path for plain headers (what Go and our writer produce, in any
 * key case and with any whitespace) that gives up, returning {@code null}, on anything else; then the full
 * parser ({@link #parseFull}) parses the same bytes from the start, with every Go rule and exact error. The fast
 * path only ever returns what the full parser would (checked by {@code HeaderFastPathTest}).
 */
final class HeaderParser {
    private static final int F_UNKNOWN = -1;
    private static final int F_SERVICE_ID = 0;
    private static final int F_SESSION_ID = 1;
    private static final int F_REQUEST_ID = 2;
    private static final int F_SEQUENCE = 3;
    private static final int F_TIMESTAMP = 4;
    private static final int F_PRIORITY = 5;
    private static final int F_CAPABILITY = 6;
    private static final int F_ROUTE = 7;
    private static final int F_PAYLOAD_FORMAT = 8;
    private static final String[] NAMES = {"service_id", "session_id", "request_id", "sequence", "timestamp",
        "priority", "capability", "route", "payload_format"};
    private static final byte[][] NAME_BYTES = new byte[NAMES.length][];

    static {
        for (int f = 0; f < NAMES.length; f++) {
            NAME_BYTES[f] = NAMES[f].getBytes(StandardCharsets.US_ASCII);
        }
    }

    /**
     * For the fast key match: each name followed by {@code ":} (as Go writes it) is KEY_LEN bytes, compared as
     * its first and its last eight bytes (little-endian longs; they overlap when KEY_LEN < 16). 0 = no template
     * (route is shorter than eight bytes).
     */
    private static final int[] KEY_LEN = new int[NAMES.length];
    private static final long[] KEY_HEAD = new long[NAMES.length];
    private static final long[] KEY_TAIL = new long[NAMES.length];

    /** Eight bytes of a byte[] at any index as one little-endian long (byte i of the eight in bits 8i..8i+7). */
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    static {
        for (int f = 0; f < NAMES.length; f++) {
            byte[] t = (NAMES[f] + "\":").getBytes(StandardCharsets.US_ASCII);
            if (t.length >= 8) {
                KEY_LEN[f] = t.length;
                KEY_HEAD[f] = (long) LONGS.get(t, 0);
                KEY_TAIL[f] = (long) LONGS.get(t, t.length - 8);
            }
        }
    }

    private static final String[] GO_TYPES = {"string", "string", "string", "uint64", "string", "uint8", "string",
        "string", "uint8"};

    private byte[] a;             // the bytes; indexes below are indexes into a
    private byte[] scratch;       // reused copy of headers from buffers without an accessible array
    private int from;
    private int end;
    private int base;
    private int pos;

    // first type error; Go reports it only once the whole input proved well-formed
    private ErrorCode typeCode;
    private String typeMessage;
    private int typeAt;

    // fields, starting at Go's zero values
    private String serviceId = "";
    private String sessionId = "";
    private String requestId = "";
    private long sequence;
    private String timestamp = "";
    private int priority;
    private String capability = "";
    private String route = "";
    private int payloadFormat;

    /** Reused by a reusable parser: {@link Header.Builder#build()} copies the values, and all nine are set. */
    private Header.Builder builder;

    /** Largest header copy kept for reuse; bigger ones are copied into a temporary array. */
    private static final int SCRATCH_MAX = 4096;

    /** The plain strings of the last headers, for a reused parser (one-shot parsers build every string). */
    private final RecentStrings recent;

    /**
     * A parser to be reused through {@link #parse(ByteBuffer, int, int, int)} (one per FrameDecoder). It keeps
     * the last plain {@code service_id}, {@code session_id}, {@code capability} and {@code route} it saw and hands
     * out the same String while the bytes stay the same ({@link RecentStrings}).
     */
    HeaderParser() {
        this.recent = new RecentStrings();
    }

    /**
     * A one-shot parser. The parser works on a byte array: a heap buffer's own array (no copy), or a copy of
     * the header bytes for direct and read-only buffers.
     */
    HeaderParser(ByteBuffer b, int from, int end, int base) {
        this.recent = null;
        bind(b, from, end, base);
    }

    private void bind(ByteBuffer buffer, int start, int stop, int baseOffset) {
        int len = Math.max(0, stop - start);
        if (buffer.hasArray()) {
            this.a = buffer.array();
            this.from = buffer.arrayOffset() + start;
        } else {
            byte[] copy = scratch;
            if (copy == null || copy.length < len) {
                copy = new byte[Math.max(len, 256)];
                if (copy.length <= SCRATCH_MAX) {
                    scratch = copy;
                }
            }
            buffer.get(start, copy, 0, len);
            this.a = copy;
            this.from = 0;
        }
        this.end = this.from + len;
        this.base = baseOffset;
        this.pos = this.from;
        typeCode = null;
        typeMessage = null;
        typeAt = 0;
        serviceId = "";
        sessionId = "";
        requestId = "";
        sequence = 0;
        timestamp = "";
        priority = 0;
        capability = "";
        route = "";
        payloadFormat = 0;
    }

    /** Parses bytes {@code [start, stop)} of {@code buffer} (absolute indexes); reusable, not thread-safe. */
    Header parse(ByteBuffer buffer, int start, int stop, int baseOffset) {
        bind(buffer, start, stop, baseOffset);
        try {
            return parse();
        } finally {
            // drop the references so a reused parser keeps neither the caller's array nor strings alive (the
            // reused builder keeps the last header's strings, which that header holds anyway)
            a = null;
            serviceId = sessionId = requestId = timestamp = capability = route = "";
            typeMessage = null;
        }
    }

    Header parse() {
        Header.Builder b = builder;
        if (b == null) {
            b = builder = Header.builder();
        }
        Header fast = HeaderExactPath.parse(a, from, end, recent);
        if (fast != null) {
            return fast;
        }
        fast = parseCommon(a, from, end, b, recent);
        if (fast != null) {
            return fast;
        }
        return parseFull();
    }

    /** The full parser alone (package-private for the tests that compare it with the fast path). */
    Header parseFull() {
        if (end <= from) {
            throw new IpcException(ErrorCode.HEADER_EMPTY, "empty header (unexpected end of JSON input)", base);
        }
        skipWhitespace();
        int c = peek();
        if (c == '{') {
            parseObject();
        } else if (c == 'n') {
            literal("null"); // Go: unmarshalling null into a struct is a no-op
        } else {
            int at = pos;
            String kind = kindOf(c);
            skipValue(1);
            typeError(ErrorCode.HEADER_NOT_OBJECT, "cannot unmarshal " + kind + " into a header object", at);
        }
        skipWhitespace();
        if (pos < end) {
            throw syntax("invalid character " + describe(a[pos]) + " after top-level value", pos);
        }
        if (typeCode != null) {
            throw new IpcException(typeCode, typeMessage, base + (long) (typeAt - from));
        }
        Header.Builder b = builder;
        if (b == null) {
            b = builder = Header.builder();
        }
        // every field is set, so nothing of a previous header can leak through a reused builder
        return b.serviceId(serviceId).sessionId(sessionId).requestId(requestId).sequence(sequence)
                .timestamp(timestamp).priority(priority).capability(capability).route(route)
                .payloadFormat(payloadFormat).build();
    }

    /**
     * The fast path, for the headers peers actually send: one object of known keys (plain ASCII, any case),
     * values that are plain ASCII strings without escapes or unsigned integers in range, whitespace anywhere.
     * Everything is scanned in one method with local state; strings are built with one Latin-1 copy each.
     * Returns {@code null} on anything else (an escape, a non-ASCII byte, an unknown key, {@code null}, a
     * fraction, a type mismatch, a syntax error...), and the caller then parses the same bytes with the full
     * parser, which gives Go's result and exact error. So whenever this returns a header, the full parser
     * would have returned the same one.
     */
    static Header parseCommon(byte[] b, int from, int stop, Header.Builder hb) {
        return parseCommon(b, from, stop, hb, null);
    }

    /** As {@link #parseCommon(byte[], int, int, Header.Builder)}, with a reused parser's {@link RecentStrings}. */
    static Header parseCommon(byte[] b, int from, int stop, Header.Builder hb, RecentStrings recent) {
        int p = skipWs(b, from, stop);
        if (p >= stop || b[p] != '{') {
            return null;
        }
        p = skipWs(b, p + 1, stop);
        if (p >= stop) {
            return null;
        }
        int expected = F_SERVICE_ID; // the field Go writes next (a guess: anything else takes the general key path)
        String svc = "";
        String sess = "";
        String req = "";
        long seq = 0;
        String ts = "";
        int prio = 0;
        String cap = "";
        String rt = "";
        int fmt = 0;
        if (b[p] == '}') {
            p++;
        } else {
            while (true) {
                // key
                if (b[p] != '"') {
                    return null;
                }
                int ks = p + 1;
                int q;
                int field = expected;
                int tl = field < KEY_LEN.length ? KEY_LEN[field] : 0;
                if (tl != 0 && ks + tl <= stop && (long) LONGS.get(b, ks) == KEY_HEAD[field]
                        && (long) LONGS.get(b, ks + tl - 8) == KEY_TAIL[field]) {
                    // the key Go writes next, as Go writes it: name, quote and colon in two 8-byte compares
                    p = ks + tl;
                } else {
                    q = scanPlain(b, ks, stop);
                    if (q >= stop || b[q] != '"') {
                        return null;
                    }
                    field = matchAscii(b, ks, q - ks);
                    if (field == F_UNKNOWN) {
                        return null;
                    }
                    p = skipWs(b, q + 1, stop);
                    if (p >= stop || b[p] != ':') {
                        return null;
                    }
                    p++;
                }
                expected = field + 1;
                p = skipWs(b, p, stop);
                if (p >= stop) {
                    return null;
                }
                byte c = b[p];
                if (field == F_SEQUENCE || field == F_PRIORITY || field == F_PAYLOAD_FORMAT) {
                    if (c < '0' || c > '9') {
                        return null;
                    }
                    int ds = p;
                    long v = c - '0';
                    p++;
                    if (c != '0') {
                        while (p < stop && b[p] >= '0' && b[p] <= '9') {
                            v = v * 10 + (b[p] - '0');
                            p++;
                        }
                    }
                    int digits = p - ds;
                    if (p < stop && (b[p] == '.' || b[p] == 'e' || b[p] == 'E')) {
                        return null;
                    }
                    if (field == F_SEQUENCE) {
                        if (digits > 18) { // up to 999,999,999,999,999,999 cannot overflow; longer: full parser
                            return null;
                        }
                        seq = v;
                    } else {
                        if (digits > 3 || v > 255) {
                            return null;
                        }
                        if (field == F_PRIORITY) {
                            prio = (int) v;
                        } else {
                            fmt = (int) v;
                        }
                    }
                } else {
                    if (c != '"') {
                        return null;
                    }
                    int vs = p + 1;
                    q = scanPlain(b, vs, stop);
                    if (q >= stop || b[q] != '"') { // an escape, a control or non-ASCII byte: full parser
                        return null;
                    }
                    switch (field) {
                        case F_SERVICE_ID: svc = RecentStrings.of(recent, RecentStrings.SERVICE_ID, b, vs, q); break;
                        case F_SESSION_ID: sess = RecentStrings.of(recent, RecentStrings.SESSION_ID, b, vs, q); break;
                        case F_REQUEST_ID: req = RecentStrings.plain(b, vs, q); break;
                        case F_TIMESTAMP: ts = RecentStrings.plain(b, vs, q); break;
                        case F_CAPABILITY: cap = RecentStrings.of(recent, RecentStrings.CAPABILITY, b, vs, q); break;
                        default: rt = RecentStrings.of(recent, RecentStrings.ROUTE, b, vs, q); break;
                    }
                    p = q + 1;
                }
                p = skipWs(b, p, stop);
                if (p >= stop) {
                    return null;
                }
                c = b[p];
                if (c == '}') {
                    p++;
                    break;
                }
                if (c != ',') {
                    return null;
                }
                p = skipWs(b, p + 1, stop);
                if (p >= stop) {
                    return null;
                }
            }
        }
        if (skipWs(b, p, stop) != stop) {
            return null;
        }
        return hb.serviceId(svc).sessionId(sess).requestId(req).sequence(seq).timestamp(ts).priority(prio)
                .capability(cap).route(rt).payloadFormat(fmt).build();
    }

    /**
     * The first index from {@code p} of a byte that is {@code '"'}, {@code '\\'}, below 0x20 or not ASCII, or
     * {@code stop}: eight bytes per step (SWAR) from the first byte on, so a short string is one step. A step may
     * load bytes at or after {@code stop} while they lie inside the array (the MAC and the next frame follow the
     * header there); a hit among them is never returned. Only the last seven bytes of the array go one at a time.
     * In each test below the lowest flagged byte is always a true hit (borrows only travel upwards), so the
     * lowest set bit of the union gives the first hit.
     */
    static int scanPlain(byte[] b, int p, int stop) {
        final int words = Math.min(stop, b.length - 7); // p < words: the eight bytes at p lie inside the array
        while (p < words) {
            long x = (long) LONGS.get(b, p);
            long quote = x ^ 0x2222_2222_2222_2222L;
            long slash = x ^ 0x5C5C_5C5C_5C5C_5C5CL;
            long hit = ((quote - 0x0101_0101_0101_0101L) & ~quote)   // a '"' byte
                    | ((slash - 0x0101_0101_0101_0101L) & ~slash)    // a '\\' byte
                    | ((x - 0x2020_2020_2020_2020L) & ~x)            // a byte below 0x20
                    | x;                                              // a byte of 0x80 or more
            hit &= 0x8080_8080_8080_8080L;
            if (hit != 0) {
                return Math.min(p + (Long.numberOfTrailingZeros(hit) >>> 3), stop);
            }
            p += 8;
        }
        while (p < stop) {
            byte c = b[p];
            if (c == '"' || c == '\\' || c < 0x20) {
                return p;
            }
            p++;
        }
        return stop;
    }

    /** The first index from {@code p} that is not JSON whitespace, or {@code stop}. */
    private static int skipWs(byte[] b, int p, int stop) {
        while (p < stop) {
            byte c = b[p];
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return p;
            }
            p++;
        }
        return stop;
    }

    private void parseObject() {
        if (opensEmpty('}')) {
            return;
        }
        do {
            expectKeyStart();
            int field = key();
            colonAfterKey();
            value(field);
        } while (!closesAfter('}', "object key:value pair"));
    }

    /** Steps over an opening bracket; true (and past the closing one too) when the container is empty. */
    private boolean opensEmpty(int close) {
        pos++;
        skipWhitespace();
        if (peek() == close) {
            pos++;
            return true;
        }
        return false;
    }

    private void expectKeyStart() {
        if (peek() != '"') {
            throw syntax("invalid character " + describe(a[pos]) + " looking for beginning of object key", pos);
        }
    }

    /** After an object key: whitespace, the colon, whitespace. */
    private void colonAfterKey() {
        skipWhitespace();
        if (peek() != ':') {
            throw syntax("invalid character " + describe(a[pos]) + " after object key", pos);
        }
        pos++;
        skipWhitespace();
    }

    /**
     * After a member or element: true past the closing bracket, false past a comma (and the whitespace after it),
     * otherwise Go's error naming what came before ({@code after}).
     */
    private boolean closesAfter(int close, String after) {
        skipWhitespace();
        int c = peek();
        if (c == ',') {
            pos++;
            skipWhitespace();
            return false;
        }
        if (c == close) {
            pos++;
            return true;
        }
        throw syntax("invalid character " + describe((byte) c) + " after " + after, pos);
    }

    private void value(int field) {
        int c = peek();
        int at = pos;
        switch (field) {
            case F_UNKNOWN:
                skipValue(2);
                return;
            case F_SEQUENCE:
            case F_PRIORITY:
            case F_PAYLOAD_FORMAT:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    number(field);
                    return;
                }
                break;
            default:
                if (c == '"') {
                    String s = string(true);
                    switch (field) {
                        case F_SERVICE_ID: serviceId = s; break;
                        case F_SESSION_ID: sessionId = s; break;
                        case F_REQUEST_ID: requestId = s; break;
                        case F_TIMESTAMP: timestamp = s; break;
                        case F_CAPABILITY: capability = s; break;
                        default: route = s; break;
                    }
                    return;
                }
                break;
        }
        if (c == 'n') {
            literal("null"); // Go leaves the field unchanged
            return;
        }
        String kind = kindOf(c);
        skipValue(2);
        typeError(ErrorCode.HEADER_FIELD_TYPE,
                "cannot unmarshal " + kind + " into header field " + NAMES[field] + " of type " + GO_TYPES[field], at);
    }

    /** A number for an unsigned field: the JSON grammar first, then Go's strconv.ParseUint rules. */
    private void number(int field) {
        int start = pos;
        boolean negative = false;
        if (a[pos] == '-') {
            negative = true;
            pos++;
        }
        int c = peek();
        if (c == '0') {
            pos++;
        } else if (c >= '1' && c <= '9') {
            while (pos < end && isDigit(a[pos])) {
                pos++;
            }
        } else {
            throw syntax("invalid character " + describe((byte) c) + " in numeric literal", pos);
        }
        int intEnd = pos;
        boolean fraction = false;
        if (pos < end && a[pos] == '.') {
            fraction = true;
            pos++;
            if (!isDigit((byte) peek())) {
                throw syntax("invalid character " + describe(a[pos]) + " after decimal point in numeric literal",
                        pos);
            }
            while (pos < end && isDigit(a[pos])) {
                pos++;
            }
        }
        if (pos < end && (a[pos] == 'e' || a[pos] == 'E')) {
            fraction = true;
            pos++;
            if (pos < end && (a[pos] == '+' || a[pos] == '-')) {
                pos++;
            }
            if (!isDigit((byte) peek())) {
                throw syntax("invalid character " + describe(a[pos]) + " in exponent of numeric literal", pos);
            }
            while (pos < end && isDigit(a[pos])) {
                pos++;
            }
        }
        if (negative || fraction) {
            numberTypeError(field, start);
            return;
        }
        if (field == F_SEQUENCE) {
            long v = 0;
            for (int i = start; i < intEnd; i++) {
                int d = a[i] - '0';
                // 2^64-1 = 18446744073709551615 = 1844674407370955161 * 10 + 5
                if (Long.compareUnsigned(v, 1_844_674_407_370_955_161L) > 0
                        || (v == 1_844_674_407_370_955_161L && d > 5)) {
                    numberTypeError(field, start);
                    return;
                }
                v = v * 10 + d;
            }
            sequence = v;
        } else {
            int v = 0;
            for (int i = start; i < intEnd; i++) {
                v = v * 10 + (a[i] - '0');
                if (v > 255) {
                    numberTypeError(field, start);
                    return;
                }
            }
            if (field == F_PRIORITY) {
                priority = v;
            } else {
                payloadFormat = v;
            }
        }
    }

    private void numberTypeError(int field, int start) {
        int len = Math.min(pos - start, 40);
        typeError(ErrorCode.HEADER_FIELD_TYPE, "cannot unmarshal number " + new String(a, start, len, StandardCharsets.US_ASCII)
                + (len < pos - start ? "..." : "") + " into header field " + NAMES[field] + " of type "
                + GO_TYPES[field], start);
    }

    /** An object key: returns the field it names (Go's case-insensitive match) or {@link #F_UNKNOWN}. */
    private int key() {
        int start = pos + 1;
        int i = start;
        // fast path: plain ASCII without escapes, matched in place
        while (i < end) {
            byte c = a[i];
            if (c == '"') {
                pos = i + 1;
                return matchAscii(a, start, i - start);
            }
            if (c == '\\' || c < 0x20) { // negative bytes (non-ASCII) are < 0x20 too
                break;
            }
            i++;
        }
        String k = string(true);
        return matchFolded(k);
    }

    /**
     * The field a plain-ASCII key names: dispatched on the key's length and first letter, then compared in
     * place with an ASCII case fold (no key string is built).
     */
    private static int matchAscii(byte[] a, int start, int len) {
        switch (len) {
            case 5:
                return eqFold(a, start, NAME_BYTES[F_ROUTE]) ? F_ROUTE : F_UNKNOWN;
            case 8:
                switch (a[start] | 0x20) { // only 'S'/'s' and 'P'/'p' give these (the names start with letters)
                    case 's': return eqFold(a, start, NAME_BYTES[F_SEQUENCE]) ? F_SEQUENCE : F_UNKNOWN;
                    case 'p': return eqFold(a, start, NAME_BYTES[F_PRIORITY]) ? F_PRIORITY : F_UNKNOWN;
                    default: return F_UNKNOWN;
                }
            case 9:
                return eqFold(a, start, NAME_BYTES[F_TIMESTAMP]) ? F_TIMESTAMP : F_UNKNOWN;
            case 10:
                switch (a[start] | 0x20) {
                    case 's':
                        if (eqFold(a, start, NAME_BYTES[F_SESSION_ID])) {
                            return F_SESSION_ID;
                        }
                        return eqFold(a, start, NAME_BYTES[F_SERVICE_ID]) ? F_SERVICE_ID : F_UNKNOWN;
                    case 'r': return eqFold(a, start, NAME_BYTES[F_REQUEST_ID]) ? F_REQUEST_ID : F_UNKNOWN;
                    case 'c': return eqFold(a, start, NAME_BYTES[F_CAPABILITY]) ? F_CAPABILITY : F_UNKNOWN;
                    default: return F_UNKNOWN;
                }
            case 14:
                return eqFold(a, start, NAME_BYTES[F_PAYLOAD_FORMAT]) ? F_PAYLOAD_FORMAT : F_UNKNOWN;
            default:
                return F_UNKNOWN;
        }
    }

    /**
     * True when the ASCII bytes at {@code start} equal {@code name} (lower case letters and '_') up to ASCII
     * case: a byte matches its name byte, or is the upper case of a lower case letter.
     */
    private static boolean eqFold(byte[] b, int start, byte[] name) {
        for (int k = 0; k < name.length; k++) {
            int c = b[start + k];
            int n = name[k];
            if (c != n && (c + ('a' - 'A') != n || n < 'a' || n > 'z')) {
                return false;
            }
        }
        return true;
    }

    /** Go folds keys with Unicode simple folding: besides ASCII case, U+017F folds to s and U+212A to k. */
    private static int matchFolded(String key) {
        for (int f = 0; f < NAMES.length; f++) {
            String name = NAMES[f];
            if (name.length() != key.length()) {
                continue;
            }
            int k = 0;
            while (k < name.length()) {
                char c = key.charAt(k);
                if (c >= 'A' && c <= 'Z') {
                    c += 'a' - 'A';
                } else if (c == '\u017F') {
                    c = 's';
                } else if (c == '\u212A') {
                    c = 'k';
                }
                if (c != name.charAt(k)) {
                    break;
                }
                k++;
            }
            if (k == name.length()) {
                return f;
            }
        }
        return F_UNKNOWN;
    }

    /**
     * A string literal at {@code pos} (the opening quote): validates escapes and UTF-8 and, when
     * {@code build}, returns its value decoded as Go's unquote does (bad surrogate escapes become U+FFFD).
     */
    private String string(boolean build) {
        int start = pos + 1;
        int i = start;
        // fast path: ASCII without escapes
        while (true) {
            if (i >= end) {
                throw eof();
            }
            byte c = a[i];
            if (c == '"') {
                pos = i + 1;
                return build ? latin1(start, i - start) : null;
            }
            if (c == '\\' || c < 0x20) {
                break;
            }
            i++;
        }
        // slow path: validate and count UTF-16 units first, so the array has the exact size (a header of
        // many duplicate keys must not make us allocate the rest of the header per string)
        int n = unescape(start, null);
        int close = stringEnd;
        String value = null;
        if (build) {
            char[] out = new char[n];
            unescape(start, out);
            value = new String(out);
        }
        pos = close + 1;
        return value;
    }

    /** Index of the closing quote found by the last {@link #unescape} call. */
    private int stringEnd;

    /**
     * Walks a string's content from {@code start}, validating it; writes the decoded UTF-16 units into
     * {@code out} when it is not null. Returns the number of units and sets {@link #stringEnd}.
     */
    private int unescape(int start, char[] out) {
        int i = start;
        int n = 0;
        while (true) {
            if (i >= end) {
                throw eof();
            }
            int c = a[i];
            if (c == '"') {
                stringEnd = i;
                return n;
            }
            if (c == '\\') {
                if (i + 1 >= end) {
                    throw eof();
                }
                int e = a[i + 1];
                char v;
                switch (e) {
                    case '"': v = '"'; break;
                    case '\\': v = '\\'; break;
                    case '/': v = '/'; break;
                    case 'b': v = '\b'; break;
                    case 'f': v = '\f'; break;
                    case 'n': v = '\n'; break;
                    case 'r': v = '\r'; break;
                    case 't': v = '\t'; break;
                    case 'u': {
                        int u = hex4(i + 2);
                        i += 6;
                        if (u >= 0xD800 && u <= 0xDFFF) {
                            // Go's unquote: a valid pair becomes one rune, anything else U+FFFD
                            int u2 = (i + 1 < end && a[i] == '\\' && a[i + 1] == 'u') ? hex4Lenient(i + 2) : -1;
                            if (u <= 0xDBFF && u2 >= 0xDC00 && u2 <= 0xDFFF) {
                                i += 6;
                                if (out != null) {
                                    out[n] = (char) u;
                                    out[n + 1] = (char) u2;
                                }
                                n += 2;
                                continue;
                            }
                            u = 0xFFFD;
                        }
                        if (out != null) {
                            out[n] = (char) u;
                        }
                        n++;
                        continue;
                    }
                    default:
                        throw syntax("invalid character " + describe((byte) e) + " in string escape code", i + 1);
                }
                if (out != null) {
                    out[n] = v;
                }
                n++;
                i += 2;
            } else if (c >= 0x20) {
                if (out != null) {
                    out[n] = (char) c;
                }
                n++;
                i++;
            } else if (c >= 0) {
                throw syntax("invalid character " + describe((byte) c) + " in string literal", i);
            } else {
                // UTF-8 lead byte; validated strictly (no overlongs, no surrogates, nothing above U+10FFFF)
                int lead = c & 0xFF;
                int cp;
                int len;
                int lo = 0x80;
                int hi = 0xBF;
                if (lead >= 0xC2 && lead <= 0xDF) {
                    len = 2;
                    cp = lead & 0x1F;
                } else if (lead >= 0xE0 && lead <= 0xEF) {
                    len = 3;
                    cp = lead & 0x0F;
                    if (lead == 0xE0) {
                        lo = 0xA0;
                    } else if (lead == 0xED) {
                        hi = 0x9F;
                    }
                } else if (lead >= 0xF0 && lead <= 0xF4) {
                    len = 4;
                    cp = lead & 0x07;
                    if (lead == 0xF0) {
                        lo = 0x90;
                    } else if (lead == 0xF4) {
                        hi = 0x8F;
                    }
                } else {
                    throw syntax("invalid UTF-8 in string literal", i);
                }
                if (i + len > end) {
                    throw syntax("invalid UTF-8 in string literal", i);
                }
                for (int k = 1; k < len; k++) {
                    int cb = a[i + k] & 0xFF;
                    if (k == 1 ? (cb < lo || cb > hi) : (cb < 0x80 || cb > 0xBF)) {
                        throw syntax("invalid UTF-8 in string literal", i);
                    }
                    cp = (cp << 6) | (cb & 0x3F);
                }
                if (cp >= 0x10000) {
                    if (out != null) {
                        out[n] = Character.highSurrogate(cp);
                        out[n + 1] = Character.lowSurrogate(cp);
                    }
                    n += 2;
                } else {
                    if (out != null) {
                        out[n] = (char) cp;
                    }
                    n++;
                }
                i += len;
            }
        }
    }

    /** Four hex digits at {@code i}, or a syntax error. */
    private int hex4(int i) {
        int v = hex4Lenient(i);
        if (v < 0) {
            int k = i;
            while (k < end && k < i + 4 && hexValue(a[k]) >= 0) {
                k++;
            }
            if (k >= end) {
                throw eof();
            }
            throw syntax("invalid character " + describe(a[k]) + " in \\u hexadecimal character escape", k);
        }
        return v;
    }

    /** Four hex digits at {@code i}, or -1. */
    private int hex4Lenient(int i) {
        if (i + 4 > end) {
            return -1;
        }
        int v = 0;
        for (int k = i; k < i + 4; k++) {
            int h = hexValue(a[k]);
            if (h < 0) {
                return -1;
            }
            v = (v << 4) | h;
        }
        return v;
    }

    private static int hexValue(byte c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    /** Validates and skips any JSON value; {@code depth} is the nesting level of that value. */
    private void skipValue(int depth) {
        if (depth > HeaderCodec.MAX_DEPTH) {
            throw syntax("nesting deeper than " + HeaderCodec.MAX_DEPTH + " levels", pos);
        }
        int c = peek();
        switch (c) {
            case '{':
                if (opensEmpty('}')) {
                    return;
                }
                do {
                    expectKeyStart();
                    string(false);
                    colonAfterKey();
                    skipValue(depth + 1);
                } while (!closesAfter('}', "object key:value pair"));
                return;
            case '[':
                if (opensEmpty(']')) {
                    return;
                }
                do {
                    skipValue(depth + 1);
                } while (!closesAfter(']', "array element"));
                return;
            case '"':
                string(false);
                return;
            case 't':
                literal("true");
                return;
            case 'f':
                literal("false");
                return;
            case 'n':
                literal("null");
                return;
            default:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    skipNumber();
                    return;
                }
                throw syntax("invalid character " + describe((byte) c) + " looking for beginning of value", pos);
        }
    }

    private void skipNumber() {
        if (a[pos] == '-') {
            pos++;
        }
        int c = peek();
        if (c == '0') {
            pos++;
        } else if (c >= '1' && c <= '9') {
            while (pos < end && isDigit(a[pos])) {
                pos++;
            }
        } else {
            throw syntax("invalid character " + describe((byte) c) + " in numeric literal", pos);
        }
        if (pos < end && a[pos] == '.') {
            pos++;
            if (!isDigit((byte) peek())) {
                throw syntax("invalid character " + describe(a[pos]) + " after decimal point in numeric literal",
                        pos);
            }
            while (pos < end && isDigit(a[pos])) {
                pos++;
            }
        }
        if (pos < end && (a[pos] == 'e' || a[pos] == 'E')) {
            pos++;
            if (pos < end && (a[pos] == '+' || a[pos] == '-')) {
                pos++;
            }
            if (!isDigit((byte) peek())) {
                throw syntax("invalid character " + describe(a[pos]) + " in exponent of numeric literal", pos);
            }
            while (pos < end && isDigit(a[pos])) {
                pos++;
            }
        }
    }

    private void literal(String word) {
        for (int k = 0; k < word.length(); k++) {
            int c = peek();
            if (c != word.charAt(k)) {
                throw syntax("invalid character " + describe((byte) c) + " in literal " + word, pos);
            }
            pos++;
        }
    }

    private void skipWhitespace() {
        while (pos < end) {
            byte c = a[pos];
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    /** The byte at {@code pos}; the end of input is a syntax error (Go: unexpected end of JSON input). */
    private int peek() {
        if (pos >= end) {
            throw eof();
        }
        return a[pos];
    }

    private String latin1(int start, int len) {
        if (len == 0) {
            return "";
        }
        return new String(a, start, len, StandardCharsets.ISO_8859_1);
    }

    private void typeError(ErrorCode code, String message, int at) {
        if (typeCode == null) {
            typeCode = code;
            typeMessage = message;
            typeAt = at;
        }
    }

    private static String kindOf(int c) {
        switch (c) {
            case '{': return "object";
            case '[': return "array";
            case '"': return "string";
            case 't':
            case 'f': return "bool";
            case 'n': return "null";
            default: return "number";
        }
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }

    private static String describe(byte c) {
        if (c >= 0x20 && c < 0x7F) {
            return c == '\'' ? "'\\''" : "'" + (char) c + "'";
        }
        return String.format("0x%02x", c & 0xFF);
    }

    private IpcException eof() {
        return new IpcException(ErrorCode.HEADER_SYNTAX, "unexpected end of JSON input", base + (long) (end - from));
    }

    private IpcException syntax(String message, int at) {
        return new IpcException(ErrorCode.HEADER_SYNTAX, message, base + (long) (at - from));
    }
}
