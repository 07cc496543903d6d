package org.eipc.runtime.impl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every X25519 case of Wycheproof ({@code x25519_test.json}, copied from the shared vectors) through the handshake's
 * key agreement: valid cases give the expected secret; cases whose secret is all zeros (low-order public keys) are
 * refused with HANDSHAKE_FAILED; the other "acceptable" cases (twist points, non-canonical encodings) give the
 * expected secret when accepted.
 */
class X25519WycheproofTest {
    private static final Pattern CASE = Pattern.compile("\\{\\s*\"tcId\"\\s*:\\s*(\\d+),.*?\"flags\"\\s*:\\s*\\[([^]]*)\\],"
            + "\\s*\"public\"\\s*:\\s*\"([0-9a-f]*)\",\\s*\"private\"\\s*:\\s*\"([0-9a-f]*)\",\\s*\"shared\"\\s*:\\s*"
            + "\"([0-9a-f]*)\",\\s*\"result\"\\s*:\\s*\"(\\w+)\"", Pattern.DOTALL);

    @TestFactory
    Stream<DynamicTest> wycheproofX25519() throws IOException {
        String json;
        try (InputStream in = getClass().getResourceAsStream("/wycheproof/x25519_test.json")) {
            json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<DynamicTest> tests = new ArrayList<>();
        Matcher m = CASE.matcher(json);
        HexFormat hex = HexFormat.of();
        while (m.find()) {
            String id = m.group(1);
            String flags = m.group(2);
            byte[] pub = hex.parseHex(m.group(3));
            byte[] priv = hex.parseHex(m.group(4));
            byte[] shared = hex.parseHex(m.group(5));
            String result = m.group(6);
            tests.add(DynamicTest.dynamicTest("tcId " + id + " " + result + " " + flags, () -> {
                if (flags.contains("ZeroSharedSecret")) {
                    IpcException e = assertThrows(IpcException.class, () -> X25519.agree(priv, pub));
                    assertEquals(ErrorCode.HANDSHAKE_FAILED, e.code());
                } else if ("valid".equals(result)) {
                    assertArrayEquals(shared, X25519.agree(priv, pub));
                } else {
                    try {
                        assertArrayEquals(shared, X25519.agree(priv, pub));
                    } catch (IpcException refused) {
                        assertEquals(ErrorCode.HANDSHAKE_FAILED, refused.code()); // refusing is acceptable too
                    }
                }
            }));
        }
        assertEquals(518, tests.size(), "every case of the file parsed");
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> generatedKeysAgree() {
        return Stream.of(DynamicTest.dynamicTest("two fresh pairs agree", () -> {
            var a = X25519.generate();
            var b = X25519.generate();
            byte[] ab = X25519.agree(a.getPrivate(), X25519.publicBytes(b));
            byte[] ba = X25519.agree(b.getPrivate(), X25519.publicBytes(a));
            assertArrayEquals(ab, ba);
        }));
    }
}
