package org.eipc.security.aesgcm.impl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

import javax.crypto.spec.SecretKeySpec;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;
import org.eipc.spi.keyring.KeyEntry;
import org.eipc.spi.security.AeadCipher;
import org.eipc.spi.security.CipherProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;

class AeadCipherTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] KEY = "EIPC-aes-256-gcm-vector-key-32b!".getBytes(StandardCharsets.US_ASCII);

    static KeyEntry key(String id, byte[] raw) {
        return new KeyEntry(id, new SecretKeySpec(raw, "AES"), Instant.EPOCH, null);
    }

    static CipherProvider provider(String name) {
        return "AES-256-GCM".equals(name) ? new AesGcmCipherProvider() : new ChaCha20Poly1305CipherProvider();
    }

    @Test
    void shouldOpenTheGoReferencePayloadsAndRejectTheTamperedOne() throws IOException {
        JsonNode root = WycheproofAeadTest.load("eipc-go-encrypted.json");
        AeadCipher cipher = new AesGcmCipherProvider().newCipher(key("aes", HEX.parseHex(root.get("aes_key").get("hex").asText())));
        int opened = 0;
        int tampered = 0;
        for (JsonNode v : root.get("vectors")) {
            String id = v.get("id").asText();
            if (!v.has("payload_hex")) {
                continue;
            }
            assertArrayEquals(KEY, HEX.parseHex(v.get("aes_key_hex").asText()));
            ByteBuffer sealed = ByteBuffer.wrap(HEX.parseHex(v.get("payload_hex").asText()));
            ByteBuffer out = ByteBuffer.allocate(sealed.remaining());
            if (id.contains("tampered")) {
                IpcException e = assertThrows(IpcException.class, () -> cipher.open(sealed, null, out), id);
                assertEquals(ErrorCode.DECRYPT_FAILED, e.code());
                assertEquals(0, sealed.position());
                tampered++;
            } else {
                JsonNode extra = v.get("extra");
                byte[] payload = sealed.array();
                assertEquals(extra.get("gcm_nonce_hex").asText() + extra.get("gcm_ciphertext_hex").asText()
                        + extra.get("gcm_tag_hex").asText(), HEX.formatHex(payload), "layout nonce|ct|tag");
                int n = cipher.open(sealed, null, out);
                assertEquals(extra.get("plaintext").asText(), new String(out.array(), 0, n, StandardCharsets.UTF_8), id);
                assertEquals(payload.length, sealed.position());
                opened++;
            }
        }
        assertEquals(2, opened);
        assertEquals(1, tampered);
    }

    @ParameterizedTest
    @ValueSource(strings = {"AES-256-GCM", "ChaCha20-Poly1305"})
    void shouldRoundTripWithAndWithoutAadOnHeapAndDirectBuffers(String algorithm) {
        CipherProvider p = provider(algorithm);
        assertEquals(algorithm, p.algorithm());
        assertEquals(32, p.keyLength());
        AeadCipher sender = p.newCipher(key("k", KEY));
        AeadCipher receiver = p.newCipher(key("k", KEY));
        assertEquals(28, sender.overhead());
        for (int len : new int[] {0, 1, 15, 16, 17, 1000, 70_000}) {
            byte[] plain = new byte[len];
            for (int i = 0; i < len; i++) {
                plain[i] = (byte) (i * 7 + len);
            }
            for (boolean direct : new boolean[] {false, true}) {
                for (byte[] aad : new byte[][] {null, "header".getBytes(StandardCharsets.US_ASCII), new byte[16], new byte[300]}) {
                    ByteBuffer in = direct ? ByteBuffer.allocateDirect(len).put(plain).flip() : ByteBuffer.wrap(plain);
                    ByteBuffer sealed = direct ? ByteBuffer.allocateDirect(len + 28) : ByteBuffer.allocate(len + 28);
                    ByteBuffer aadBuf = aad == null ? null
                            : direct ? ByteBuffer.allocateDirect(aad.length).put(aad).flip() : ByteBuffer.wrap(aad);
                    assertEquals(len + 28, sender.seal(in, aadBuf, sealed));
                    assertEquals(len, in.position());
                    assertFalse(sealed.hasRemaining());
                    if (aadBuf != null) {
                        assertEquals(0, aadBuf.position(), "aad position unchanged");
                    }
                    sealed.flip();
                    ByteBuffer out = direct ? ByteBuffer.allocateDirect(len) : ByteBuffer.allocate(len);
                    assertEquals(len, receiver.open(sealed, aadBuf, out));
                    assertFalse(sealed.hasRemaining());
                    byte[] got = new byte[len];
                    out.flip().get(got);
                    assertArrayEquals(plain, got);
                    if (aad != null) {
                        sealed.rewind();
                        ByteBuffer other = ByteBuffer.wrap("HEADER".getBytes(StandardCharsets.US_ASCII));
                        assertEquals(ErrorCode.DECRYPT_FAILED, assertThrows(IpcException.class,
                                () -> receiver.open(sealed, other, ByteBuffer.allocate(len))).code());
                        sealed.rewind();
                        assertEquals(ErrorCode.DECRYPT_FAILED, assertThrows(IpcException.class,
                                () -> receiver.open(sealed, null, ByteBuffer.allocate(len))).code());
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"AES-256-GCM", "ChaCha20-Poly1305"})
    void shouldRejectShortInputAndBadTagsWithDecryptFailed(String algorithm) {
        AeadCipher c = provider(algorithm).newCipher(key("k", KEY));
        for (int len = 0; len < 28; len++) {
            ByteBuffer in = ByteBuffer.allocate(len);
            IpcException e = assertThrows(IpcException.class, () -> c.open(in, null, ByteBuffer.allocate(64)));
            assertEquals(ErrorCode.DECRYPT_FAILED, e.code(), "length " + len);
            assertEquals(0, in.position());
        }
        ByteBuffer sealed = ByteBuffer.allocate(10 + 28);
        c.seal(ByteBuffer.allocate(10), null, sealed);
        byte[] good = sealed.array();
        for (int i = 0; i < good.length; i++) {
            byte[] bad = good.clone();
            bad[i] ^= 0x01;
            IpcException e = assertThrows(IpcException.class,
                    () -> c.open(ByteBuffer.wrap(bad), null, ByteBuffer.allocate(10)), "flipped byte " + i);
            assertEquals(ErrorCode.DECRYPT_FAILED, e.code());
        }
        // the cipher is still usable after failures
        assertEquals(10, c.open(ByteBuffer.wrap(good), null, ByteBuffer.allocate(10)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"AES-256-GCM", "ChaCha20-Poly1305"})
    void shouldRejectKeysThatAreNot32Bytes(String algorithm) {
        CipherProvider p = provider(algorithm);
        for (int len : new int[] {1, 16, 24, 31, 33, 64}) {
            IpcException e = assertThrows(IpcException.class, () -> p.newCipher(key("short", new byte[len])));
            assertEquals(ErrorCode.CONFIG_INVALID, e.code());
        }
        assertEquals(ErrorCode.CONFIG_INVALID, assertThrows(IpcException.class, () -> p.newCipher(null)).code());
    }

    @ParameterizedTest
    @ValueSource(strings = {"AES-256-GCM", "ChaCha20-Poly1305"})
    void shouldRefuseOutputBuffersThatAreTooSmallWithoutConsumingInput(String algorithm) {
        AeadCipher c = provider(algorithm).newCipher(key("k", KEY));
        ByteBuffer in = ByteBuffer.allocate(10);
        assertThrows(BufferOverflowException.class, () -> c.seal(in, null, ByteBuffer.allocate(37)));
        assertEquals(0, in.position());
        ByteBuffer sealed = ByteBuffer.allocate(38);
        c.seal(in, null, sealed);
        sealed.flip();
        assertThrows(BufferOverflowException.class, () -> c.open(sealed, null, ByteBuffer.allocate(9)));
        assertEquals(0, sealed.position());
    }

    @ParameterizedTest
    @ValueSource(strings = {"AES-256-GCM", "ChaCha20-Poly1305"})
    void shouldNeverRepeatANonceAcrossManySealsAndCiphersOfOneProvider(String algorithm) {
        CipherProvider p = provider(algorithm);
        Set<String> nonces = new HashSet<>();
        List<AeadCipher> ciphers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            ciphers.add(p.newCipher(key("same-key", KEY)));
        }
        ByteBuffer plain = ByteBuffer.allocate(1);
        ByteBuffer out = ByteBuffer.allocate(29);
        byte[] nonce = new byte[12];
        for (int round = 0; round < 2_000; round++) {
            for (AeadCipher c : ciphers) {
                plain.clear();
                out.clear();
                c.seal(plain, null, out);
                out.flip().get(nonce);
                assertTrue(nonces.add(HEX.formatHex(nonce)), "nonce repeated");
            }
        }
        assertEquals(16_000, nonces.size());
    }

    @Test
    void shouldLayOutNoncesAsBlockThenCounterAndMoveToAFreshBlockWhenTheCounterIsUsedUp() {
        NonceBlocks blocks = new NonceBlocks(0x0102030405060708L);
        AesGcmCipherProvider p = new AesGcmCipherProvider(blocks);
        AeadCipher a = p.newCipher(key("k", KEY));
        AeadCipher b = p.newCipher(key("k", KEY));
        assertEquals("0102030405060708" + "00000000", nonceOf(a));
        assertEquals("0102030405060708" + "00000001", nonceOf(a));
        assertEquals("0102030405060709" + "00000000", nonceOf(b));
        // a cipher at the end of its block's counter takes the next free block instead of wrapping
        JcaAeadCipher c = new JcaAeadCipher(JcaAeadCipher.Kind.AES_GCM, new SecretKeySpec(KEY, "AES"), "k", blocks,
                JcaAeadCipher.COUNTER_LIMIT - 2);
        assertEquals("010203040506070a" + "fffffffe", nonceOf(c));
        assertEquals("010203040506070a" + "ffffffff", nonceOf(c));
        assertEquals("010203040506070b" + "00000000", nonceOf(c));
        assertEquals("010203040506070b" + "00000001", nonceOf(c));
        assertEquals("0102030405060708" + "00000002", nonceOf(a));
    }

    @Test
    void shouldWrapBlockIdsAroundUnsignedButRefuseOnceEveryIdIsUsed() {
        NonceBlocks nearEnd = new NonceBlocks(-2L);
        AesGcmCipherProvider q = new AesGcmCipherProvider(nearEnd);
        assertEquals("fffffffffffffffe00000000", nonceOf(q.newCipher(key("k", KEY))));
        assertEquals("ffffffffffffffff00000000", nonceOf(q.newCipher(key("k", KEY))));
        assertEquals("000000000000000000000000", nonceOf(q.newCipher(key("k", KEY))));

        NonceBlocks exhausted = new NonceBlocks(7, -2L); // 2^64-2 ids issued: one left
        assertEquals(7, exhausted.take());
        IpcException e = assertThrows(IpcException.class, exhausted::take);
        assertEquals(ErrorCode.ILLEGAL_STATE, e.code());
        AesGcmCipherProvider r = new AesGcmCipherProvider(exhausted);
        assertEquals(ErrorCode.ILLEGAL_STATE, assertThrows(IpcException.class, () -> r.newCipher(key("k", KEY))).code());
    }

    private static String nonceOf(AeadCipher c) {
        ByteBuffer out = ByteBuffer.allocate(28);
        c.seal(ByteBuffer.allocate(0), null, out);
        return HEX.formatHex(out.array(), 0, 12);
    }

    @Test
    void shouldNeverShowKeyMaterialInToStringOrMessages() {
        byte[] secret = "super-secret-aes-key-material-32".getBytes(StandardCharsets.US_ASCII);
        List<String> texts = new ArrayList<>();
        for (String alg : new String[] {"AES-256-GCM", "ChaCha20-Poly1305"}) {
            CipherProvider p = provider(alg);
            AeadCipher c = p.newCipher(key("visible-id", secret));
            texts.add(c.toString());
            texts.add(p.toString());
            texts.add(assertThrows(IpcException.class,
                    () -> c.open(ByteBuffer.wrap(new byte[40]), null, ByteBuffer.allocate(40))).getMessage());
            texts.add(assertThrows(IpcException.class,
                    () -> c.open(ByteBuffer.wrap(new byte[4]), null, ByteBuffer.allocate(40))).getMessage());
            byte[] longSecret = "super-secret-aes-key-material-32-and-more".getBytes(StandardCharsets.US_ASCII);
            texts.add(assertThrows(IpcException.class, () -> p.newCipher(key("visible-id", longSecret))).getMessage());
        }
        for (String s : texts) {
            assertFalse(s.contains("super-secret"), s);
            assertFalse(s.toLowerCase().contains(HEX.formatHex(secret).substring(0, 16)), s);
            assertFalse(s.contains(Base64.getEncoder().encodeToString(secret).substring(0, 16)), s);
        }
    }
}
