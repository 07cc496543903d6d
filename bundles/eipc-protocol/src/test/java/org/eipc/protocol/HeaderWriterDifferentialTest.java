package org.eipc.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;

import org.eipc.api.ErrorCode;
import org.eipc.api.Header;
import org.eipc.api.IpcException;
import org.junit.jupiter.api.Test;

/**
 * The writer's plain-ASCII check ({@link HeaderCodec#plainLength}, one table load per char) and the bulk copy
 * it enables, against the independent reference of Go's escaping in {@link HeaderWriterFastPathTest}, on
 * deterministic random strings (fixed seeds) rich in the chars where a check on the low byte alone would go
 * wrong: escapes, 0x7F / 0x80 / 0xFF / 0x100 boundaries, chars above 0xFF whose low byte is plain or escaped
 * ASCII, surrogates. Enough headers are written for C2 to compile the loops, so the compiled code is what is
 * checked, not only the interpreter.
 */
class HeaderWriterDifferentialTest {

    /** Chars the random strings are drawn from, most of them boundaries of the check. */
    private static final char[] POOL = {
        'a', 'Z', '0', '-', ':', '.', ' ', '~', '\u007f', // plain, 0x7F (DEL) included: Go writes it as is
        '"', '\\', '<', '>', '&', '\n', '\r', '\t', '\u0000', '\u001f', // escaped ASCII
        '\u0080', '\u00a2', '\u00bc', '\u00e9', '\u00ff', // Latin-1 above ASCII: UTF-8, two bytes
        '\u0100', '\u0122', '\u0126', '\u013c', '\u0141', '\u015c', '\u017e', '\u01ff', // low byte " & < A \ ~
        '\u0261', '\u2028', '\u2029', '\u20ac', '\uff41', '\uffff', '\u7f20', '\u0a7f', // more low bytes that look plain
        '\ud83d', '\ude00', // surrogates: paired or lone depending on the neighbours
    };

    private static String randomString(SplittableRandom r) {
        int len = r.nextInt(4) == 0 ? r.nextInt(80) : r.nextInt(12);
        char[] c = new char[len];
        boolean plainOnly = r.nextInt(3) == 0; // a third plain ASCII, so that the bulk copy is exercised too
        for (int k = 0; k < len; k++) {
            c[k] = plainOnly ? (char) (0x20 + r.nextInt(0x60)) : POOL[r.nextInt(POOL.length)];
        }
        if (plainOnly) {
            for (int k = 0; k < len; k++) {
                if ("\"\\<>&".indexOf(c[k]) >= 0) {
                    c[k] = 'x';
                }
            }
        }
        if (len > 0 && !plainOnly && r.nextInt(4) == 0) {
            // exactly one non-plain char in an otherwise plain string, anywhere (first, last, middle)
            Arrays.fill(c, 'p');
            c[r.nextInt(len)] = POOL[9 + r.nextInt(POOL.length - 9)];
        }
        return new String(c);
    }

    private static Header randomHeader(SplittableRandom r) {
        return Header.builder().serviceId(randomString(r)).sessionId(randomString(r)).requestId(randomString(r))
                .sequence(r.nextLong()).timestamp(randomString(r)).priority(r.nextInt(256))
                .capability(r.nextInt(3) == 0 ? "" : randomString(r)).route(r.nextInt(3) == 0 ? "" : randomString(r))
                .payloadFormat(r.nextInt(256)).build();
    }

    @Test
    void plainLengthAgreesWithGoForEveryChar() {
        for (int c = 0; c <= 0xFFFF; c++) {
            boolean plain = c >= 0x20 && c < 0x80 && "\"\\<>&".indexOf(c) < 0;
            String one = String.valueOf((char) c);
            assertEquals(plain ? 1 : -1, HeaderCodec.plainLength(one), "char " + c);
            // inside a long plain string, at the first, a middle and the last position
            String mid = "abcdefghijklmnop" + one + "qrstuvwxyz0123456789";
            assertEquals(plain ? mid.length() : -1, HeaderCodec.plainLength(mid), "char " + c + " in the middle");
            assertEquals(plain ? 17 : -1, HeaderCodec.plainLength(one + "abcdefghijklmnop"), "char " + c + " first");
            assertEquals(plain ? 17 : -1, HeaderCodec.plainLength("abcdefghijklmnop" + one), "char " + c + " last");
        }
        assertEquals(0, HeaderCodec.plainLength(""));
    }

