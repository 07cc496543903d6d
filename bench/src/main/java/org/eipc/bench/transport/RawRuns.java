package org.eipc.bench.transport;

import java.io.IOException;
import java.nio.ByteBuffer;

/** The parent's side of a raw blocking-socket measurement: the same messages, one thread, no MAC. */
public final class RawRuns {
    private RawRuns() {
    }

    /** Ping-pong of 64-byte length-prefixed messages: one write and one blocking read per round trip. */
    public static void rtt(final RawPipe pipe, final int warm, final int samples, final Result r) throws IOException {
        final byte[] msg = ByteBuffer.allocate(Wire.PING_LENGTH).putInt(0, Wire.PING_PAYLOAD).array();
        final byte[] reply = new byte[Wire.PING_LENGTH];
        final long[] rtts = new long[samples];
        for (int i = 0; i < warm + samples; i++) {
            final long t0 = System.nanoTime();
            pipe.rawOut.write(msg);
            pipe.in.readFully(reply);
            if (i >= warm) {
                rtts[i - warm] = System.nanoTime() - t0;
            }
        }
        TransportRuns.percentiles(rtts, samples, r);
    }

    /**
     * Streams {@code warm} then {@code count} messages of the same wire size as a signed frame of {@code size}
     * payload bytes (a length prefix and that many bytes, no MAC computed) through a 64 KiB buffered stream;
     * returns messages per second over the {@code count} part, up to the sink's acknowledgement.
     */
    static double oneWay(final RawPipe pipe, final int size, final long warm, final long count, final CpuMeter cpu)
            throws IOException {
        final int wire = Wire.wireLength(size);
        final byte[] msg = ByteBuffer.allocate(wire).putInt(0, wire - 4).array();
        stream(pipe, msg, warm);
        cpu.awaitJitQuiet();
        cpu.start();
        final long t0 = System.nanoTime();
        stream(pipe, msg, count);
        final long t1 = System.nanoTime();
        cpu.stop(count);
        return count / ((t1 - t0) / 1e9);
    }

    private static void stream(final RawPipe pipe, final byte[] msg, final long n) throws IOException {
        for (long i = 0; i < n; i++) {
            pipe.out.write(msg);
        }
        pipe.out.flush();
        if (pipe.in.read() != Wire.ACK) {
            throw new IOException("no acknowledgement from the raw sink");
        }
    }
}
