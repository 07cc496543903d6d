package org.eipc.keyring.support;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class KeyFileFormatTest {

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void shouldDecodeTheThreeForms() {
        assertArrayEquals(new byte[] {1, 2, (byte) 0xff}, KeyFileFormat.decode(ascii("hex:0102ff\n")));
        assertArrayEquals(new byte[] {1, 2, (byte) 0xff}, KeyFileFormat.decode(ascii("hex:  0102FF  \r\n")));
        assertArrayEquals(new byte[] {1, 2, (byte) 0xff}, KeyFileFormat.decode(ascii("base64:AQL/\n")));
        assertArrayEquals(ascii("plain secret\n"), KeyFileFormat.decode(ascii("plain secret\n")));
        assertArrayEquals(ascii("HEX:0102"), KeyFileFormat.decode(ascii("HEX:0102")), "prefixes are lower case");
        assertArrayEquals(new byte[0], KeyFileFormat.decode(new byte[0]));
    }

    @Test
    void shouldRejectInvalidText() {
        assertNull(KeyFileFormat.decode(ascii("hex:012\n")));
        assertNull(KeyFileFormat.decode(ascii("hex:0g\n")));
        assertNull(KeyFileFormat.decode(ascii("base64:***\n")));
        assertNull(KeyFileFormat.decode(new byte[] {'h', 'e', 'x', ':', (byte) 0xc3, (byte) 0xa9}));
    }

    @Test
    void shouldWriteWhatItReads() {
        byte[] key = {0, 1, 2, (byte) 0xfe, (byte) 0xff, '\n'};
        assertArrayEquals(key, KeyFileFormat.decode(KeyFileFormat.hexFile(key)));
        assertArrayEquals(key, KeyFileFormat.decode(KeyFileFormat.base64File(key)));
        org.junit.jupiter.api.Assertions.assertEquals("hex", KeyFileFormat.encodingOf(KeyFileFormat.hexFile(key)));
    }
}
