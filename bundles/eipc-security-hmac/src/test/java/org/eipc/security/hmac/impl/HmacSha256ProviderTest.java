package org.eipc.security.hmac.impl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;
import org.eipc.spi.keyring.KeyEntry;
import org.eipc.spi.security.FrameMac;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class HmacSha256ProviderTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] GOLDEN_KEY = "EIPC-golden-vector-key-32-bytes!".getBytes(StandardCharsets.US_ASCII);

    private final HmacSha256Provider provider = new HmacSha256Provider();

    static KeyEntry key(String id, byte[] raw) {
        return new KeyEntry(id, new SecretKeySpec(raw, "HmacSHA256"), Instant.EPOCH, null);
    }

    static JsonNode resource(String name) throws IOException {
        try (InputStream in = HmacSha256ProviderTest.class.getResourceAsStream("/vectors/" + name)) {
            assertNotNull(in, name);
            return new ObjectMapper().readTree(in);
        }
    }

    static byte[] bytes(String name) throws IOException {
        try (InputStream in = HmacSha256ProviderTest.class.getResourceAsStream("/vectors/" + name)) {
            assertNotNull(in, name);
            return in.readAllBytes();
        }
    }

    @TestFactory
    List<DynamicTest> shouldPassEveryWycheproofHmacSha256Vector() throws IOException {
        JsonNode root = resource("hmac_sha256_test.json");
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode group : root.get("testGroups")) {
            int tagBytes = group.get("tagSize").asInt() / 8;
            for (JsonNode t : group.get("tests")) {
                int tcId = t.get("tcId").asInt();
                String result = t.get("result").asText();
                byte[] k = HEX.parseHex(t.get("key").asText());
                byte[] msg = HEX.parseHex(t.get("msg").asText());
                byte[] tag = HEX.parseHex(t.get("tag").asText());
                String name = "tcId " + tcId + " (" + result + ", tag " + tagBytes + " bytes) " + t.get("comment").asText();
                tests.add(dynamicTest(name, () -> checkWycheproof(k, msg, tag, tagBytes, "valid".equals(result))));
            }
        }
        assertEquals(root.get("numberOfTests").asInt(), tests.size());
        return tests;
    }

    private void checkWycheproof(byte[] k, byte[] msg, byte[] tag, int tagBytes, boolean valid) {
        FrameMac mac = provider.newMac(key("w", k));
        ByteBuffer out = ByteBuffer.allocate(32);
        mac.sign(ByteBuffer.wrap(msg), out);
        byte[] full = out.array();
        byte[] truncated = java.util.Arrays.copyOf(full, tagBytes);
        if (valid) {
            // the computed MAC (or its prefix, for a truncated-tag vector) is the expected tag
            assertArrayEquals(tag, truncated);
        }
        if (tagBytes == 32) {
            assertEquals(valid, mac.verify(ByteBuffer.wrap(msg), ByteBuffer.wrap(tag)));
        } else {
            // truncated tags are not supported: verify must refuse them even when they are correct
            assertFalse(mac.verify(ByteBuffer.wrap(msg), ByteBuffer.wrap(tag)));
            if (!valid) {
                assertFalse(java.util.Arrays.equals(tag, truncated), "invalid vector must differ from the MAC");
            }
        }
    }

    @TestFactory
    List<DynamicTest> shouldReproduceGoReferenceFrameMacs() throws IOException {
        JsonNode root = resource("eipc-go-macs.json");
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode v : root.get("vectors")) {
            String id = v.get("id").asText();
            tests.add(dynamicTest(id, () -> {
                byte[] frame = bytes(v.get("file").asText());
                byte[] key = v.get("key_ascii").asText().getBytes(StandardCharsets.US_ASCII);
                byte[] expected = HEX.parseHex(v.get("expected_mac_hex").asText());
                FrameMac mac = provider.newMac(key("golden", key));
                ByteBuffer signable = ByteBuffer.wrap(frame, 0, frame.length - 32);
                ByteBuffer out = ByteBuffer.allocate(32);
                mac.sign(signable, out);
                assertArrayEquals(expected, out.array());
                assertTrue(mac.verify(signable, ByteBuffer.wrap(frame, frame.length - 32, 32)));
                // a flipped bit anywhere in the signed bytes breaks it
                frame[17] ^= 1;
                assertFalse(mac.verify(signable, ByteBuffer.wrap(frame, frame.length - 32, 32)));
            }));
        }
        assertEquals(6, tests.size());
        return tests;
    }

    @Test
    void shouldLeaveBufferPositionsAndLimitsUntouched() {
        FrameMac mac = provider.newMac(key("k", GOLDEN_KEY));
        ByteBuffer data = ByteBuffer.allocate(100);
        data.position(10).limit(90);
        ByteBuffer out = ByteBuffer.allocate(40);
        out.position(4);
        mac.sign(data, out);
        assertEquals(10, data.position());
        assertEquals(90, data.limit());
        assertEquals(36, out.position());

        ByteBuffer macBuf = ByteBuffer.allocate(40);
        macBuf.put(4, out.array(), 4, 32).position(4);
        assertTrue(mac.verify(data, macBuf));
        assertEquals(4, macBuf.position());
        assertEquals(10, data.position());
        assertEquals(90, data.limit());
    }

    @Test
    void shouldGiveTheSameMacForHeapDirectAndReadOnlyBuffers() {
        FrameMac mac = provider.newMac(key("k", GOLDEN_KEY));
        byte[] data = new byte[5000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31);
        }
        ByteBuffer heap = ByteBuffer.wrap(data);
        ByteBuffer direct = ByteBuffer.allocateDirect(data.length).put(data).flip();
        ByteBuffer readOnly = heap.asReadOnlyBuffer();
        byte[][] macs = new byte[3][];
        ByteBuffer[] inputs = {heap, direct, readOnly};
        for (int i = 0; i < 3; i++) {
            ByteBuffer out = ByteBuffer.allocateDirect(32);
            mac.sign(inputs[i], out);
            macs[i] = new byte[32];
            out.flip().get(macs[i]);
            assertEquals(0, inputs[i].position());
        }
        assertArrayEquals(macs[0], macs[1]);
        assertArrayEquals(macs[0], macs[2]);
        ByteBuffer directMac = ByteBuffer.allocateDirect(32).put(macs[0]).flip();
        assertTrue(mac.verify(direct, directMac));
        assertTrue(mac.verify(readOnly, ByteBuffer.wrap(macs[0]).asReadOnlyBuffer()));
    }

    @Test
    void shouldReuseTheMacAcrossManyFramesAfterAFailedVerify() {
        FrameMac mac = provider.newMac(key("k", GOLDEN_KEY));
        ByteBuffer data = ByteBuffer.wrap("hello".getBytes(StandardCharsets.US_ASCII));
        ByteBuffer first = ByteBuffer.allocate(32);
        mac.sign(data, first);
        assertFalse(mac.verify(data, ByteBuffer.allocate(32)));
        for (int i = 0; i < 100; i++) {
            assertTrue(mac.verify(data, first.duplicate().flip()));
        }
    }

    @Test
    void shouldCompareInConstantTimeOverAllBytes() {
        byte[] expected = new byte[32];
        for (int i = 0; i < 32; i++) {
            expected[i] = (byte) i;
        }
        assertTrue(HmacFrameMac.constantTimeEquals(expected, ByteBuffer.wrap(expected.clone()), 0));
        for (int i = 0; i < 32; i++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] other = expected.clone();
                other[i] ^= (byte) (1 << bit);
                assertFalse(HmacFrameMac.constantTimeEquals(expected, ByteBuffer.wrap(other), 0), i + "/" + bit);
            }
        }
        ByteBuffer offset = ByteBuffer.allocate(40);
        offset.put(8, expected);
        assertTrue(HmacFrameMac.constantTimeEquals(expected, offset, 8));
        // compared eight bytes at a time: the buffer's byte order and kind must not matter
        ByteBuffer little = ByteBuffer.allocateDirect(41).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        little.put(9, expected);
        assertTrue(HmacFrameMac.constantTimeEquals(expected, little, 9));
        little.put(9 + 31, (byte) (expected[31] ^ 0x80));
        assertFalse(HmacFrameMac.constantTimeEquals(expected, little, 9));
    }

    @Test
    void shouldRejectShortMacsAndShortOutputBuffers() {
        FrameMac mac = provider.newMac(key("k", GOLDEN_KEY));
        ByteBuffer data = ByteBuffer.wrap(new byte[10]);
        ByteBuffer out = ByteBuffer.allocate(32);
        mac.sign(data, out);
        assertFalse(mac.verify(data, ByteBuffer.wrap(out.array(), 0, 31)));
        ByteBuffer small = ByteBuffer.allocate(31);
        assertThrows(BufferOverflowException.class, () -> mac.sign(data, small));
        assertEquals(0, small.position());
    }

    @Test
    void shouldAcceptKeysOfAnyNonEmptyLength() {
        for (int len : new int[] {1, 16, 33, 64, 65, 200}) {
            FrameMac mac = provider.newMac(key("k" + len, new byte[len]));
            ByteBuffer out = ByteBuffer.allocate(32);
            mac.sign(ByteBuffer.allocate(3), out);
            assertEquals(32, out.position());
        }
    }

    @Test
    void shouldRejectEmptyAndMissingKeys() {
        SecretKey empty = new SecretKey() {
            private static final long serialVersionUID = 1L;

            @Override
            public String getAlgorithm() {
                return "HmacSHA256";
            }

            @Override
            public String getFormat() {
                return "RAW";
            }

            @Override
            public byte[] getEncoded() {
                return new byte[0];
            }
        };
        IpcException e = assertThrows(IpcException.class,
                () -> provider.newMac(new KeyEntry("empty", empty, Instant.EPOCH, null)));
        assertEquals(ErrorCode.CONFIG_INVALID, e.code());
        assertEquals(ErrorCode.CONFIG_INVALID, assertThrows(IpcException.class, () -> provider.newMac(null)).code());
    }

    @Test
    void shouldNeverShowKeyMaterialInToStringOrMessages() {
        byte[] secret = "super-secret-key-material-XYZ123".getBytes(StandardCharsets.US_ASCII);
        KeyEntry entry = key("visible-id", secret);
        FrameMac mac = provider.newMac(entry);
        List<String> texts = new ArrayList<>(List.of(mac.toString(), provider.toString(), entry.toString()));
        SecretKey empty = new SecretKeySpec(secret, "HmacSHA256") {
            private static final long serialVersionUID = 1L;

            @Override
            public byte[] getEncoded() {
                return new byte[0];
            }
        };
        texts.add(assertThrows(IpcException.class,
                () -> provider.newMac(new KeyEntry("visible-id", empty, Instant.EPOCH, null))).getMessage());
        String hex = HEX.formatHex(secret);
        String base64 = java.util.Base64.getEncoder().encodeToString(secret);
        for (String s : texts) {
            assertTrue(s.contains("visible-id") || s.contains("HMAC"), s);
            assertFalse(s.contains("super-secret"), s);
            assertFalse(s.toLowerCase().contains(hex), s);
            assertFalse(s.contains(base64), s);
        }
        assertEquals("visible-id", mac.keyId());
    }

    @Test
    void shouldDescribeTheAlgorithm() {
        assertEquals("HMAC-SHA256", provider.algorithm());
        assertEquals(32, provider.macLength());
        assertEquals(32, provider.newMac(key("k", GOLDEN_KEY)).length());
    }

    @Test
    void shouldEqualJceHmacForEveryKeyLengthAndBufferKind() throws Exception {
        java.util.Random rnd = new java.util.Random(42);
        for (int keyLen : new int[] {1, 31, 32, 63, 64, 65, 100, 200}) {
            byte[] k = new byte[keyLen];
            rnd.nextBytes(k);
            javax.crypto.Mac jce = javax.crypto.Mac.getInstance(HmacSha256Provider.JCA_ALGORITHM);
            jce.init(new SecretKeySpec(k, HmacSha256Provider.JCA_ALGORITHM));
            FrameMac mac = provider.newMac(key("k" + keyLen, k));
            for (int len : new int[] {0, 1, 55, 56, 64, 300, 5000}) {
                byte[] msg = new byte[len];
                rnd.nextBytes(msg);
                byte[] expected = jce.doFinal(msg);
                ByteBuffer[] kinds = {ByteBuffer.wrap(msg), ByteBuffer.wrap(msg).asReadOnlyBuffer(),
                    ByteBuffer.allocateDirect(len).put(msg).flip(),
                    ByteBuffer.allocate(len + 9).position(5).put(msg).flip().position(5)};
                for (ByteBuffer data : kinds) {
                    int pos = data.position();
                    ByteBuffer out = ByteBuffer.allocate(32);
                    mac.sign(data, out);
                    assertArrayEquals(expected, out.array(), keyLen + "/" + len + "/" + data);
                    assertEquals(pos, data.position());
                    assertTrue(mac.verify(data, ByteBuffer.wrap(expected)));
                    expected[len % 32] ^= 1;
                    assertFalse(mac.verify(data, ByteBuffer.wrap(expected)));
                    expected[len % 32] ^= 1;
                }
            }
        }
    }

    @Test
    void shouldNotAllocatePerFrameAfterWarmUp() {
        // javax.crypto.Mac.doFinal allocates its result on every call: 48 bytes or more per frame
        com.sun.management.ThreadMXBean mx =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        FrameMac mac = provider.newMac(key("a", GOLDEN_KEY));
        ByteBuffer heap = ByteBuffer.wrap(new byte[300]);
        ByteBuffer direct = ByteBuffer.allocateDirect(300);
        ByteBuffer out = ByteBuffer.allocate(32);
        for (int i = 0; i < 20_000; i++) {
            mac.sign(heap, out.clear());
            mac.verify(direct, out.flip());
        }
        long tid = Thread.currentThread().getId();
        long before = mx.getThreadAllocatedBytes(tid);
        for (int i = 0; i < 10_000; i++) {
            mac.sign(heap, out.clear());
            mac.verify(direct, out.flip());
        }
        long allocated = mx.getThreadAllocatedBytes(tid) - before;
        assertTrue(allocated < 16_384, allocated + " bytes allocated for 10,000 sign + verify");
    }
}
