package org.eipc.security.hmac;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class HkdfTest {
    private static final HexFormat HEX = HexFormat.of();

    @TestFactory
    List<DynamicTest> shouldPassEveryWycheproofHkdfSha256Vector() throws IOException {
        JsonNode root;
        try (InputStream in = HkdfTest.class.getResourceAsStream("/vectors/hkdf_sha256_test.json")) {
            assertNotNull(in);
            root = new ObjectMapper().readTree(in);
        }
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode group : root.get("testGroups")) {
            for (JsonNode t : group.get("tests")) {
                int tcId = t.get("tcId").asInt();
                String result = t.get("result").asText();
                byte[] ikm = HEX.parseHex(t.get("ikm").asText());
                byte[] salt = HEX.parseHex(t.get("salt").asText());
                byte[] info = HEX.parseHex(t.get("info").asText());
                int size = t.get("size").asInt();
                byte[] okm = HEX.parseHex(t.get("okm").asText());
                tests.add(dynamicTest("tcId " + tcId + " (" + result + ") " + t.get("comment").asText(), () -> {
                    if ("valid".equals(result)) {
                        assertArrayEquals(okm, Hkdf.derive(salt, ikm, info, size));
                        byte[] prk = Hkdf.extract(salt, ikm);
                        assertArrayEquals(okm, Hkdf.expand(prk, info, size));
                    } else {
                        IpcException e = assertThrows(IpcException.class, () -> Hkdf.derive(salt, ikm, info, size));
                        assertEquals(ErrorCode.CONFIG_INVALID, e.code());
                    }
                }));
            }
        }
        assertEquals(root.get("numberOfTests").asInt(), tests.size());
        return tests;
    }

    @Test
    void shouldTreatMissingSaltAsZeros() {
        byte[] ikm = new byte[22];
        assertArrayEquals(Hkdf.extract(new byte[32], ikm), Hkdf.extract(null, ikm));
        assertArrayEquals(Hkdf.extract(new byte[0], ikm), Hkdf.extract(null, ikm));
    }

    @Test
    void shouldRejectShortPrkAndBadLengths() {
        assertEquals(ErrorCode.CONFIG_INVALID,
                assertThrows(IpcException.class, () -> Hkdf.expand(new byte[31], null, 10)).code());
        assertEquals(ErrorCode.CONFIG_INVALID,
                assertThrows(IpcException.class, () -> Hkdf.expand(new byte[32], null, -1)).code());
        assertEquals(Hkdf.MAX_OUTPUT_LENGTH, Hkdf.expand(new byte[32], null, Hkdf.MAX_OUTPUT_LENGTH).length);
        assertEquals(0, Hkdf.derive(null, new byte[1], null, 0).length);
    }
}
