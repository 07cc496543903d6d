package org.eipc.runtime.impl;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.interfaces.XECPublicKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import java.util.Arrays;

import javax.crypto.KeyAgreement;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;

/**
 * X25519 (RFC 7748) ephemeral key agreement for the forward-secret hardened handshake, over the JDK's {@code XDH}
 * provider. Public keys travel as the 32-byte little-endian u-coordinate. A shared secret of all zeros (a
 * low-order peer key) is refused, so a peer cannot force a known secret.
 */
final class X25519 {
    static final int KEY_LENGTH = 32;

    private X25519() {
    }

    static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance("X25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IpcException(ErrorCode.INTERNAL, "X25519 unavailable", e);
        }
    }

    /** The 32-byte little-endian u-coordinate of a public key. */
    static byte[] publicBytes(KeyPair kp) {
        byte[] be = ((XECPublicKey) kp.getPublic()).getU().toByteArray();
        byte[] le = new byte[KEY_LENGTH];
        for (int i = 0; i < le.length && i < be.length; i++) {
            le[i] = be[be.length - 1 - i];
        }
        return le;
    }

    /**
     * The shared secret with a peer's public key.
     *
     * @throws IpcException {@code HANDSHAKE_FAILED} for a key of the wrong length, one the JDK refuses, or a
     *         low-order key (all-zero secret)
     */
    static byte[] agree(PrivateKey own, byte[] peerPublic) {
        if (peerPublic.length != KEY_LENGTH) {
            throw new IpcException(ErrorCode.HANDSHAKE_FAILED, "ephemeral key of " + peerPublic.length
                    + " bytes, expected " + KEY_LENGTH);
        }
        byte[] secret;
        try {
            KeyAgreement ka = KeyAgreement.getInstance("X25519");
            ka.init(own);
            ka.doPhase(KeyFactory.getInstance("X25519").generatePublic(
                    new XECPublicKeySpec(NamedParameterSpec.X25519, u(peerPublic))), true);
            secret = ka.generateSecret();
        } catch (GeneralSecurityException e) {
            throw new IpcException(ErrorCode.HANDSHAKE_FAILED, "ephemeral key refused: " + e.getMessage(), e);
        }
        int acc = 0;
        for (byte b : secret) {
            acc |= b;
        }
        if (acc == 0) {
            throw new IpcException(ErrorCode.HANDSHAKE_FAILED, "ephemeral key of low order (all-zero secret)");
        }
        return secret;
    }

    /** For the Wycheproof tests: the shared secret of a raw private scalar and a public key. */
    static byte[] agree(byte[] privateScalar, byte[] peerPublic) {
        try {
            PrivateKey k = KeyFactory.getInstance("X25519").generatePrivate(
                    new XECPrivateKeySpec(NamedParameterSpec.X25519, privateScalar.clone()));
            return agree(k, peerPublic);
        } catch (GeneralSecurityException e) {
            throw new IpcException(ErrorCode.HANDSHAKE_FAILED, "private key refused", e);
        }
    }

    /** The u-coordinate of little-endian bytes, with the top bit masked as RFC 7748 section 5 requires. */
    private static BigInteger u(byte[] le) {
        byte[] be = new byte[KEY_LENGTH];
        for (int i = 0; i < KEY_LENGTH; i++) {
            be[i] = le[KEY_LENGTH - 1 - i];
        }
        be[0] &= 0x7f;
        BigInteger u = new BigInteger(1, be);
        Arrays.fill(be, (byte) 0);
        return u;
    }
}
