package org.eipc.protocol.ipcprims.impl;

import java.nio.ByteBuffer;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;

/**
 * A strict, pull-style reader of one JSON document (RFC 8259, the grammar serde_json accepts) held in a
 * {@link ByteBuffer} region. It never builds a tree: callers walk the top-level object field by field, read
 * the fields they know and {@link #skipValue() skip} the others, so an untrusted document costs no allocation
 * beyond the values actually kept. Nesting is bounded ({@link #MAX_DEPTH}, serde_json's recursion limit), and
 * every string is checked for well-formed UTF-8 and escapes, also when skipped.
 *
 * <p>Every failure is an {@link IpcException} with the error code given at construction and, as its offset,
 * the stream offset of the offending byte ({@code baseOffset} + index in the region). Not thread-safe; one
 * instance per document.
 */
public final class JsonCursor {
    /** serde_json's default recursion limit: deeper documents are rejected. */
    public static final int MAX_DEPTH = 128;

    private final ByteBuffer buf;
    private final int start;
    private final int end;
    private final long baseOffset;
    private final ErrorCode code;
    private final String context;
    private int pos;
    private boolean firstField;

    /**
     * @param buf the bytes (absolute indexes are used; position and limit are not changed)
     * @param start index of the first byte of the document
     * @param end index after its last byte
     * @param baseOffset stream offset of {@code start}, used for error offsets
     * @param code the error code of every failure
     * @param context prefix of every error message, for example {@code "handshake"}
     */
    public JsonCursor(ByteBuffer buf, int start, int end, long baseOffset, ErrorCode code, String context) {
        this.buf = buf;
        this.start = start;
        this.end = end;
        this.baseOffset = baseOffset;
        this.code = code;
        this.context = context;
        this.pos = start;
    }

    /** Stream offset of the next unread byte. */
    public long offset() {
        return baseOffset + (pos - start);
    }

    /** Stream offset of the document's first byte. */
    public long startOffset() {
        return baseOffset;
    }

    /** Builds a failure at the current position (for semantic errors found by a caller). */
    public IpcException error(String message) {
        return new IpcException(code, context + ": " + message, offset());
    }

    /** Builds a failure at the document's start (for errors about the document as a whole). */
    public IpcException documentError(String message) {
        return new IpcException(code, context + ": " + message, baseOffset);
    }

    private IpcException syntax(String message) {
        return new IpcException(code, context + ": json error: " + message, offset());
    }

