package org.eipc.transport.nats.impl;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Pattern;

import org.eipc.service.registry.ServiceEntry;

/**
 * The JSON of the registry federation, one flat object per NATS message (version {@value #VERSION}):
 * <pre>
 * announce  {"v":1,"host":"a","instance":"0123456789abcdef","id":17,"ttl":15000,"name":"billing",
 *            "version":"1.2.0","capabilities":["pay"],"transports":["unix:///run/b.sock"],"owner":"bundle:7/x",
 *            "properties":{"zone":"a"}}
 * withdraw  {"v":1,"host":"a","instance":"0123456789abcdef","id":17}   (without "id": every entry of the instance)
 * query     {"v":1,"host":"b","instance":"fedcba9876543210"}           (with a reply subject)
 * </pre>
 * NATS is an untrusted carrier, so the reader is a small hand-written parser that checks every length before it
 * reads or allocates: at most {@value #MAX_MESSAGE} bytes of strict UTF-8, strings of at most {@value #MAX_VALUE}
 * characters, the registry's own limits on names, capabilities, transports and properties, no duplicate keys;
 * unknown keys are skipped (two levels deep at most) so that later versions may add fields. Anything else is an
 * {@link IllegalArgumentException}, which the caller counts and drops.
 */
final class FederationJson {
    static final int VERSION = 1;
    static final int MAX_MESSAGE = 64 << 10;
    static final int MAX_NAME = 256;
    static final int MAX_VALUE = 1024;
    static final int MAX_CAPABILITIES = 64;
    static final int MAX_TRANSPORTS = 16;
    static final int MAX_PROPERTIES = 32;
    static final Pattern HOST = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    static final Pattern INSTANCE = Pattern.compile("[0-9a-f]{16}");
    static final long MIN_TTL = 200;
    static final long MAX_TTL = 3_600_000;

    /** One decoded message; {@code entry} is null unless it is an announcement, {@code id} is -1 when absent. */
    record Parsed(String host, String instance, long id, long ttlMillis, ServiceEntry entry) {
    }

    private FederationJson() {
    }

    static byte[] announce(String host, String instance, long id, long ttlMillis, ServiceEntry e) {
        StringBuilder b = head(host, instance).append(",\"id\":").append(id).append(",\"ttl\":").append(ttlMillis);
        b.append(",\"name\":");
        quote(b, e.name()).append(",\"version\":");
        quote(b, e.version().toString()).append(",\"capabilities\":[");
        int i = 0;
        for (String c : e.capabilities()) {
            quote(b.append(i++ == 0 ? "" : ","), c);
        }
        b.append("],\"transports\":[");
        i = 0;
        for (URI t : e.transports()) {
            quote(b.append(i++ == 0 ? "" : ","), t.toString());
        }
        b.append("],\"owner\":");
        quote(b, e.owner()).append(",\"properties\":{");
        i = 0;
        for (Map.Entry<String, String> p : e.properties().entrySet()) {
            quote(b.append(i++ == 0 ? "" : ","), p.getKey()).append(':');
            quote(b, p.getValue());
        }
        return b.append("}}").toString().getBytes(StandardCharsets.UTF_8);
    }

    static byte[] withdraw(String host, String instance, long id) {
        StringBuilder b = head(host, instance);
        if (id >= 0) {
            b.append(",\"id\":").append(id);
        }
        return b.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    static byte[] query(String host, String instance) {
        return head(host, instance).append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    private static StringBuilder head(String host, String instance) {
        StringBuilder b = new StringBuilder(256).append("{\"v\":").append(VERSION).append(",\"host\":");
        quote(b, host).append(",\"instance\":");
        return quote(b, instance);
    }

    private static StringBuilder quote(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"');
    }

    /** @throws IllegalArgumentException when the payload is not a valid federation message of this version */
    static Parsed parse(byte[] payload) {
        if (payload == null || payload.length < 2 || payload.length > MAX_MESSAGE) {
            throw new IllegalArgumentException("length=" + (payload == null ? -1 : payload.length)
                    + " outside [2, " + MAX_MESSAGE + "]");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(payload)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("not UTF-8");
        }
        return new FederationReader(text).message();
    }
}
