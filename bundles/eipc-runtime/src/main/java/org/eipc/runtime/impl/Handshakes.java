package org.eipc.runtime.impl;

import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;

import org.eipc.api.ErrorCode;
import org.eipc.api.Header;
import org.eipc.api.IpcException;
import org.eipc.api.PeerIdentity;
import org.eipc.protocol.Timestamps;
import org.eipc.spi.transport.Connection;
import org.eipc.spi.transport.PeerCredentials;

/** Pieces both handshakes and both roles share. */
final class Handshakes {
    static final byte AUTH = 'A';
    static final byte CHALLENGE = 'H';
    static final byte AUTH_RESPONSE = 'R';

    private Handshakes() {
    }

    static Header header(String serviceId, String sessionId, String requestId, long seq) {
        return Header.builder().serviceId(serviceId).sessionId(sessionId).requestId(requestId).sequence(seq)
                .timestamp(Timestamps.format(Instant.now())).priority(0).build();
    }

    /** A 32-byte nonce from 64 hex digits, or HANDSHAKE_FAILED. */
    static byte[] nonce(String hex) {
        if (hex == null || hex.length() != 2 * SessionKeys.NONCE_LENGTH) {
            throw new IpcException(ErrorCode.HANDSHAKE_FAILED, "nonce is not 64 hex digits");
        }
        return Hex.decode(hex, ErrorCode.HANDSHAKE_FAILED);
    }

    static PeerIdentity identity(String serviceId, List<String> capabilities, Connection c) {
        PeerCredentials pc = c == null ? PeerCredentials.UNKNOWN : c.peerCredentials();
        return new PeerIdentity(serviceId, Set.copyOf(capabilities), pc == null ? OptionalInt.empty() : pc.uid(),
                pc == null ? OptionalInt.empty() : pc.gid(), pc == null ? "" : pc.principal());
    }

    static void expectType(byte actual, byte expected, String what) {
        if (actual != expected) {
            throw new IpcException(ErrorCode.HANDSHAKE_FAILED,
                    "expected " + what + " ('" + (char) expected + "'), got 0x" + Integer.toHexString(actual & 0xFF));
        }
    }

    /** Maps a denial's code name back to an ErrorCode; AUTH_FAILED when unknown. */
    static ErrorCode code(String name) {
        if (name != null) {
            try {
                return ErrorCode.valueOf(name);
            } catch (IllegalArgumentException e) {
                // fall through
            }
        }
        return ErrorCode.AUTH_FAILED;
    }
}
