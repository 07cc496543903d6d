package org.eipc.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * The header parser's string scan loads eight bytes at a time, also past the end of the header while they lie in the
 * array: it must return exactly what a byte-by-byte scan of {@code [p, stop)} returns, whatever lies after
 * {@code stop} and however close to the array's end the string is.
 */
class ScanPlainTest {
    private static final byte[] SPECIAL = {'"', '\\', 0x00, 0x1f, (byte) 0x80, (byte) 0xff};

    /** The definition: the first quote, backslash, control or non-ASCII byte in {@code [p, stop)}, else stop. */
    private static int reference(byte[] b, int p, int stop) {
        for (int i = p; i < stop; i++) {
            int c = b[i] & 0xff;
            if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80) {
                return i;
            }
        }
        return stop;
    }

    @Test
    void agreesWithAByteByByteScanOnEveryLayout() {
        Random random = new Random(20261123);
        for (int length = 0; length <= 48; length++) {
            for (int round = 0; round < 400; round++) {
                byte[] b = new byte[length];
                for (int i = 0; i < length; i++) {
                    b[i] = (byte) (0x20 + random.nextInt(0x5f)); // printable ASCII
                    if (b[i] == '"' || b[i] == '\\') {
                        b[i] = 'x';
                    }
                }
                int p = length == 0 ? 0 : random.nextInt(length + 1);
                int stop = p + random.nextInt(length - p + 1);
                // a special byte at, or just after, the end of the range: the scan must not report it
                if (stop < length && random.nextBoolean()) {
                    b[stop + random.nextInt(Math.min(8, length - stop))] = SPECIAL[random.nextInt(SPECIAL.length)];
                }
                // sometimes one inside the range as well
                if (stop > p && random.nextInt(3) == 0) {
                    b[p + random.nextInt(stop - p)] = SPECIAL[random.nextInt(SPECIAL.length)];
                }
                assertEquals(reference(b, p, stop), HeaderParser.scanPlain(b, p, stop),
                        () -> "length " + b.length + ", range " + p + ".." + stop);
            }
        }
    }

    @Test
    void stopsAtTheEndOfTheRangeWhenTheNextByteIsAQuote() {
        byte[] b = "abcdefgh\"ijklmnop".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertEquals(3, HeaderParser.scanPlain(b, 0, 3)); // the word holds the quote at 8: not in range
        assertEquals(8, HeaderParser.scanPlain(b, 0, 9));
        assertEquals(8, HeaderParser.scanPlain(b, 0, 8)); // the range ends where the quote starts
        assertEquals(17, HeaderParser.scanPlain(b, 10, 17)); // the last seven bytes of the array, one at a time
    }
}
