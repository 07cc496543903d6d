package org.eipc.transport.shm.impl;

import java.nio.ByteBuffer;

/**
 * The bytes accepted by offers that did not fit into the shared ring yet: a FIFO byte ring on the heap, bounded
 * by the write-queue limit. Not thread-safe: the write queue's lock guards it.
 *
 * <p>It replaces a queue of one heap copy per offer: the array is allocated on the first overflow, grows by
 * doubling up to the limit (so a connection that overflows a little never holds the whole limit) and is then
 * reused for every later overflow, so a sender that keeps the shared ring full allocates nothing per offer. When
 * it runs empty its positions go back to 0, so a shallow queue keeps touching the same (cached) bytes.
 * {@link #release()} gives the array back when the connection goes idle.
 */
final class OverflowRing {
    private static final int MIN_CAPACITY = 64 * 1024;

    private final int limit;
    private byte[] bytes;
    /** A view of {@link #bytes} handed to the ring producer; its position and limit frame one contiguous part. */
    private ByteBuffer view;
    private int head;
    private int size;

    /** @param limit the most bytes it ever holds (the write-queue limit), at least 1 */
    OverflowRing(final int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit=" + limit);
        }
        this.limit = limit;
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return 0 == size;
    }

    /** Bytes it can still take. */
    int room() {
        return limit - size;
    }

    /**
     * Copies all remaining bytes of {@code src} in and advances it.
     *
     * @throws IllegalArgumentException when they exceed {@link #room()} (the caller checks first)
     */
    void append(final ByteBuffer src) {
        final int n = src.remaining();
        if (n > room()) {
            throw new IllegalArgumentException("bytes=" + n + " room=" + room());
        }
        ensureCapacity(size + n);
        final int capacity = bytes.length;
        int tail = head + size;
        if (tail >= capacity) {
            tail -= capacity;
        }
        final int first = Math.min(n, capacity - tail);
        src.get(bytes, tail, first);
        if (first < n) {
            src.get(bytes, 0, n - first);
        }
        size += n;
    }

    /** Moves as many bytes as the shared ring takes now (after its {@code refreshHead}); returns the count. */
    int drainTo(final RingProducer producer) {
        int moved = 0;
        while (size > 0) {
            final int contiguous = Math.min(size, bytes.length - head);
            final int fit = producer.measure(contiguous);
            if (0 == fit) {
                break;
            }
            view.limit(head + contiguous).position(head);
            producer.write(view, fit);
            moved += fit;
            size -= fit;
            head += fit;
            if (head == bytes.length || 0 == size) {
                head = 0;
            }
        }
        return moved;
    }

    /** Drops the bytes, keeps the array. */
    void clear() {
        head = 0;
        size = 0;
    }

    /** Gives the array back to the heap if nothing is queued (an idle connection keeps no overflow memory). */
    void release() {
        if (0 == size) {
            bytes = null;
            view = null;
            head = 0;
        }
    }

    /** For tests: the bytes of heap it holds now. */
    int capacity() {
        return bytes == null ? 0 : bytes.length;
    }

    private void ensureCapacity(final int needed) {
        final int capacity = bytes == null ? 0 : bytes.length;
        if (needed <= capacity) {
            return;
        }
        int grown = Math.max(MIN_CAPACITY, capacity);
        while (grown < needed && grown < limit) {
            grown = (int) Math.min(limit, 2L * grown);
        }
        grown = Math.max(Math.min(grown, limit), needed);
        final byte[] larger = new byte[grown];
        if (size > 0) {
            final int first = Math.min(size, capacity - head);
            System.arraycopy(bytes, head, larger, 0, first);
            System.arraycopy(bytes, 0, larger, first, size - first);
        }
        bytes = larger;
        view = ByteBuffer.wrap(larger);
        head = 0;
    }
}
