package org.eipc.transport.shm.impl;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OverflowRingTest {
    private static final int CAPACITY = 4096;

    private final ByteBuffer ringMemory = ByteBuffer.allocateDirect((int) RingLayout.fileSize(CAPACITY))
            .order(ByteOrder.nativeOrder());
    private final RingProducer producer = new RingProducer(ringMemory, CAPACITY);
    private final RingConsumer consumer = new RingConsumer(ringMemory, CAPACITY);

    @Test
    void shouldKeepOrderAcrossWrapAroundAndGrowth() {
        final OverflowRing overflow = new OverflowRing(300_000);
        final ByteArrayOutputStream expected = new ByteArrayOutputStream();
        final ByteArrayOutputStream got = new ByteArrayOutputStream();
        int next = 0;
        for (int round = 0; round < 200; round++) {
            final byte[] chunk = new byte[1 + (round * 7919) % 5000];
            for (int i = 0; i < chunk.length; i++) {
                chunk[i] = (byte) next++;
            }
            if (chunk.length <= overflow.room()) {
                final ByteBuffer src = ByteBuffer.wrap(chunk);
                overflow.append(src);
                assertEquals(0, src.remaining());
                expected.writeBytes(chunk);
            }
            if (round % 3 == 0) {
                moveThroughRing(overflow, got);
            }
        }
        while (!overflow.isEmpty()) {
            moveThroughRing(overflow, got);
        }
        assertArrayEquals(expected.toByteArray(), got.toByteArray());
    }

    @Test
    void shouldGrowOnlyAsFarAsNeededAndNeverBeyondTheLimit() {
        final OverflowRing overflow = new OverflowRing(200_000);
        overflow.append(ByteBuffer.allocate(100));
        assertEquals(64 * 1024, overflow.capacity());
        overflow.append(ByteBuffer.allocate(100_000));
        assertEquals(131_072, overflow.capacity());
        overflow.append(ByteBuffer.allocate(99_900));
        assertEquals(200_000, overflow.capacity());
        assertEquals(0, overflow.room());
        assertThrows(IllegalArgumentException.class, () -> overflow.append(ByteBuffer.allocate(1)));
    }

    @Test
    void shouldReleaseItsArrayOnlyWhenEmpty() {
        final OverflowRing overflow = new OverflowRing(1 << 20);
        overflow.append(ByteBuffer.allocate(10));
        overflow.release();
        assertTrue(overflow.capacity() > 0);
        overflow.clear();
        overflow.release();
        assertEquals(0, overflow.capacity());
        overflow.append(ByteBuffer.allocate(10));
        assertEquals(10, overflow.size());
    }

    /** Drains what fits into the shared ring, then reads the ring empty (as the peer would). */
    private void moveThroughRing(final OverflowRing overflow, final ByteArrayOutputStream got) {
        producer.refreshHead();
        overflow.drainTo(producer);
        producer.publish();
        final ByteBuffer dst = ByteBuffer.allocate(CAPACITY * 2);
        consumer.read(dst);
        got.write(dst.array(), 0, dst.position());
    }
}
