package org.eipc.transport.shm.impl;

import static org.eipc.transport.shm.impl.RingLayout.DATA_OFFSET;
import static org.eipc.transport.shm.impl.RingLayout.HEAD_OFFSET;
import static org.eipc.transport.shm.impl.RingLayout.MAX_PAYLOAD;
import static org.eipc.transport.shm.impl.RingLayout.READER_WAITING_OFFSET;
import static org.eipc.transport.shm.impl.RingLayout.RECORD_HEADER;
import static org.eipc.transport.shm.impl.RingLayout.TAIL_OFFSET;
import static org.eipc.transport.shm.impl.RingLayout.TYPE_DATA;
import static org.eipc.transport.shm.impl.RingLayout.TYPE_END;
import static org.eipc.transport.shm.impl.RingLayout.TYPE_PAD;
import static org.eipc.transport.shm.impl.RingLayout.WRITER_WAITING_OFFSET;

import java.nio.ByteBuffer;

/**
 * The reading end of one ring. Used by the connection's I/O thread only.
 *
 * <p>Every value read from shared memory (tail, record length, record type) is checked before it is used:
 * the producer is another process and may be buggy or hostile. Payload is <em>copied</em> out of the ring
 * before anyone looks at it, so the producer cannot change bytes after a check above us (MAC, length) has
 * passed.
 */
final class RingConsumer {
    private final ByteBuffer ring;
    private final int capacity;
    private final int mask;
    private long head;
    /** Data record being copied out: where its next byte is, how many remain, where the next record starts. */
    private int recordIndex;
    private int recordRemaining;
    private long recordEnd;
    private boolean endSeen;
    private boolean headMoved;

    RingConsumer(final ByteBuffer ring, final int capacity) {
        this.ring = ring;
        this.capacity = capacity;
        this.mask = capacity - 1;
    }

    /**
     * Copies available payload into {@code dst} (up to its remaining space) and frees consumed records.
     *
     * @return the bytes copied
     * @throws org.eipc.api.IpcException {@link org.eipc.api.ErrorCode#PROTOCOL_VIOLATION} on any corrupt value
     */
    int read(final ByteBuffer dst) {
        if (endSeen) {
            return 0;
        }
        final long tail = readTail();
        long h = head;
        int copied = 0;
        while (dst.hasRemaining()) {
            if (recordRemaining > 0) {
                final int n = Math.min(recordRemaining, dst.remaining());
                dst.put(dst.position(), ring, DATA_OFFSET + recordIndex, n);
                dst.position(dst.position() + n);
                recordIndex += n;
                recordRemaining -= n;
                copied += n;
                if (recordRemaining == 0) {
                    h = recordEnd;
                }
                continue;
            }
            if (h == tail) {
                break;
            }
            final int index = (int) h & mask;
            final int toEnd = capacity - index;
            final long available = tail - h;
            if (available < RECORD_HEADER) {
                throw RingLayout.corrupt("partial record header", h);
            }
            final int length = ring.getInt(DATA_OFFSET + index);
            final int type = ring.getInt(DATA_OFFSET + index + 4);
            if (TYPE_DATA == type) {
                if (length < 1 || length > MAX_PAYLOAD) {
                    throw RingLayout.corrupt("record length " + length + " outside [1, " + MAX_PAYLOAD + "]", h);
                }
                final int size = RingLayout.align(RECORD_HEADER + length);
                if (size > toEnd || size > available) {
                    throw RingLayout.corrupt("record of " + length + " bytes crosses the end of the ring or of"
                            + " the published data", h);
                }
                recordIndex = index + RECORD_HEADER;
                recordRemaining = length;
                recordEnd = h + size;
            } else if (TYPE_PAD == type) {
                if (length != toEnd - RECORD_HEADER || toEnd > available) {
                    throw RingLayout.corrupt("padding of " + length + " bytes does not end the ring", h);
                }
                h += toEnd;
            } else if (TYPE_END == type) {
                if (length != 0) {
                    throw RingLayout.corrupt("end-of-stream record with length " + length, h);
                }
                h += RECORD_HEADER;
                endSeen = true;
                break;
            } else {
                throw RingLayout.corrupt("unknown record type " + type, h);
            }
        }
        if (h != head) {
            head = h;
            headMoved = true;
            // volatile: orders the head store before the writerWaiting read in wakeWriter()
            RingLayout.setVolatile(ring, HEAD_OFFSET, h);
        }
        return copied;
    }

    private long readTail() {
        final long tail = RingLayout.getAcquire(ring, TAIL_OFFSET);
        if (tail < head || tail - head > capacity || (tail & (RingLayout.ALIGNMENT - 1)) != 0) {
            throw RingLayout.corrupt("producer position " + tail + " outside [" + head + ", " + (head + capacity)
                    + "]", tail);
        }
        return tail;
    }

    /** True once after {@link #read} freed space. */
    boolean takeHeadMoved() {
        final boolean m = headMoved;
        headMoved = false;
        return m;
    }

    /** True when the producer waits for space and this call took the duty to wake it. */
    boolean takeWriterWakeup() {
        return RingLayout.getVolatile(ring, WRITER_WAITING_OFFSET) != 0
                && RingLayout.compareAndSet(ring, WRITER_WAITING_OFFSET, 1, 0);
    }

    /**
     * True when something (data, padding or end) is readable. A volatile read: this is the re-check after
     * {@code readerWaiting(true)}, and the store-load order between the two is what prevents a lost wake-up.
     */
    boolean hasData() {
        return !endSeen && (recordRemaining > 0 || RingLayout.getVolatile(ring, TAIL_OFFSET) != head);
    }

    boolean endSeen() {
        return endSeen;
    }

    /** Announces (true) or withdraws (false) that this side parks until the producer publishes. */
    void readerWaiting(final boolean waiting) {
        if (waiting) {
            RingLayout.setVolatile(ring, READER_WAITING_OFFSET, 1);
        } else {
            RingLayout.setRelease(ring, READER_WAITING_OFFSET, 0);
        }
    }
}
