package org.eipc.runtime.impl;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;

/**
 * Unforgeable, session-bound capability handles (strict mode). When a server grants a session its capabilities it
 * issues one handle per capability:
 *
 * <pre>
 * handle = name "#" base64url( HMAC-SHA256(endpointSecret, "eipc-cap1" 0x00 sessionId 0x00 name)[0..16] )
 * </pre>
 *
 * {@code endpointSecret} is 32 random bytes that never leave the server endpoint, so a peer cannot compute a handle
 * it was not given (128-bit tag), and the session id in the MAC input binds each handle to its session: a handle
 * copied into another session, or one whose name was changed, does not verify. The client's runtime presents the
 * handle in the header's {@code capability} field in place of the name; the server compares it in constant time
 * and delivers the message with the plain name.
 */
final class CapabilityHandles {
    private static final byte[] LABEL = "eipc-cap1".getBytes(StandardCharsets.US_ASCII);
    private static final int TAG_BYTES = 16;
    private static final int SHOWN = 64;

    private final SecretKeySpec key;

    CapabilityHandles() {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        this.key = new SecretKeySpec(secret, "HmacSHA256");
    }

    /** The handle of every capability, in order, for one session. */
    Map<String, String> issue(String sessionId, List<String> capabilities) {
        Map<String, String> out = new LinkedHashMap<>();
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            for (String name : capabilities) {
                mac.update(LABEL);
                mac.update((byte) 0);
                mac.update(sessionId.getBytes(StandardCharsets.UTF_8));
                mac.update((byte) 0);
                mac.update(name.getBytes(StandardCharsets.UTF_8));
                byte[] tag = java.util.Arrays.copyOf(mac.doFinal(), TAG_BYTES);
                out.put(name, name + "#" + Base64.getUrlEncoder().withoutPadding().encodeToString(tag));
            }
        } catch (GeneralSecurityException e) {
            throw new IpcException(ErrorCode.INTERNAL, "HmacSHA256 unavailable", e);
        }
        return out;
    }

    /** Constant-time comparison of a presented handle with the expected one. */
    static boolean same(String expected, String presented) {
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                presented.getBytes(StandardCharsets.UTF_8));
    }

    /** A capability name as it may appear in an error: cut, so a peer cannot flood logs or replies. */
    static String shown(String name) {
        return name.length() <= SHOWN ? name : name.substring(0, SHOWN) + "...";
    }

    @Override
    public String toString() {
        return "CapabilityHandles[secret hidden]";
    }
}
