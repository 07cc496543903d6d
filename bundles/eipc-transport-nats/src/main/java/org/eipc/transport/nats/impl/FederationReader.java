package org.eipc.transport.nats.impl;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

import org.eipc.service.registry.ServiceEntry;
import org.eipc.service.registry.ServiceVersion;
import org.eipc.service.registry.federation.RegistryFederation;

/**
 * Reads one federation message (the flat object shape of {@link FederationJson}) by recursive descent; every read is
 * bounded before it allocates. One instance per message; not thread-safe.
 */
final class FederationReader {
    private final String s;
    private int pos;
    private final Set<String> keys = new HashSet<>();
    private long v = -1;
    private String host;
    private String instance;
    private long id = -1;
    private long ttl = -1;
    private String name;
    private String version;
    private String owner = "";
    private final Set<String> capabilities = new LinkedHashSet<>();
    private final List<URI> transports = new ArrayList<>();
    private final TreeMap<String, String> properties = new TreeMap<>();

    FederationReader(String s) {
        this.s = s;
    }

    FederationJson.Parsed message() {
        expect('{');
        if (!peekIs('}')) {
            do {
                String key = string(FederationJson.MAX_NAME);
                if (!keys.add(key) || keys.size() > 32) {
                    throw bad("duplicate key " + key + " or more than 32 keys");
                }
                expect(':');
                field(key);
            } while (comma('}'));
        }
        expect('}');
        ws();
        if (pos != s.length()) {
            throw bad("trailing characters");
        }
        return build();
    }

    private void field(String key) {
        switch (key) {
            case "v": v = number(); break;
            case "host": host = string(64); break;
            case "instance": instance = string(16); break;
            case "id": id = number(); break;
            case "ttl": ttl = number(); break;
            case "name": name = string(FederationJson.MAX_NAME); break;
            case "version": version = string(64); break;
            case "owner": owner = string(FederationJson.MAX_VALUE); break;
            case "capabilities":
                for (String c : strings(FederationJson.MAX_CAPABILITIES, FederationJson.MAX_NAME)) {
                    capabilities.add(c);
                }
                break;
            case "transports":
                for (String t : strings(FederationJson.MAX_TRANSPORTS, FederationJson.MAX_VALUE)) {
                    transports.add(uri(t));
                }
                break;
            case "properties": properties(); break;
            default: skip(0);
        }
    }

    private FederationJson.Parsed build() {
        if (v != FederationJson.VERSION) {
            throw bad("version " + v + " is not " + FederationJson.VERSION);
        }
        if (host == null || !FederationJson.HOST.matcher(host).matches() || instance == null
                || !FederationJson.INSTANCE.matcher(instance).matches()) {
            throw bad("missing or malformed host or instance");
        }
        if (name == null) {
            return new FederationJson.Parsed(host, instance, id, -1, null);
        }
        if (id < 1 || ttl < FederationJson.MIN_TTL || ttl > FederationJson.MAX_TTL || version == null) {
            throw bad("announcement needs id >= 1, ttl in [" + FederationJson.MIN_TTL + ", " + FederationJson.MAX_TTL
                    + "] and a version");
        }
        ServiceEntry.Builder b;
        try {
            b = ServiceEntry.builder(name, ServiceVersion.parse(version));
        } catch (IllegalArgumentException e) {
            throw bad(e.getMessage());
        }
        properties.put(RegistryFederation.ORIGIN, host); // the sender's own claim does not count
        capabilities.forEach(b::capability);
        transports.forEach(b::transport);
        properties.forEach(b::property);
        return new FederationJson.Parsed(host, instance, id, ttl, b.build().withOwner(owner));
    }

    private static URI uri(String t) {
        try {
            URI u = new URI(t);
            if (u.getScheme() == null) {
                throw bad("transport without a scheme");
            }
            return u;
        } catch (URISyntaxException e) {
            throw bad("transport is not a URI");
        }
    }

    private List<String> strings(int maxCount, int maxLength) {
        List<String> out = new ArrayList<>();
        expect('[');
        if (!peekIs(']')) {
            do {
                if (out.size() == maxCount) {
                    throw bad("more than " + maxCount + " elements");
                }
                String e = string(maxLength);
                if (e.isEmpty()) {
                    throw bad("empty element");
                }
                out.add(e);
            } while (comma(']'));
        }
        expect(']');
        return out;
    }

