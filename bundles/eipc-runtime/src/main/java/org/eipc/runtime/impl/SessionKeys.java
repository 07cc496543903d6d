package org.eipc.runtime.impl;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;

import javax.crypto.spec.SecretKeySpec;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;
import org.eipc.spi.keyring.KeyEntry;

/**
 * The key schedule of the hardened handshake {@code eipc-h1} (see {@code docs/runtime.md}). All keys are 32 bytes
 * of HKDF-SHA256 output; every label starts with {@code "eipc-h1 "} and names its use, so handshake proofs, handshake
 * frame MACs, the two frame directions and the resume secret never share a key.
 *
 * <pre>
 * K_hs   = Expand(Extract("eipc-h1 handshake", LTK), "eipc-h1 handshake frame mac")      handshake frames, both ways
 * T      = SHA-256(len-prefixed "eipc-h1", kind, client id, server id, key id, Nc, Ns, session id, Ec, Es)
 * PRK    = Extract(salt = Nc ‖ Ns, IKM = LTK [‖ X25519(e, E)])   (full)    or IKM = K_resume (resume)
 *          Ec, Es: the X25519 ephemeral public keys (empty without forward secrecy); the DH secret joins the IKM
 * Pc     = HMAC(Expand(PRK, "eipc-h1 proof client" ‖ T), T)      client proof
 * Ps     = HMAC(Expand(PRK, "eipc-h1 proof server" ‖ T), T)      server proof
 * K_c2s  = Expand(PRK, "eipc-h1 frame c2s" ‖ T)                  frames client to server (full only)
 * K_s2c  = Expand(PRK, "eipc-h1 frame s2c" ‖ T)                  frames server to client (full only)
 * K_res  = Expand(PRK, "eipc-h1 resume" ‖ T)                     resume secret (full only)
 * </pre>
 */
final class SessionKeys {
    static final String PROTO = "eipc-h1";
    static final String HMAC_ALG = "HmacSHA256";
    static final int NONCE_LENGTH = 32;

    final byte[] proofClient;
    final byte[] proofServer;
    final byte[] c2s;
    final byte[] s2c;
    final byte[] resume;

    private SessionKeys(byte[] proofClient, byte[] proofServer, byte[] c2s, byte[] s2c, byte[] resume) {
        this.proofClient = proofClient;
        this.proofServer = proofServer;
        this.c2s = c2s;
        this.s2c = s2c;
        this.resume = resume;
    }

    /** The MAC key of handshake frames under one long-term key. */
    static byte[] handshakeFrameKey(byte[] ltk) {
        return Hkdf.expand(Hkdf.extract(ascii("eipc-h1 handshake"), ltk), ascii("eipc-h1 handshake frame mac"), 32);
    }

    /** The transcript hash both proofs cover; every field is length-prefixed so no two transcripts collide. */
    static byte[] transcript(String kind, String clientId, String serverId, String keyId, byte[] nc, byte[] ns,
            String sessionId, byte[] ephClient, byte[] ephServer) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            for (byte[] part : new byte[][] {ascii(PROTO), ascii(kind), utf8(clientId), utf8(serverId), utf8(keyId),
                    nc, ns, utf8(sessionId), ephClient, ephServer}) {
                d.update(ByteBuffer.allocate(4).putInt(part.length).array());
                d.update(part);
            }
            return d.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IpcException(ErrorCode.INTERNAL, "SHA-256 unavailable", e);
        }
    }

    /**
     * Keys of a full handshake from the long-term key and, with forward secrecy, the X25519 secret: once both sides
     * forget their ephemeral keys, a later theft of the long-term key does not open recorded sessions.
     */
    static SessionKeys full(byte[] ltk, byte[] dh, byte[] nc, byte[] ns, byte[] t) {
        byte[] ikm = dh == null ? ltk : concat(ltk, dh);
        byte[] prk = Hkdf.extract(concat(nc, ns), ikm);
        if (dh != null) {
            Arrays.fill(ikm, (byte) 0);
            Arrays.fill(dh, (byte) 0);
        }
        try {
            return new SessionKeys(expand(prk, "eipc-h1 proof client", t), expand(prk, "eipc-h1 proof server", t),
                    expand(prk, "eipc-h1 frame c2s", t), expand(prk, "eipc-h1 frame s2c", t),
                    expand(prk, "eipc-h1 resume", t));
        } finally {
            Arrays.fill(prk, (byte) 0);
        }
    }

    /** Proof keys of a resume handshake from the session's resume secret; the frame keys stay the session's. */
    static SessionKeys resume(byte[] resumeSecret, byte[] nc, byte[] ns, byte[] t) {
        byte[] prk = Hkdf.extract(concat(nc, ns), resumeSecret);
        try {
            return new SessionKeys(expand(prk, "eipc-h1 resume proof client", t),
                    expand(prk, "eipc-h1 resume proof server", t), null, null, null);
        } finally {
            Arrays.fill(prk, (byte) 0);
        }
    }

    static byte[] proof(byte[] proofKey, byte[] t) {
        return Hkdf.hmac(proofKey, t);
    }

    /** A key entry for a derived key; its id names the use, never the bytes. */
    static KeyEntry entry(String id, byte[] key) {
        return new KeyEntry(id, new SecretKeySpec(key, HMAC_ALG), Instant.now(), null);
    }

    /** The raw bytes of a long-term key. */
    static byte[] raw(KeyEntry e) {
        byte[] raw = e.key().getEncoded();
        if (raw == null || raw.length == 0) {
            throw new IpcException(ErrorCode.CONFIG_INVALID, "key '" + e.id() + "' has no raw bytes");
        }
        return raw;
    }

    private static byte[] expand(byte[] prk, String label, byte[] t) {
        return Hkdf.expand(prk, concat(ascii(label), t), 32);
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
