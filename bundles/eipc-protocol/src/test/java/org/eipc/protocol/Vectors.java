package org.eipc.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The Go reference's golden vectors, copied into src/test/resources/eipc-go. */
final class Vectors {
    static final HexFormat HEX = HexFormat.of();
    static final JsonNode INDEX = load();
    static final byte[] HMAC_KEY = HEX.parseHex(INDEX.get("hmac_key").get("hex").asText());
    static final byte[] AES_KEY = HEX.parseHex(INDEX.get("aes_key").get("hex").asText());

    private Vectors() {
    }

    private static JsonNode load() {
        try (InputStream in = Vectors.class.getResourceAsStream("/eipc-go/index.json")) {
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<JsonNode> all() {
        List<JsonNode> out = new ArrayList<>();
        INDEX.get("vectors").forEach(out::add);
        return out;
    }

    static JsonNode byId(String id) {
        for (JsonNode v : INDEX.get("vectors")) {
            if (v.get("id").asText().equals(id)) {
                return v;
            }
        }
        throw new IllegalArgumentException(id);
    }

    static byte[] bytes(JsonNode v) {
        return resource("/eipc-go/" + v.get("file").asText());
    }

    static byte[] resource(String path) {
        try (InputStream in = Vectors.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException(path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] key(JsonNode v) {
        return HEX.parseHex(v.get("key_hex").asText());
    }

    static String sha256Hex(byte[] b) {
        try {
            return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
