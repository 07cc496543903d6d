package org.eipc.runtime.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;

import org.eipc.api.ErrorCode;
import org.junit.jupiter.api.Test;

/** HKDF-SHA256 against RFC 5869 appendix A, and the separation of the derived session keys. */
class HkdfTest {
    private static byte[] hex(String s) {
        return Hex.decode(s, ErrorCode.INTERNAL);
    }

    @Test
    void rfc5869TestCase1() {
        byte[] ikm = new byte[22];
        Arrays.fill(ikm, (byte) 0x0b);
        byte[] prk = Hkdf.extract(hex("000102030405060708090a0b0c"), ikm);
        assertEquals("077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5", Hex.encode(prk));
        assertEquals("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865",
                Hex.encode(Hkdf.expand(prk, hex("f0f1f2f3f4f5f6f7f8f9"), 42)));
    }

    @Test
    void rfc5869TestCase3WithEmptySaltAndInfo() {
        byte[] ikm = new byte[22];
        Arrays.fill(ikm, (byte) 0x0b);
        byte[] prk = Hkdf.extract(new byte[0], ikm);
        assertEquals("19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04", Hex.encode(prk));
        assertEquals("8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8",
                Hex.encode(Hkdf.expand(prk, new byte[0], 42)));
    }

    @Test
    void everyDerivedKeyDiffersAndBothNoncesMatter() {
        byte[] ltk = "EIPC-golden-vector-key-32-bytes!".getBytes();
        byte[] nc = new byte[32];
        byte[] ns = new byte[32];
        ns[0] = 1;
        byte[] none = new byte[0];
        byte[] t = SessionKeys.transcript("full", "app", "host", "k1", nc, ns, "sid", none, none);
        SessionKeys k = SessionKeys.full(ltk, null, nc, ns, t);
        byte[][] all = {k.proofClient, k.proofServer, k.c2s, k.s2c, k.resume, SessionKeys.handshakeFrameKey(ltk)};
        for (int i = 0; i < all.length; i++) {
            for (int j = i + 1; j < all.length; j++) {
                assertFalse(Arrays.equals(all[i], all[j]), i + " vs " + j);
            }
        }
        byte[] ns2 = ns.clone();
        ns2[31] = 9;
        SessionKeys other = SessionKeys.full(ltk, null, nc, ns2, SessionKeys.transcript("full", "app", "host", "k1", nc,
                ns2, "sid", none, none));
        assertFalse(Arrays.equals(k.c2s, other.c2s));
        // an X25519 secret changes every key, and so do the ephemeral keys in the transcript
        byte[] e = new byte[32];
        e[0] = 7;
        byte[] te = SessionKeys.transcript("full", "app", "host", "k1", nc, ns, "sid", e, e);
        assertFalse(Arrays.equals(t, te));
        SessionKeys fs = SessionKeys.full(ltk, e.clone(), nc, ns, t);
        assertFalse(Arrays.equals(k.c2s, fs.c2s));
        assertFalse(Arrays.equals(k.resume, fs.resume));
    }
}