    private void skipWs() {
        while (pos < end) {
            final byte b = buf.get(pos);
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return;
            }
            pos++;
        }
    }

    private int peek() {
        skipWs();
        if (pos >= end) {
            throw syntax("EOF while parsing a value");
        }
        return buf.get(pos) & 0xFF;
    }

    /** Consumes the opening brace of the top-level object. */
    public void beginObject() {
        if (peek() != '{') {
            throw syntax("expected a JSON object");
        }
        pos++;
        firstField = true;
    }

    /**
     * Reads the next key of the top-level object into {@code key} (cleared first; at most {@code maxChars}
     * characters are kept, a longer key is still validated and then truncated, which cannot match a known
     * name of that length).
     *
     * @return false at the closing brace
     */
    public boolean nextKey(StringBuilder key, int maxChars) {
        int c = peek();
        if (firstField) {
            firstField = false;
            if (c == '}') {
                pos++;
                return false;
            }
        } else {
            if (c == '}') {
                pos++;
                return false;
            }
            if (c != ',') {
                throw syntax("expected ',' or '}'");
            }
            pos++;
            c = peek();
        }
        if (c != '"') {
            throw syntax("key must be a string");
        }
        key.setLength(0);
        readString(key, maxChars + 1);
        if (peek() != ':') {
            throw syntax("expected ':'");
        }
        pos++;
        return true;
    }

    /** Asserts that only whitespace follows the top-level value. */
    public void end() {
        skipWs();
        if (pos != end) {
            throw syntax("trailing characters");
        }
    }

    /** True when the next value is the literal {@code null} (which is then consumed). */
    public boolean nullValue() {
        if (peek() == 'n') {
            literal("null");
            return true;
        }
        return false;
    }

    /** True when the next value is a string (not consumed). */
    public boolean isString() {
        return peek() == '"';
    }

    /**
     * Reads a string value. At most {@code maxChars} characters are appended to {@code out}; the whole
     * string is validated either way.
     *
     * @return the string's length in UTF-8 bytes after unescaping
     */
    public int stringValue(StringBuilder out, int maxChars, String what) {
        if (peek() != '"') {
            throw error("invalid type for `" + what + "`, expected a string");
        }
        return readString(out, maxChars);
    }

    /** Reads an array of unsigned 16-bit integers into {@code out}; returns the count (may exceed out.length: the rest is dropped but validated). */
    public int u16Array(int[] out, String what) {
        if (peek() != '[') {
            throw error("invalid type for `" + what + "`, expected a sequence");
        }
        pos++;
        int n = 0;
        int c = peek();
        if (c == ']') {
            pos++;
            return 0;
        }
        while (true) {
            final int v = u16(what);
            if (n < out.length) {
                out[n] = v;
            }
            n++;
            c = peek();
            if (c == ']') {
                pos++;
                return n;
            }
            if (c != ',') {
                throw syntax("expected ',' or ']'");
            }
            pos++;
        }
    }

    private int u16(String what) {
        final int c = peek();
        final int at = pos;
        if (c == '-' || (c >= '0' && c <= '9')) {
            final boolean integer = number();
            if (!integer || c == '-') {
                pos = at;
                throw error("invalid value in `" + what + "`, expected u16");
            }
            final int len = pos - at;
            long v = 0;
            for (int i = 0; i < len && v <= 0xFFFF; i++) {
                v = v * 10 + (buf.get(at + i) - '0');
            }
            if (v > 0xFFFF) {
                pos = at;
                throw error("invalid value in `" + what + "`, expected u16");
            }
            return (int) v;
        }
        skipValue();
        pos = at;
        throw error("invalid type in `" + what + "`, expected u16");
    }

    /** Skips (and fully validates) one value of any type. */
    public void skipValue() {
        skipValue(1);
    }

    private void skipValue(int depth) {
        final int c = peek();
        switch (c) {
            case '{':
            case '[':
                skipContainer(depth, c);
                return;
            case '"':
                readString(null, 0);
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
                    number();
                    return;
                }
                throw syntax("expected value");
        }
    }

    private void skipContainer(int depth, int open) {
        if (depth > MAX_DEPTH) {
            throw syntax("recursion limit exceeded");
        }
        pos++;
        final int close = open == '{' ? '}' : ']';
        int c = peek();
        if (c == close) {
            pos++;
            return;
        }
        while (true) {
            if (open == '{') {
                if (peek() != '"') {
                    throw syntax("key must be a string");
                }
                readString(null, 0);
                if (peek() != ':') {
                    throw syntax("expected ':'");
                }
                pos++;
            }
            skipValue(depth + 1);
            c = peek();
            if (c == close) {
                pos++;
                return;
            }
            if (c != ',') {
                throw syntax(open == '{' ? "expected ',' or '}'" : "expected ',' or ']'");
            }
            pos++;
        }
    }

    private void literal(String word) {
        for (int i = 0; i < word.length(); i++) {
            if (pos >= end) {
                throw syntax("EOF while parsing a value");
            }
            if (buf.get(pos) != word.charAt(i)) {
                throw syntax("expected ident");
            }
            pos++;
        }
    }

    /** Consumes a number; returns true when it has neither fraction nor exponent. */
    private boolean number() {
        boolean integer = true;
        if (buf.get(pos) == '-') {
            pos++;
        }
        if (pos >= end) {
            throw syntax("EOF while parsing a value");
        }
        byte b = buf.get(pos);
        if (b == '0') {
            pos++;
        } else if (b >= '1' && b <= '9') {
            digits();
        } else {
            throw syntax("invalid number");
        }
        if (pos < end && buf.get(pos) == '.') {
            integer = false;
            pos++;
            if (pos >= end || !isDigit(buf.get(pos))) {
                throw syntax("invalid number");
            }
            digits();
        }
        if (pos < end && (buf.get(pos) == 'e' || buf.get(pos) == 'E')) {
            integer = false;
            pos++;
            if (pos < end && (buf.get(pos) == '+' || buf.get(pos) == '-')) {
                pos++;
            }
            if (pos >= end || !isDigit(buf.get(pos))) {
                throw syntax("invalid number");
            }
            digits();
        }
        if (pos < end) {
            b = buf.get(pos);
            // serde_json rejects "01" and "1x" at the next token; check here so the offset is precise
            if (isDigit(b)) {
                throw syntax("invalid number");
            }
        }
        return integer;
    }

    private void digits() {
        while (pos < end && isDigit(buf.get(pos))) {
            pos++;
        }
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    /**
     * Reads a string starting at the opening quote. Appends at most {@code maxChars} chars to {@code out}
     * (when not null). Returns the unescaped length in UTF-8 bytes.
     */
    private int readString(StringBuilder out, int maxChars) {
        pos++; // opening quote
        int utf8Len = 0;
        while (true) {
            if (pos >= end) {
                throw syntax("EOF while parsing a string");
            }
            final int b = buf.get(pos) & 0xFF;
            if (b == '"') {
                pos++;
                return utf8Len;
            }
            if (b < 0x20) {
                throw syntax("control character (\\u0000-\\u001F) found while parsing a string");
            }
            if (b == '\\') {
                final int cp = escape();
                utf8Len += utf8Length(cp);
                append(out, maxChars, cp);
            } else if (b < 0x80) {
                pos++;
                utf8Len++;
                append(out, maxChars, b);
            } else {
                final int before = pos;
                final int cp = utf8();
                utf8Len += pos - before;
                append(out, maxChars, cp);
            }
        }
    }

    private static void append(StringBuilder out, int maxChars, int cp) {
        if (out != null && out.length() < maxChars) {
            out.appendCodePoint(cp);
        }
    }

    private static int utf8Length(int cp) {
        return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    }

    private int escape() {
        pos++;
        if (pos >= end) {
            throw syntax("EOF while parsing a string");
        }
        final int e = buf.get(pos) & 0xFF;
        pos++;
        switch (e) {
            case '"': return '"';
            case '\\': return '\\';
            case '/': return '/';
            case 'b': return '\b';
            case 'f': return '\f';
            case 'n': return '\n';
            case 'r': return '\r';
            case 't': return '\t';
            case 'u':
                final int hi = hex4();
                if (hi >= 0xDC00 && hi <= 0xDFFF) {
                    throw syntax("lone trailing surrogate in hex escape");
                }
                if (hi < 0xD800 || hi > 0xDBFF) {
                    return hi;
                }
                if (pos + 1 >= end || buf.get(pos) != '\\' || buf.get(pos + 1) != 'u') {
                    throw syntax("lone leading surrogate in hex escape");
                }
                pos += 2;
                final int lo = hex4();
                if (lo < 0xDC00 || lo > 0xDFFF) {
                    throw syntax("lone leading surrogate in hex escape");
                }
                return Character.toCodePoint((char) hi, (char) lo);
            default:
                pos--;
                throw syntax("invalid escape");
        }
    }

    private int hex4() {
        int v = 0;
        for (int i = 0; i < 4; i++) {
            if (pos >= end) {
                throw syntax("EOF while parsing a string");
            }
            final int d = Character.digit(buf.get(pos), 16);
            if (d < 0) {
                throw syntax("invalid escape");
            }
            v = (v << 4) | d;
            pos++;
        }
        return v;
    }

    /** Decodes one well-formed UTF-8 sequence (no overlongs, no surrogates, at most U+10FFFF). */
    private int utf8() {
        final int b0 = buf.get(pos) & 0xFF;
        final int n;
        int cp;
        final int min;
        if (b0 >= 0xC2 && b0 <= 0xDF) {
            n = 1;
            cp = b0 & 0x1F;
            min = 0x80;
        } else if (b0 >= 0xE0 && b0 <= 0xEF) {
            n = 2;
            cp = b0 & 0x0F;
            min = 0x800;
        } else if (b0 >= 0xF0 && b0 <= 0xF4) {
            n = 3;
            cp = b0 & 0x07;
            min = 0x10000;
        } else {
            throw syntax("invalid UTF-8");
        }
        if (pos + n >= end) {
            throw syntax("invalid UTF-8");
        }
        for (int i = 1; i <= n; i++) {
            final int b = buf.get(pos + i) & 0xFF;
            if ((b & 0xC0) != 0x80) {
                throw syntax("invalid UTF-8");
            }
            cp = (cp << 6) | (b & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
            throw syntax("invalid UTF-8");
        }
        pos += n + 1;
        return cp;
    }
}
