package org.eipc.transport.nats.impl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.EdECPublicKey;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.NamedParameterSpec;
import java.util.Arrays;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;

import io.nats.client.AuthHandler;

/**
 * Signs the server's nonce with the NKey seed of a NATS credentials file, using the JDK's Ed25519 (so the Bouncy
 * Castle dependency jnats would use is never loaded). The seed is read once and kept only as a
 * {@link PrivateKey}; the JWT is public. Nothing here is logged or printed.
 */
final class CredsAuth implements AuthHandler {
    static final long MAX_FILE_BYTES = 64 * 1024;
    private static final Pattern JWT = Pattern.compile(
            "-{3,}BEGIN NATS USER JWT-{3,}\\s*\\R\\s*([A-Za-z0-9_=.-]+)\\s*\\R\\s*-{3,}END NATS USER JWT-{3,}");
    private static final Pattern SEED = Pattern.compile(
            "-{3,}BEGIN USER NKEY SEED-{3,}\\s*\\R\\s*(S[A-Z2-7]+)\\s*\\R\\s*-{3,}END USER NKEY SEED-{3,}");
    private static final String BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private static final int PREFIX_SEED = 18 << 3;
    private static final int PREFIX_USER = 20 << 3;

    private final char[] jwt;
    private final char[] publicKey;
    private final PrivateKey key;

    private CredsAuth(char[] jwt, char[] publicKey, PrivateKey key) {
        this.jwt = jwt;
        this.publicKey = publicKey;
        this.key = key;
    }

