package org.eipc.keyring.file.impl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class KeyDirectoryTest {

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void shouldDecodeTheThreeForms() {
        assertArrayEquals(new byte[] {1, 2, (byte) 0xff}, KeyDirectory.decode(ascii("hex:0102ff\n")));
        assertArrayEquals(new byte[] {1, 2, (byte) 0xff}, KeyDirectory.decode(ascii("hex:  0102FF  \r\n")));
        assertArrayEquals(new byte[] {1, 2, (byte) 0xff}, KeyDirectory.decode(ascii("base64:AQL/\n")));
        assertArrayEquals(ascii("plain secret\n"), KeyDirectory.decode(ascii("plain secret\n")));
        assertArrayEquals(ascii("HEX:0102"), KeyDirectory.decode(ascii("HEX:0102")), "prefixes are lower case");
        assertArrayEquals(new byte[0], KeyDirectory.decode(new byte[0]));
    }

    @Test
    void shouldRejectInvalidText() {
        assertNull(KeyDirectory.decode(ascii("hex:012\n")));
        assertNull(KeyDirectory.decode(ascii("hex:0g\n")));
        assertNull(KeyDirectory.decode(ascii("base64:***\n")));
        assertNull(KeyDirectory.decode(new byte[] {'h', 'e', 'x', ':', (byte) 0xc3, (byte) 0xa9}));
    }
}
