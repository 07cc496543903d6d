package org.eipc.bench.transport;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import javax.crypto.spec.SecretKeySpec;

import org.eipc.api.Header;
import org.eipc.api.MessageType;
import org.eipc.protocol.FrameEncoder;
import org.eipc.protocol.FrameFlags;
import org.eipc.protocol.ProtocolLimits;
import org.eipc.security.hmac.impl.HmacSha256Provider;
import org.eipc.spi.keyring.KeyEntry;
import org.eipc.spi.security.FrameMac;

/**
 * What both processes agree on: the ping message (4-byte length prefix and 64 bytes), the one-way frames (an EIPC
 * frame with HMAC-SHA256 behind its length prefix) and the key.
 */
public final class Wire {
    static final int PING_PAYLOAD = 64;
    static final int PING_LENGTH = ProtocolLimits.PREFIX + PING_PAYLOAD;
    static final byte ACK = 'A';
    static final byte TYPE = MessageType.FEATURES.wireByte();
    /** A post-handshake header as the reference sends it (service, 64-hex session id, sequence, timestamp). */
    public static final Header HEADER = Header.builder().serviceId("bench.sink")
            .sessionId("7fd1ebbabf8ccd58841aedd60268894902ee1cc1ecf6803a367ff14f1dafd376")
            .sequence(123_456).timestamp("2026-01-02T03:04:05.127456789Z").priority(1).build();
    private static final byte[] KEY = "eipc-transport-bench-key-32bytes".getBytes(StandardCharsets.US_ASCII);

    private Wire() {
    }

    public static FrameMac newMac() {
        return new HmacSha256Provider().newMac(new KeyEntry("bench", new SecretKeySpec(KEY, "RAW"), Instant.EPOCH,
                null));
    }

    /** Bytes on the wire per one-way message of {@code payload} bytes: prefix, frame and MAC. */
    public static int wireLength(final int payload) {
        return ProtocolLimits.PREFIX + new FrameEncoder().encodedLength(HEADER, payload, true);
    }

    /** Encodes one signed frame with its prefix into {@code out} (cleared first) and flips it. */
    public static ByteBuffer encode(final FrameEncoder encoder, final FrameMac mac, final ByteBuffer payload,
            final ByteBuffer out) {
        out.clear();
        encoder.encodeWithPrefix(TYPE, FrameFlags.HMAC, HEADER, payload, mac, out);
        return out.flip();
    }
}