    /** Reads a {@code .creds} file; refuses one that group or others may read. */
    static CredsAuth fromFile(Path file) {
        String text;
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
            for (PosixFilePermission p : perms) {
                if (p.name().startsWith("GROUP") || p.name().startsWith("OTHERS")) {
                    throw new IpcException(ErrorCode.CONFIG_INVALID, "NATS credentials file " + file
                            + " is accessible by group or others; chmod 600 it");
                }
            }
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw new IpcException(ErrorCode.CONFIG_INVALID, "NATS credentials file " + file + " has " + size
                        + " bytes, more than " + MAX_FILE_BYTES);
            }
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException | UnsupportedOperationException e) {
            throw new IpcException(ErrorCode.CONFIG_INVALID, "cannot read NATS credentials file " + file + ": "
                    + e.getClass().getSimpleName());
        }
        Matcher j = JWT.matcher(text);
        Matcher s = SEED.matcher(text);
        if (!j.find() || !s.find()) {
            throw new IpcException(ErrorCode.CONFIG_INVALID, "NATS credentials file " + file
                    + " lacks a user JWT or an NKey seed block");
        }
        char[] seedChars = s.group(1).toCharArray();
        try {
            return fromSeed(j.group(1).toCharArray(), seedChars);
        } finally {
            Arrays.fill(seedChars, '\0');
        }
    }

    /** @param jwt the user JWT, or null for plain NKey authentication */
    static CredsAuth fromSeed(char[] jwt, char[] encodedSeed) {
        byte[] raw = decodeChecked(encodedSeed);
        byte[] seed = null;
        try {
            int b0 = raw[0] & 0xFF;
            if ((b0 & 0xF8) != PREFIX_SEED || raw.length != 34) {
                throw new IpcException(ErrorCode.CONFIG_INVALID, "not an NKey seed");
            }
            seed = Arrays.copyOfRange(raw, 2, 34);
            KeyFactory kf = KeyFactory.getInstance("Ed25519");
            PrivateKey key = kf.generatePrivate(new EdECPrivateKeySpec(NamedParameterSpec.ED25519, seed));
            // the public key: the JDK derives it when "generating" a pair from these 32 bytes of randomness
            KeyPairGenerator g = KeyPairGenerator.getInstance("Ed25519");
            g.initialize(NamedParameterSpec.ED25519, new FixedRandom(seed));
            KeyPair pair = g.generateKeyPair();
            byte[] pub = encodePoint((EdECPublicKey) pair.getPublic());
            return new CredsAuth(jwt, encodeChecked(PREFIX_USER, pub), key);
        } catch (GeneralSecurityException e) {
            throw new IpcException(ErrorCode.CONFIG_INVALID, "Ed25519 unavailable for the NKey seed: "
                    + e.getClass().getSimpleName());
        } finally {
            Arrays.fill(raw, (byte) 0);
            if (seed != null) {
                Arrays.fill(seed, (byte) 0);
            }
        }
    }

    @Override
    public byte[] sign(byte[] nonce) {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(key);
            s.update(nonce);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed: " + e.getClass().getSimpleName());
        }
    }

    @Override
    public char[] getID() {
        return publicKey.clone();
    }

    @Override
    public char[] getJWT() {
        return jwt == null ? null : jwt.clone();
    }

    @Override
    public String toString() {
        return "CredsAuth[" + new String(publicKey) + "]"; // the public key only
    }

    /** RFC 8032 point encoding: y little-endian, the top bit of the last byte is x's parity. */
    private static byte[] encodePoint(EdECPublicKey k) {
        byte[] be = k.getPoint().getY().toByteArray();
        byte[] out = new byte[32];
        for (int i = 0; i < 32 && i < be.length; i++) {
            out[i] = be[be.length - 1 - i];
        }
        if (k.getPoint().isXOdd()) {
            out[31] |= (byte) 0x80;
        }
        return out;
    }

    private static char[] encodeChecked(int prefix, byte[] payload) {
        byte[] all = new byte[1 + payload.length + 2];
        all[0] = (byte) prefix;
        System.arraycopy(payload, 0, all, 1, payload.length);
        int crc = crc16(all, all.length - 2);
        all[all.length - 2] = (byte) crc;
        all[all.length - 1] = (byte) (crc >>> 8);
        StringBuilder b = new StringBuilder();
        int buffer = 0;
        int bits = 0;
        for (byte x : all) {
            buffer = (buffer << 8) | (x & 0xFF);
            bits += 8;
            while (bits >= 5) {
                b.append(BASE32.charAt((buffer >>> (bits - 5)) & 31));
                bits -= 5;
            }
        }
        if (bits > 0) {
            b.append(BASE32.charAt((buffer << (5 - bits)) & 31));
        }
        return b.toString().toCharArray();
    }

    private static byte[] decodeChecked(char[] text) {
        if (text.length < 4 || text.length > 128) {
            throw new IpcException(ErrorCode.CONFIG_INVALID, "NKey seed of unexpected length");
        }
        byte[] out = new byte[text.length * 5 / 8];
        int buffer = 0;
        int bits = 0;
        int n = 0;
        for (char c : text) {
            int v = BASE32.indexOf(c);
            if (v < 0) {
                throw new IpcException(ErrorCode.CONFIG_INVALID, "NKey seed is not base32");
            }
            buffer = (buffer << 5) | v;
            bits += 5;
            if (bits >= 8) {
                out[n++] = (byte) (buffer >>> (bits - 8));
                bits -= 8;
            }
        }
        byte[] data = Arrays.copyOf(out, n);
        Arrays.fill(out, (byte) 0);
        if (n < 3) {
            throw new IpcException(ErrorCode.CONFIG_INVALID, "NKey seed too short");
        }
        int crc = (data[n - 2] & 0xFF) | ((data[n - 1] & 0xFF) << 8);
        if (crc != crc16(data, n - 2)) {
            throw new IpcException(ErrorCode.CONFIG_INVALID, "NKey seed checksum mismatch");
        }
        return Arrays.copyOf(data, n - 2);
    }

    /** CRC-16/XMODEM, as NKeys use it. */
    private static int crc16(byte[] b, int length) {
        int crc = 0;
        for (int i = 0; i < length; i++) {
            crc ^= (b[i] & 0xFF) << 8;
            for (int k = 0; k < 8; k++) {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
                crc &= 0xFFFF;
            }
        }
        return crc;
    }

    /** Hands out exactly the seed: the JDK's Ed25519 key generation reads 32 bytes as the private key. */
    private static final class FixedRandom extends SecureRandom {
        private static final long serialVersionUID = 1L;
        private final transient byte[] seed;

        FixedRandom(byte[] seed) {
            this.seed = seed.clone();
        }

        @Override
        public void nextBytes(byte[] bytes) {
            if (bytes.length != seed.length) {
                throw new IllegalStateException("unexpected request for " + bytes.length + " random bytes");
            }
            System.arraycopy(seed, 0, bytes, 0, bytes.length);
            Arrays.fill(seed, (byte) 0);
        }
    }
}