    private void properties() {
        expect('{');
        if (!peekIs('}')) {
            do {
                if (properties.size() == FederationJson.MAX_PROPERTIES) {
                    throw bad("more than " + FederationJson.MAX_PROPERTIES + " properties");
                }
                String k = string(FederationJson.MAX_NAME);
                expect(':');
                if (k.isEmpty() || properties.put(k, string(FederationJson.MAX_VALUE)) != null) {
                    throw bad("empty or duplicate property name");
                }
            } while (comma('}'));
        }
        expect('}');
    }

    /** Skips the value of an unknown key: scalars, or arrays and objects nested at most two deep. */
    private void skip(int depth) {
        if (depth > 2) {
            throw bad("nested too deep");
        }
        ws();
        char c = at();
        if (c == '"') {
            string(FederationJson.MAX_VALUE);
        } else if (c == '[' || c == '{') {
            char close = c == '[' ? ']' : '}';
            pos++;
            if (!peekIs(close)) {
                int n = 0;
                do {
                    if (++n > 64) {
                        throw bad("more than 64 elements");
                    }
                    if (close == '}') {
                        string(FederationJson.MAX_NAME);
                        expect(':');
                    }
                    skip(depth + 1);
                } while (comma(close));
            }
            expect(close);
        } else if (s.startsWith("true", pos) || s.startsWith("null", pos)) {
            pos += 4;
        } else if (s.startsWith("false", pos)) {
            pos += 5;
        } else {
            number();
        }
    }

    /** A non-negative integer of at most 18 digits (ids, ttl, version). */
    private long number() {
        ws();
        int start = pos;
        while (pos < s.length() && pos - start <= 18 && s.charAt(pos) >= '0' && s.charAt(pos) <= '9') {
            pos++;
        }
        int n = pos - start;
        if (n == 0 || n > 18 || (n > 1 && s.charAt(start) == '0')) {
            throw bad("expected a non-negative integer of at most 18 digits at " + start);
        }
        return Long.parseLong(s, start, pos, 10);
    }

    private String string(int max) {
        expect('"');
        StringBuilder b = new StringBuilder(Math.min(max, 64));
        while (true) {
            char c = at();
            pos++;
            if (c == '"') {
                return b.toString();
            }
            if (b.length() == max) {
                throw bad("string longer than " + max);
            }
            if (c < 0x20) {
                throw bad("control character in a string");
            }
            if (c != '\\') {
                b.append(c);
                continue;
            }
            char e = at();
            pos++;
            switch (e) {
                case '"': case '\\': case '/': b.append(e); break;
                case 'b': b.append('\b'); break;
                case 'f': b.append('\f'); break;
                case 'n': b.append('\n'); break;
                case 'r': b.append('\r'); break;
                case 't': b.append('\t'); break;
                case 'u':
                    if (pos + 4 > s.length()) {
                        throw bad("truncated \\u escape");
                    }
                    try {
                        b.append((char) Integer.parseInt(s, pos, pos + 4, 16));
                    } catch (NumberFormatException x) {
                        throw bad("bad \\u escape");
                    }
                    pos += 4;
                    break;
                default: throw bad("bad escape \\" + e);
            }
        }
    }

    /** After an element: true and past the comma if another follows, false if {@code close} is next. */
    private boolean comma(char close) {
        ws();
        char c = at();
        if (c == ',') {
            pos++;
            return true;
        }
        if (c != close) {
            throw bad("expected ',' or '" + close + "' at " + pos);
        }
        return false;
    }

    private boolean peekIs(char c) {
        ws();
        return at() == c;
    }

    private void expect(char c) {
        ws();
        if (at() != c) {
            throw bad("expected '" + c + "' at " + pos);
        }
        pos++;
    }

    private char at() {
        if (pos >= s.length()) {
            throw bad("truncated");
        }
        return s.charAt(pos);
    }

    private void ws() {
        while (pos < s.length() && (s.charAt(pos) == ' ' || s.charAt(pos) == '\t' || s.charAt(pos) == '\n'
                || s.charAt(pos) == '\r')) {
            pos++;
        }
    }

    private static IllegalArgumentException bad(String why) {
        return new IllegalArgumentException(why);
    }
}
