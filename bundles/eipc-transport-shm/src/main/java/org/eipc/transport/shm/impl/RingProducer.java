package org.eipc.transport.shm.impl;

import static org.eipc.transport.shm.impl.RingLayout.DATA_OFFSET;
import static org.eipc.transport.shm.impl.RingLayout.HEAD_OFFSET;
import static org.eipc.transport.shm.impl.RingLayout.MAX_PAYLOAD;
import static org.eipc.transport.shm.impl.RingLayout.MIN_DATA_RECORD;
import static org.eipc.transport.shm.impl.RingLayout.READER_WAITING_OFFSET;
import static org.eipc.transport.shm.impl.RingLayout.RECORD_HEADER;
import static org.eipc.transport.shm.impl.RingLayout.TAIL_OFFSET;
import static org.eipc.transport.shm.impl.RingLayout.TYPE_DATA;
import static org.eipc.transport.shm.impl.RingLayout.TYPE_END;
import static org.eipc.transport.shm.impl.RingLayout.TYPE_PAD;
import static org.eipc.transport.shm.impl.RingLayout.WRITER_WAITING_OFFSET;

import java.nio.ByteBuffer;

/**
 * The writing end of one ring. Not thread-safe: the connection's producer lock makes it single-producer.
 *
 * <p>Writes are staged at a private tail and become visible to the consumer only through {@link #publish()}
 * (a release store of the tail), so one publish can cover a whole offer of many records.
 */
final class RingProducer {
    private final ByteBuffer ring;
    private final int capacity;
    private final int mask;
    private long tail;
    private long published;
    private long head;

    RingProducer(final ByteBuffer ring, final int capacity) {
        this.ring = ring;
        this.capacity = capacity;
        this.mask = capacity - 1;
    }

    /**
     * Reads the consumer's position. The other process could be buggy or hostile, so a head that is not
     * within [old head, tail] or not aligned is corruption.
     */
    void refreshHead() {
        // volatile rather than acquire: this is also the re-check after writerWaiting(true)
        final long h = RingLayout.getVolatile(ring, HEAD_OFFSET);
        if (h < head || h > published || (h & (RingLayout.ALIGNMENT - 1)) != 0) {
            throw RingLayout.corrupt("consumer position " + h + " outside [" + head + ", " + published + "]", h);
        }
        head = h;
    }

    /** Payload bytes (at most {@code max}) that fit now, after {@link #refreshHead()}. */
    int measure(final int max) {
        return transfer(null, max, true);
    }

    /** Stages {@code count} bytes of {@code src} (which must fit, see {@link #measure}) and advances it. */
    void write(final ByteBuffer src, final int count) {
        transfer(src, count, false);
    }

    /** Stages an end-of-stream record if 8 bytes are free; false if not. */
    boolean writeEnd() {
        if (head + capacity - tail < RECORD_HEADER) {
            return false;
        }
        header((int) tail & mask, 0, TYPE_END);
        tail += RECORD_HEADER;
        return true;
    }

    private int transfer(final ByteBuffer src, final int count, final boolean dry) {
        final long limit = head + capacity;
        long t = tail;
        int done = 0;
        while (done < count) {
            final int index = (int) t & mask;
            final int toEnd = capacity - index;
            final long free = limit - t;
            if (toEnd < MIN_DATA_RECORD) {
                // only a header fits before the end: pad it, if something fits after the wrap
                if (free < toEnd + MIN_DATA_RECORD) {
                    break;
                }
                if (!dry) {
                    header(index, toEnd - RECORD_HEADER, TYPE_PAD);
                }
                t += toEnd;
                continue;
            }
            final long room = Math.min(free, toEnd);
            if (room < MIN_DATA_RECORD) {
                break;
            }
            final int chunk = (int) Math.min(Math.min(count - done, MAX_PAYLOAD), room - RECORD_HEADER);
            if (!dry) {
                header(index, chunk, TYPE_DATA);
                final int from = src.position() + done;
                ring.put(DATA_OFFSET + index + RECORD_HEADER, src, from, chunk);
            }
            t += RingLayout.align(RECORD_HEADER + chunk);
            done += chunk;
        }
        if (!dry) {
            tail = t;
            src.position(src.position() + done);
        }
        return done;
    }

    private void header(final int index, final int length, final int type) {
        ring.putInt(DATA_OFFSET + index, length);
        ring.putInt(DATA_OFFSET + index + 4, type);
    }

    /**
     * Makes the staged records visible. Returns true when the consumer was parked and this call took the
     * duty to wake it (exactly one wake-up per park). The volatile store orders the tail before the flag read:
     * with the consumer's "set flag, then re-read tail" at least one side sees the other.
     */
    boolean publish() {
        if (tail == published) {
            return false;
        }
        published = tail;
        RingLayout.setVolatile(ring, TAIL_OFFSET, tail);
        return RingLayout.getVolatile(ring, READER_WAITING_OFFSET) != 0
                && RingLayout.compareAndSet(ring, READER_WAITING_OFFSET, 1, 0);
    }

    /** True when at least one minimal record (or an end record) would fit, re-reading the consumer position. */
    boolean hasSpace() {
        refreshHead();
        return head + capacity - tail >= MIN_DATA_RECORD;
    }

    /** Free bytes after the last {@link #refreshHead()}. */
    long free() {
        return head + capacity - tail;
    }

    int capacity() {
        return capacity;
    }

    /** Announces (true) or withdraws (false) that this side waits for the consumer to free space. */
    void writerWaiting(final boolean waiting) {
        if (waiting) {
            RingLayout.setVolatile(ring, WRITER_WAITING_OFFSET, 1);
        } else {
            RingLayout.setRelease(ring, WRITER_WAITING_OFFSET, 0);
        }
    }

    /**
     * For tests: stages a record header with arbitrary (corrupt) values and {@code advance} bytes, as a buggy or
     * hostile producer would.
     */
    void stageRawForTest(final int length, final int type, final int advance) {
        header((int) tail & mask, length, type);
        tail += advance;
    }
}
