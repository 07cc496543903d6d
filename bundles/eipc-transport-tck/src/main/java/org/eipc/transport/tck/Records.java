package org.eipc.transport.tck;

import java.nio.ByteBuffer;
import java.util.zip.CRC32;

/**
 * The kit's own record format, used to rebuild messages from chunks of any size:
 * {@code int payloadLength | int id | int crc32(payload) | payload}. Payload bytes are derived from the id, so
 * a record is fully determined by {@code (id, length)}.
 */
final class Records {
    static final int HEADER = 12;
    /** Upper bound the decoder accepts; larger announced lengths are a transport corruption. */
    static final int MAX_PAYLOAD = 16 << 20;

    private Records() {
    }

    static void fillPayload(ByteBuffer dst, int id, int length) {
        int x = id * 0x9E3779B1 + length;
        for (int i = 0; i < length; i++) {
            x ^= x << 13;
            x ^= x >>> 17;
            x ^= x << 5;
            dst.put((byte) (x + i));
        }
    }

    /** A whole record (header and payload) in one heap buffer, ready to offer. */
    static ByteBuffer record(int id, int length) {
        return write(ByteBuffer.allocate(HEADER + length), id, length);
    }

    /** Writes a whole record into {@code b} from its start (it must have room) and flips it, ready to offer. */
    static ByteBuffer write(ByteBuffer b, int id, int length) {
        b.clear();
        b.position(HEADER);
        fillPayload(b, id, length);
        b.flip();
        b.position(HEADER);
        CRC32 crc = new CRC32();
        crc.update(b.duplicate());
        b.position(0);
        b.putInt(length).putInt(id).putInt((int) crc.getValue());
        b.position(0);
        return b;
    }

    /** Receives decoded records. */
    interface Sink {
        void record(int id, int length, boolean checksumOk);
    }

    /** Incremental decoder: feed chunks of any size, records come out in order. Not thread-safe. */
    static final class Decoder {
        private final ByteBuffer header = ByteBuffer.allocate(HEADER);
        private final CRC32 crc = new CRC32();
        private int length = -1;
        private int id;
        private int expectedCrc;
        private int remaining;
        private long bytes;

        long bytes() {
            return bytes;
        }

        /** Consumes all of {@code data}. */
        void feed(ByteBuffer data, Sink sink) {
            bytes += data.remaining();
            while (data.hasRemaining()) {
                if (length < 0) {
                    while (header.hasRemaining() && data.hasRemaining()) {
                        header.put(data.get());
                    }
                    if (header.hasRemaining()) {
                        return;
                    }
                    header.flip();
                    int len = header.getInt();
                    id = header.getInt();
                    expectedCrc = header.getInt();
                    header.clear();
                    if (len < 0 || len > MAX_PAYLOAD) {
                        throw new AssertionError("corrupt stream: record length " + len + " after "
                                + (bytes - data.remaining()) + " bytes");
                    }
                    length = len;
                    remaining = len;
                    crc.reset();
                }
                int n = Math.min(remaining, data.remaining());
                if (n > 0) {
                    int limit = data.limit();
                    data.limit(data.position() + n);
                    crc.update(data);
                    data.limit(limit);
                    remaining -= n;
                }
                if (remaining == 0) {
                    int len = length;
                    length = -1;
                    sink.record(id, len, (int) crc.getValue() == expectedCrc);
                }
            }
        }

        /** Feeds one byte only (for the one-byte consumer). */
        void feedOne(ByteBuffer data, Sink sink) {
            int limit = data.limit();
            data.limit(data.position() + 1);
            feed(data, sink);
            data.limit(limit);
        }
    }
}
