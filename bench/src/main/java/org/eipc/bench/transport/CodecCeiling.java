package org.eipc.bench.transport;

import java.nio.ByteBuffer;

import org.eipc.protocol.FrameDecoder;
import org.eipc.protocol.FrameEncoder;
import org.eipc.protocol.ProtocolMode;
import org.eipc.protocol.StreamDecoder;
import org.eipc.spi.security.FrameMac;

/**
 * The codec alone, in this process on one thread: what encoding and signing, and decoding and verifying, one
 * frame cost. One thread per side can never move more messages per second than its side's number allows, whatever
 * the transport does.
 */
final class CodecCeiling {
    /** Nanoseconds per message: encode + sign, and decode + verify (StreamDecoder, STRICT). */
    final double encodeNanos;
    final double decodeNanos;

    private CodecCeiling(final double encodeNanos, final double decodeNanos) {
        this.encodeNanos = encodeNanos;
        this.decodeNanos = decodeNanos;
    }

    static CodecCeiling measure(final int size, final int n) {
        final FrameEncoder encoder = new FrameEncoder();
        final FrameMac mac = Wire.newMac();
        final ByteBuffer payload = ByteBuffer.allocate(size);
        final ByteBuffer out = ByteBuffer.allocate(Wire.wireLength(size));
        final long[] frames = new long[1];
        final StreamDecoder decoder = new StreamDecoder(new FrameDecoder(ProtocolMode.STRICT), Wire.newMac(),
                (f, o) -> frames[0] += f.payloadLength());
        for (int i = 0; i < n; i++) { // warm-up
            decoder.feed(Wire.encode(encoder, mac, payload, out));
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            Wire.encode(encoder, mac, payload, out);
        }
        final double enc = (System.nanoTime() - t0) / (double) n;
        t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            decoder.feed(out.rewind());
        }
        final double dec = (System.nanoTime() - t0) / (double) n;
        if (frames[0] != 2L * n * size) {
            throw new IllegalStateException("decoded " + frames[0] + " payload bytes");
        }
        return new CodecCeiling(enc, dec);
    }

    /** Messages per second of the slower side. */
    double ceiling() {
        return 1e9 / Math.max(encodeNanos, decodeNanos);
    }
}
