package org.eipc.security.aesgcm.impl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

import javax.crypto.spec.SecretKeySpec;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;
import org.eipc.spi.keyring.KeyEntry;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Wycheproof AEAD vectors through the cipher objects the providers hand out. The EIPC layout fixes a 12-byte
 * nonce, a 16-byte tag and a 32-byte key, so vectors with other sizes cannot be expressed and are skipped;
 * the skipped ones are counted per reason and the counts are asserted, so a change in coverage is noticed.
 */
class WycheproofAeadTest {
    private static final HexFormat HEX = HexFormat.of();

    static JsonNode load(String name) throws IOException {
        try (InputStream in = WycheproofAeadTest.class.getResourceAsStream("/vectors/" + name)) {
            assertNotNull(in, name);
            return new ObjectMapper().readTree(in);
        }
    }

    static KeyEntry key(byte[] raw) {
        return new KeyEntry("wycheproof", new SecretKeySpec(raw, "RAW"), Instant.EPOCH, null);
    }

    @TestFactory
    List<DynamicNode> aesGcm() throws IOException {
        AesGcmCipherProvider provider = new AesGcmCipherProvider();
        // 256-bit keys with 96-bit IVs and 128-bit tags: 39 valid + 27 invalid
        return run("aes_gcm_test.json", provider::newJcaCipher, 66,
                Map.of("key is not 256 bits (the provider is AES-256 only)", 211,
                        "IV is not 96 bits (the layout has a 12-byte nonce)", 39));
    }

    @TestFactory
    List<DynamicNode> chacha20Poly1305() throws IOException {
        ChaCha20Poly1305CipherProvider provider = new ChaCha20Poly1305CipherProvider();
        return run("chacha20_poly1305_test.json", provider::newJcaCipher, 316,
                Map.of("IV is not 96 bits (the layout has a 12-byte nonce)", 9));
    }

    private List<DynamicNode> run(String file, Function<KeyEntry, JcaAeadCipher> ciphers, int expectedRun,
            Map<String, Integer> expectedSkips) throws IOException {
        JsonNode root = load(file);
        List<DynamicTest> tests = new ArrayList<>();
        Map<String, Integer> skipped = new TreeMap<>();
        for (JsonNode group : root.get("testGroups")) {
            int keyBits = group.get("keySize").asInt();
            int ivBits = group.get("ivSize").asInt();
            int tagBits = group.get("tagSize").asInt();
            for (JsonNode t : group.get("tests")) {
                String reason = keyBits != 256 ? "key is not 256 bits (the provider is AES-256 only)"
                        : ivBits != 96 ? "IV is not 96 bits (the layout has a 12-byte nonce)"
                        : tagBits != 128 ? "tag is not 128 bits (the layout has a 16-byte tag)" : null;
                if (reason != null) {
                    skipped.merge(reason, 1, Integer::sum);
                    continue;
                }
                tests.add(vector(t, ciphers));
            }
        }
        int total = tests.size() + skipped.values().stream().mapToInt(Integer::intValue).sum();
        assertEquals(root.get("numberOfTests").asInt(), total);
        assertEquals(expectedRun, tests.size());
        assertEquals(new TreeMap<>(expectedSkips), skipped);
        return List.of(DynamicContainer.dynamicContainer(file + ": " + tests.size() + " run, skipped " + skipped, tests));
    }

    private static DynamicTest vector(JsonNode t, Function<KeyEntry, JcaAeadCipher> ciphers) {
        int tcId = t.get("tcId").asInt();
        String result = t.get("result").asText();
        byte[] k = HEX.parseHex(t.get("key").asText());
        byte[] iv = HEX.parseHex(t.get("iv").asText());
        byte[] aad = HEX.parseHex(t.get("aad").asText());
        byte[] msg = HEX.parseHex(t.get("msg").asText());
        byte[] ct = HEX.parseHex(t.get("ct").asText());
        byte[] tag = HEX.parseHex(t.get("tag").asText());
        return dynamicTest("tcId " + tcId + " (" + result + ") " + t.get("comment").asText(), () -> {
            JcaAeadCipher cipher = ciphers.apply(key(k));
            ByteBuffer sealed = ByteBuffer.allocate(iv.length + ct.length + tag.length).put(iv).put(ct).put(tag).flip();
            ByteBuffer aadBuf = ByteBuffer.wrap(aad);
            if ("valid".equals(result)) {
                ByteBuffer out = ByteBuffer.allocate(msg.length);
                assertEquals(msg.length, cipher.open(sealed, aadBuf, out));
                assertArrayEquals(msg, out.array());
                // the same bytes open again (a cipher must not refuse a repeated nonce when opening)
                sealed.rewind();
                out.clear();
                assertEquals(msg.length, cipher.open(sealed, aadBuf, out));
                assertArrayEquals(msg, out.array());
                sealed.rewind();
                // sealing with the vector's nonce gives the vector's bytes
                ByteBuffer resealed = ByteBuffer.allocate(msg.length + JcaAeadCipher.OVERHEAD);
                cipher.sealWithNonce(iv, ByteBuffer.wrap(msg), ByteBuffer.wrap(aad), resealed);
                assertArrayEquals(sealed.array(), resealed.array());
            } else {
                ByteBuffer out = ByteBuffer.allocate(msg.length + 64);
                IpcException e = assertThrows(IpcException.class, () -> cipher.open(sealed, aadBuf, out));
                assertEquals(ErrorCode.DECRYPT_FAILED, e.code());
                assertEquals(0, out.position(), "nothing released from a failed open");
            }
        });
    }
}
