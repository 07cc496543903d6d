package org.eipc.transport.nats.impl;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;
import org.eipc.spi.keyring.KeyEntry;
import org.eipc.spi.security.FrameMac;
import org.eipc.spi.security.IntegrityProvider;

/**
 * The MAC of one channel under one keyring key: HMAC-SHA256 with the key
 * {@code HKDF-SHA256(salt = none, ikm = keyring key, info = "eipc-durable1" ‖ channel)}. A frame signed for one
 * channel therefore fails the MAC on every other channel, and the keyring key itself never MACs a durable frame.
 *
 * <p>Derived MACs are kept per (key id, channel) while the keyring hands out the same key object. Not thread-safe:
 * one instance per publisher (under its lock) and per consumer thread.
 */
final class ChannelKeys {
    static final String INFO = "eipc-durable1";
    private static final int MAX_CACHED = 256;

    private record Cached(SecretKey source, FrameMac mac) {
    }

    private final IntegrityProvider integrity;
    private final Map<String, Cached> cache = new HashMap<>();

    ChannelKeys(IntegrityProvider integrity) {
        this.integrity = integrity;
    }

    /** The MAC for {@code channel} under {@code key}. */
    FrameMac mac(KeyEntry key, String channel) {
        String id = key.id() + '\0' + channel;
        Cached c = cache.get(id);
        if (c != null && c.source == key.key()) {
            return c.mac;
        }
        if (cache.size() >= MAX_CACHED) {
            cache.clear(); // many channels or rotations: start over rather than grow
        }
        byte[] derived = derive(key.key(), channel);
        try {
            FrameMac mac = integrity.newMac(new KeyEntry(key.id(), new SecretKeySpec(derived, "HmacSHA256"),
                    key.created(), key.retiresAt()));
            cache.put(id, new Cached(key.key(), mac));
            return mac;
        } finally {
            Arrays.fill(derived, (byte) 0);
        }
    }

    /** HKDF-SHA256 (RFC 5869) extract with no salt and one expand block of 32 bytes. */
    static byte[] derive(SecretKey key, String channel) {
        byte[] ikm = key.getEncoded();
        if (ikm == null || ikm.length == 0) {
            throw new IpcException(ErrorCode.KEY_UNKNOWN, "a keyring key is not extractable, so no channel key "
                    + "can be derived from it");
        }
        byte[] prk = null;
        try {
            Mac extract = Mac.getInstance("HmacSHA256");
            extract.init(new SecretKeySpec(new byte[32], "HmacSHA256"));
            prk = extract.doFinal(ikm);
            Mac expand = Mac.getInstance("HmacSHA256");
            expand.init(new SecretKeySpec(prk, "HmacSHA256"));
            expand.update(INFO.getBytes(StandardCharsets.US_ASCII));
            expand.update(channel.getBytes(StandardCharsets.US_ASCII));
            expand.update((byte) 1);
            return expand.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IpcException(ErrorCode.INTERNAL, "HMAC-SHA256 unavailable: " + e.getClass().getSimpleName());
        } finally {
            Arrays.fill(ikm, (byte) 0);
            if (prk != null) {
                Arrays.fill(prk, (byte) 0);
            }
        }
    }
}
