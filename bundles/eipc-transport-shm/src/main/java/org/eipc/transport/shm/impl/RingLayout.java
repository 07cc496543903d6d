package org.eipc.transport.shm.impl;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;

/**
 * Layout of one ring file: a single-producer single-consumer byte ring carrying one direction of one
 * connection. Both processes run on the same machine, so every field is in native byte order.
 *
 * <pre>
 * file offset
 *    0  +-------------------------------------------+
 *       | magic (8) "EIPCSHM1" | version (4) | capacity (4) |   written once by the creator, before use
 *  128  +-------------------------------------------+
 *       | tail (8): bytes ever published by the producer    |   producer only (release)
 *  256  +-------------------------------------------+
 *       | head (8): bytes ever consumed by the consumer     |   consumer only (release)
 *  384  +-------------------------------------------+
 *       | readerWaiting (8): 1 = consumer is parked         |   consumer sets, producer clears (CAS)
 *  512  +-------------------------------------------+
 *       | writerWaiting (8): 1 = producer waits for space   |   producer sets, consumer clears (CAS)
 * 1024  +-------------------------------------------+
 *       | data: capacity bytes (power of two) of records    |
 *       +-------------------------------------------+
 * </pre>
 *
 * Each hot counter has 128 bytes to itself, so the two processes never write the same cache line (and the
 * adjacent-line prefetcher does not pair them either).
 *
 * <p>A record starts at an 8-byte aligned position and never wraps:
 * <pre>
 * +----------------------+----------------------+------------------------------+
 * | length (4, payload)  | type (4)             | payload, padded to 8 bytes    |
 * +----------------------+----------------------+------------------------------+
 * </pre>
 * {@link #TYPE_DATA} carries 1..{@link #MAX_PAYLOAD} bytes; {@link #TYPE_PAD} fills the space up to the end
 * of the data area when not even a minimal record fits there; {@link #TYPE_END} (length 0) is end of stream.
 * Positions (head, tail) are byte counts that only grow; the index is {@code position & (capacity - 1)}.
 */
final class RingLayout {
    static final long MAGIC = 0x314D485343504945L; // "EIPCSHM1" read as a little-endian long
    static final int VERSION = 1;

    static final int MAGIC_OFFSET = 0;
    static final int VERSION_OFFSET = 8;
    static final int CAPACITY_OFFSET = 12;
    static final int TAIL_OFFSET = 128;
    static final int HEAD_OFFSET = 256;
    static final int READER_WAITING_OFFSET = 384;
    static final int WRITER_WAITING_OFFSET = 512;
    static final int DATA_OFFSET = 1024;

    static final int RECORD_HEADER = 8;
    static final int ALIGNMENT = 8;
    /** The smallest record that carries data: a header plus one (padded) byte. */
    static final int MIN_DATA_RECORD = RECORD_HEADER + ALIGNMENT;
    /** Largest payload of one record; big offers become several records so space is released early. */
    static final int MAX_PAYLOAD = 64 * 1024;

    static final int TYPE_DATA = 1;
    static final int TYPE_PAD = 2;
    static final int TYPE_END = 3;

    static final int MIN_CAPACITY = 4 * 1024;
    static final int MAX_CAPACITY = 1 << 30;

    private static final VarHandle LONG =
            MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());

    private RingLayout() {
    }

    /** Size of a ring file with {@code capacity} bytes of data. */
    static long fileSize(final int capacity) {
        return (long) DATA_OFFSET + capacity;
    }

    static boolean isValidCapacity(final long capacity) {
        return capacity >= MIN_CAPACITY && capacity <= MAX_CAPACITY && Long.bitCount(capacity) == 1;
    }

    static int align(final int length) {
        return (length + ALIGNMENT - 1) & -ALIGNMENT;
    }

    /** Writes the constant header of a fresh (zero-filled) ring. */
    static void initialise(final ByteBuffer ring, final int capacity) {
        ring.putInt(VERSION_OFFSET, VERSION);
        ring.putInt(CAPACITY_OFFSET, capacity);
        // magic last, with release: a reader that sees the magic sees the rest
        LONG.setRelease(ring, MAGIC_OFFSET, MAGIC);
    }

    /**
     * Checks the header of a ring someone else created.
     *
     * @throws IpcException {@link ErrorCode#PROTOCOL_VIOLATION} when it is not a ring of this capacity
     */
    static void verify(final ByteBuffer ring, final int capacity) {
        if ((long) LONG.getAcquire(ring, MAGIC_OFFSET) != MAGIC || ring.getInt(VERSION_OFFSET) != VERSION
                || ring.getInt(CAPACITY_OFFSET) != capacity) {
            throw new IpcException(ErrorCode.PROTOCOL_VIOLATION,
                    "ring file header does not describe a version " + VERSION + " ring of " + capacity + " bytes");
        }
        if ((long) LONG.getVolatile(ring, TAIL_OFFSET) != 0 || (long) LONG.getVolatile(ring, HEAD_OFFSET) != 0) {
            throw new IpcException(ErrorCode.PROTOCOL_VIOLATION, "ring file is not fresh");
        }
    }

    static long getAcquire(final ByteBuffer ring, final int offset) {
        return (long) LONG.getAcquire(ring, offset);
    }

    static long getVolatile(final ByteBuffer ring, final int offset) {
        return (long) LONG.getVolatile(ring, offset);
    }

    static void setRelease(final ByteBuffer ring, final int offset, final long value) {
        LONG.setRelease(ring, offset, value);
    }

    /** A store followed by a full fence: the store-load ordering both sides of the wake-up protocol need. */
    static void setVolatile(final ByteBuffer ring, final int offset, final long value) {
        LONG.setVolatile(ring, offset, value);
    }

    static boolean compareAndSet(final ByteBuffer ring, final int offset, final long expected, final long value) {
        return LONG.compareAndSet(ring, offset, expected, value);
    }

    static IpcException corrupt(final String what, final long position) {
        return new IpcException(ErrorCode.PROTOCOL_VIOLATION, "shared-memory ring corrupt: " + what, position);
    }
}
