package org.eipc.transport.nats.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.EdECPoint;
import java.security.spec.EdECPublicKeySpec;
import java.security.spec.NamedParameterSpec;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The NATS credentials signing ({@link CredsAuth}) uses the JDK's Ed25519. Every Wycheproof Ed25519 case (copied from
 * the shared vectors) runs through that same JDK implementation: valid signatures verify, invalid ones (malleable,
 * non-canonical, wrong length, ...) are rejected. Together with {@code CredsAuthTest} (our signatures and public keys
 * equal jnats' own) this covers the Ed25519 the code relies on.
 */
class Ed25519WycheproofTest {
    private static final Pattern GROUP = Pattern.compile("\"pk\"\\s*:\\s*\"([0-9a-f]{64})\"");
    private static final Pattern CASE = Pattern.compile("\"tcId\"\\s*:\\s*(\\d+),.*?\"msg\"\\s*:\\s*\"([0-9a-f]*)\","
            + "\\s*\"sig\"\\s*:\\s*\"([0-9a-f]*)\",\\s*\"result\"\\s*:\\s*\"(\\w+)\"", Pattern.DOTALL);

    @TestFactory
    Stream<DynamicTest> wycheproofEd25519() throws IOException, GeneralSecurityException {
        String json;
        try (InputStream in = getClass().getResourceAsStream("/wycheproof/ed25519_test.json")) {
            json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        HexFormat hex = HexFormat.of();
        List<DynamicTest> tests = new ArrayList<>();
        // each test group: its public key, then its cases until the next group's key
        Matcher g = GROUP.matcher(json);
        List<int[]> spans = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        while (g.find()) {
            spans.add(new int[] {g.end()});
            keys.add(g.group(1));
        }
        for (int i = 0; i < keys.size(); i++) {
            int from = spans.get(i)[0];
            int to = i + 1 < keys.size() ? spans.get(i + 1)[0] : json.length();
            PublicKey pk = publicKey(hex.parseHex(keys.get(i)));
            Matcher c = CASE.matcher(json.substring(from, to));
            while (c.find()) {
                String id = c.group(1);
                byte[] msg = hex.parseHex(c.group(2));
                byte[] sig = hex.parseHex(c.group(3));
                boolean valid = "valid".equals(c.group(4));
                tests.add(DynamicTest.dynamicTest("tcId " + id + " " + c.group(4), () -> {
                    if (valid) {
                        assertTrue(verify(pk, msg, sig));
                    } else {
                        assertFalse(verify(pk, msg, sig));
                    }
                }));
            }
        }
        assertEquals(151, tests.size(), "every case of the file parsed");
        return tests.stream();
    }

    /**
     * Verification as any code of ours would have to do it: JDK 17 accepts a valid signature followed by extra bytes
     * (tcId 37, "appending 0 byte to signature"), so the length is checked first. Nothing in EIPC verifies Ed25519
     * signatures today; the NATS credentials only sign.
     */
    private static boolean verify(PublicKey pk, byte[] msg, byte[] sig) {
        if (sig.length != 64) {
            return false;
        }
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initVerify(pk);
            s.update(msg);
            return s.verify(sig);
        } catch (GeneralSecurityException e) {
            return false; // a malformed signature is a rejection
        }
    }

    /** RFC 8032 encoding: y little-endian, the top bit of the last byte is x's parity. */
    private static PublicKey publicKey(byte[] encoded) throws GeneralSecurityException {
        byte[] be = new byte[32];
        for (int i = 0; i < 32; i++) {
            be[i] = encoded[31 - i];
        }
        boolean xOdd = (be[0] & 0x80) != 0;
        be[0] &= 0x7f;
        return KeyFactory.getInstance("Ed25519").generatePublic(
                new EdECPublicKeySpec(NamedParameterSpec.ED25519, new EdECPoint(xOdd, new BigInteger(1, be))));
    }
}