    @Test
    void randomHeadersAreByteIdenticalToTheReference() {
        SplittableRandom r = new SplittableRandom(0x5EED_2026_1123L);
        byte[] big = new byte[8192];
        for (int n = 0; n < 12_000; n++) {
            Header h = randomHeader(r);
            byte[] want = HeaderWriterFastPathTest.reference(h);
            assertEquals(want.length, HeaderCodec.encodedLength(h), "encodedLength, header " + n);

            // exact-size heap buffer at an array offset
            int off = r.nextInt(9);
            ByteBuffer exact = ByteBuffer.wrap(big, off, want.length).slice();
            assertEquals(want.length, HeaderCodec.write(h, exact), "header " + n);
            assertArrayEquals(want, Arrays.copyOfRange(big, off, off + want.length), "header " + n);

            // without the plain mask from measure (each string checked again while written): the same bytes
            Arrays.fill(big, (byte) 0);
            assertEquals(want.length, HeaderCodec.writeTo(h, big, 3, 0) - 3, "unmasked, header " + n);
            assertArrayEquals(want, Arrays.copyOfRange(big, 3, 3 + want.length), "unmasked, header " + n);

            // a direct buffer (through a temporary array)
            ByteBuffer direct = ByteBuffer.allocateDirect(want.length + 2).position(2);
            assertEquals(want.length, HeaderCodec.write(h, direct), "direct, header " + n);
            byte[] got = new byte[want.length];
            direct.get(2, got);
            assertArrayEquals(want, got, "direct, header " + n);

            // one byte short: refused, position unchanged, nothing written
            if (n % 16 == 0) {
                ByteBuffer tight = ByteBuffer.allocate(want.length - 1);
                IpcException e = assertThrows(IpcException.class, () -> HeaderCodec.write(h, tight));
                assertEquals(ErrorCode.ILLEGAL_STATE, e.code());
                assertEquals(0, tight.position());
                assertArrayEquals(new byte[want.length - 1], tight.array());
            }
        }
    }

    /** The encoder remembers the strings it found plain; equal strings that are other objects, and strings in other fields, must not profit. */
    @Test
    void encoderMemoNeverLetsANonPlainStringThrough() {
        SplittableRandom r = new SplittableRandom(42);
        FrameEncoder enc = new FrameEncoder();
        String plain = "7fd1ebbabf8ccd58841aedd60268894902ee1cc1ecf6803a367ff14f1dafd376";
        Header.Builder base = Header.builder().serviceId("svc").sessionId(plain).requestId("r").timestamp("t")
                .capability("cap").route("route");
        for (int n = 0; n < 20_000; n++) {
            Header h;
            switch (r.nextInt(5)) {
                case 0: // the remembered objects again
                    h = base.build();
                    break;
                case 1: // an equal string that is another object
                    h = base.sessionId(new String(plain.toCharArray())).build();
                    break;
                case 2: // a non-plain string in a slot that held a plain one
                    h = base.sessionId(randomString(r)).build();
                    break;
                case 3: // the same non-plain object twice in a row is checked twice
                    String odd = "a<" + n;
                    checkEncoder(enc, base.capability(odd).build());
                    h = base.capability(odd).build();
                    break;
                default: // everything random
                    h = randomHeader(r);
                    break;
            }
            checkEncoder(enc, h);
            base.sessionId(plain).capability("cap");
        }
    }

    private static void checkEncoder(FrameEncoder enc, Header h) {
        byte[] want = HeaderWriterFastPathTest.reference(h);
        for (boolean direct : new boolean[] {false, true}) {
            int len = enc.encodedLength(h, 0, false);
            assertEquals(ProtocolLimits.PREAMBLE + want.length, len);
            ByteBuffer out = direct ? ByteBuffer.allocateDirect(len) : ByteBuffer.allocate(len);
            assertEquals(len, enc.encode((byte) 1, 0, h, null, null, out));
            byte[] got = new byte[want.length];
            out.get(ProtocolLimits.PREAMBLE, got);
            assertArrayEquals(want, got);
        }
    }
}
