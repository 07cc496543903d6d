package org.eipc.runtime.impl;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;

/**
 * The small JSON the runtime's own payloads need: one object whose values are strings, integers, booleans,
 * {@code null} or arrays of strings (handshake and acknowledgement payloads). Anything else is a
 * {@link ErrorCode#PROTOCOL_VIOLATION}. Writing goes through {@link Writer}, which keeps key order as given.
 */
final class FlatJson {
    /** Largest payload parsed; handshake and control payloads are far smaller. */
    static final int MAX_LENGTH = 16 * 1024;

    private final String s;
    private int i;

    private FlatJson(String s) {
        this.s = s;
    }

    /** Parses the buffer's remaining bytes (position unchanged). Values are String, Long, Boolean, null or List. */
    static Map<String, Object> parse(ByteBuffer payload) {
        if (payload.remaining() > MAX_LENGTH) {
            throw violation("payload of " + payload.remaining() + " bytes exceeds " + MAX_LENGTH);
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(payload.duplicate()).toString();
        } catch (CharacterCodingException e) {
            throw violation("payload is not UTF-8");
        }
        FlatJson p = new FlatJson(text);
        p.ws();
        Map<String, Object> m = p.object();
        p.ws();
        if (p.i != text.length()) {
            throw violation("bytes after the JSON object");
        }
        return m;
    }

    static String string(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (!(v instanceof String)) {
            throw violation("field '" + key + "' missing or not a string");
        }
        return (String) v;
    }

    static String optString(Map<String, Object> m, String key) {
        Object v = m.get(key);
        return v instanceof String ? (String) v : null;
    }

    static long number(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (!(v instanceof Long)) {
            throw violation("field '" + key + "' missing or not an integer");
        }
        return (Long) v;
    }

    static List<String> strings(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (v == null) {
            return List.of();
        }
        if (!(v instanceof List)) {
            throw violation("field '" + key + "' not an array");
        }
        List<String> out = new ArrayList<>();
        for (Object o : (List<?>) v) {
            out.add((String) o);
        }
        return out;
    }

    private Map<String, Object> object() {
        expect('{');
        Map<String, Object> m = new LinkedHashMap<>();
        ws();
        if (peek() == '}') {
            i++;
            return m;
        }
        while (true) {
            ws();
            String k = str();
            ws();
            expect(':');
            ws();
            m.put(k, value());
            ws();
            char c = next();
            if (c == '}') {
                return m;
            }
            if (c != ',') {
                throw violation("expected ',' or '}'");
            }
        }
    }

    private Object value() {
        char c = peek();
        if (c == '"') {
            return str();
        }
        if (c == '[') {
            i++;
            List<String> l = new ArrayList<>();
            ws();
            if (peek() == ']') {
                i++;
                return l;
            }
            while (true) {
                ws();
                l.add(str());
                ws();
                char d = next();
                if (d == ']') {
                    return l;
                }
                if (d != ',') {
                    throw violation("expected ',' or ']'");
                }
            }
        }
        if (s.startsWith("true", i)) {
            i += 4;
            return Boolean.TRUE;
        }
        if (s.startsWith("false", i)) {
            i += 5;
            return Boolean.FALSE;
        }
        if (s.startsWith("null", i)) {
            i += 4;
            return null;
        }
        int start = i;
        if (c == '-') {
            i++;
        }
        while (i < s.length() && Character.isDigit(s.charAt(i))) {
            i++;
        }
        if (i == start || (i < s.length() && (s.charAt(i) == '.' || s.charAt(i) == 'e' || s.charAt(i) == 'E'))) {
            throw violation("unsupported JSON value");
        }
        try {
            String digits = s.substring(start, i);
            return digits.startsWith("-") ? Long.parseLong(digits) : Long.parseUnsignedLong(digits);
        } catch (NumberFormatException e) {
            throw violation("integer out of range");
        }
    }

    private String str() {
        expect('"');
        StringBuilder b = new StringBuilder();
        while (true) {
            char c = next();
            if (c == '"') {
                return b.toString();
            }
            if (c < 0x20) {
                throw violation("control character in string");
            }
            if (c != '\\') {
                b.append(c);
                continue;
            }
            char e = next();
            switch (e) {
                case '"': b.append('"'); break;
                case '\\': b.append('\\'); break;
                case '/': b.append('/'); break;
                case 'b': b.append('\b'); break;
                case 'f': b.append('\f'); break;
                case 'n': b.append('\n'); break;
                case 'r': b.append('\r'); break;
                case 't': b.append('\t'); break;
                case 'u':
                    if (i + 4 > s.length()) {
                        throw violation("truncated escape");
                    }
                    try {
                        b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                    } catch (NumberFormatException ex) {
                        throw violation("bad escape");
                    }
                    i += 4;
                    break;
                default:
                    throw violation("bad escape");
            }
        }
    }

    private void ws() {
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t' || s.charAt(i) == '\n'
                || s.charAt(i) == '\r')) {
            i++;
        }
    }

    private char peek() {
        if (i >= s.length()) {
            throw violation("unexpected end of JSON");
        }
        return s.charAt(i);
    }

    private char next() {
        char c = peek();
        i++;
        return c;
    }

    private void expect(char c) {
        if (next() != c) {
            throw violation("expected '" + c + "'");
        }
    }

    private static IpcException violation(String why) {
        return new IpcException(ErrorCode.PROTOCOL_VIOLATION, "control payload: " + why);
    }

    /** Writes one JSON object with keys in the order given, escaping as Go's encoder does. */
    static final class Writer {
        private final StringBuilder b = new StringBuilder("{");

        Writer str(String key, String value) {
            key(key);
            quote(value);
            return this;
        }

        Writer num(String key, long unsignedValue) {
            key(key);
            b.append(Long.toUnsignedString(unsignedValue));
            return this;
        }

        Writer strings(String key, Iterable<String> values) {
            key(key);
            b.append('[');
            boolean first = true;
            for (String v : values) {
                if (!first) {
                    b.append(',');
                }
                first = false;
                quote(v);
            }
            b.append(']');
            return this;
        }

        byte[] bytes() {
            return (b.toString() + "}").getBytes(StandardCharsets.UTF_8);
        }

        private void key(String k) {
            if (b.length() > 1) {
                b.append(',');
            }
            quote(k);
            b.append(':');
        }

        private void quote(String v) {
            b.append('"');
            for (int k = 0; k < v.length(); k++) {
                char c = v.charAt(k);
                switch (c) {
                    case '"': b.append("\\\""); break;
                    case '\\': b.append("\\\\"); break;
                    case '\n': b.append("\\n"); break;
                    case '\r': b.append("\\r"); break;
                    case '\t': b.append("\\t"); break;
                    case '<': case '>': case '&': case '\u2028': case '\u2029':
                        b.append(String.format("\\u%04x", (int) c));
                        break;
                    default:
                        if (c < 0x20) {
                            b.append(String.format("\\u%04x", (int) c));
                        } else {
                            b.append(c);
                        }
                }
            }
            b.append('"');
        }
    }
}
