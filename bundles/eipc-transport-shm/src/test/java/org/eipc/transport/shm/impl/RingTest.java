package org.eipc.transport.shm.impl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;
import org.junit.jupiter.api.Test;

/** The ring on its own, in one direct buffer: wrap-around, padding, end of stream and corrupt input. */
class RingTest {
    private static final int CAPACITY = 4096;

    private static ByteBuffer newRing() {
        final ByteBuffer b = ByteBuffer.allocateDirect((int) RingLayout.fileSize(CAPACITY)).order(ByteOrder.nativeOrder());
        RingLayout.initialise(b, CAPACITY);
        return b;
    }

    @Test
    void shouldCarryBytesInOrderAcrossManyWrapArounds() {
        final ByteBuffer ring = newRing();
        RingLayout.verify(ring, CAPACITY);
        final RingProducer p = new RingProducer(ring, CAPACITY);
        final RingConsumer c = new RingConsumer(ring, CAPACITY);
        final Random random = new Random(42);
        final ByteArrayOutputStream sent = new ByteArrayOutputStream();
        final ByteArrayOutputStream got = new ByteArrayOutputStream();
        final ByteBuffer dst = ByteBuffer.allocate(777); // odd size: records get split on the way out
        for (int round = 0; round < 5000; round++) {
            final byte[] msg = new byte[1 + random.nextInt(1500)];
            random.nextBytes(msg);
            final ByteBuffer src = ByteBuffer.wrap(msg);
            while (src.hasRemaining()) {
                p.refreshHead();
                final int fit = p.measure(src.remaining());
                p.write(src, fit);
                p.publish();
                sent.write(msg, src.position() - fit, fit);
                drain(c, dst, got);
            }
        }
        drain(c, dst, got);
        assertArrayEquals(sent.toByteArray(), got.toByteArray());
    }

    private static void drain(final RingConsumer c, final ByteBuffer dst, final ByteArrayOutputStream got) {
        int n;
        do {
            dst.clear();
            n = c.read(dst);
            got.write(dst.array(), 0, n);
        } while (n > 0);
    }

    @Test
    void shouldRefuseWhatDoesNotFitAndAcceptItOnceConsumed() {
        final ByteBuffer ring = newRing();
        final RingProducer p = new RingProducer(ring, CAPACITY);
        final RingConsumer c = new RingConsumer(ring, CAPACITY);
        p.refreshHead();
        final int fit = p.measure(10_000);
        assertEquals(CAPACITY - RingLayout.RECORD_HEADER, fit);
        p.write(ByteBuffer.allocate(fit), fit);
        p.publish();
        p.refreshHead();
        assertEquals(0, p.measure(1));
        assertFalse(p.hasSpace());
        c.read(ByteBuffer.allocate(CAPACITY));
        assertTrue(p.hasSpace());
    }

    @Test
    void shouldDeliverEndOfStreamAfterTheData() {
        final ByteBuffer ring = newRing();
        final RingProducer p = new RingProducer(ring, CAPACITY);
        final RingConsumer c = new RingConsumer(ring, CAPACITY);
        p.refreshHead();
        p.write(ByteBuffer.wrap(new byte[] {1, 2, 3}), 3);
        assertTrue(p.writeEnd());
        p.publish();
        final ByteBuffer dst = ByteBuffer.allocate(16);
        assertEquals(3, c.read(dst));
        assertTrue(c.endSeen());
        assertEquals(0, c.read(dst));
    }

    @Test
    void shouldWakeTheParkedConsumerExactlyOnce() {
        final ByteBuffer ring = newRing();
        final RingProducer p = new RingProducer(ring, CAPACITY);
        final RingConsumer c = new RingConsumer(ring, CAPACITY);
        c.readerWaiting(true);
        p.refreshHead();
        p.write(ByteBuffer.wrap(new byte[] {1}), 1);
        assertTrue(p.publish());
        p.write(ByteBuffer.wrap(new byte[] {2}), 1);
        assertFalse(p.publish()); // the flag was taken by the first publish
    }

    @Test
    void shouldRejectARecordLengthBeyondTheLimit() {
        assertCorrupt(Integer.MAX_VALUE, RingLayout.TYPE_DATA, 16, "record length");
        assertCorrupt(-5, RingLayout.TYPE_DATA, 16, "record length");
        assertCorrupt(0, RingLayout.TYPE_DATA, 16, "record length");
    }

    @Test
    void shouldRejectARecordCrossingThePublishedData() {
        assertCorrupt(100, RingLayout.TYPE_DATA, 16, "crosses");
    }

    @Test
    void shouldRejectUnknownTypesAndBadPaddingAndBadEnd() {
        assertCorrupt(8, 99, 16, "unknown record type");
        assertCorrupt(8, RingLayout.TYPE_PAD, 16, "padding");
        assertCorrupt(8, RingLayout.TYPE_END, 16, "end-of-stream");
    }

    @Test
    void shouldRejectAProducerPositionBeyondTheCapacity() {
        final ByteBuffer ring = newRing();
        RingLayout.setRelease(ring, RingLayout.TAIL_OFFSET, CAPACITY + 8);
        final IpcException e = assertThrows(IpcException.class,
                () -> new RingConsumer(ring, CAPACITY).read(ByteBuffer.allocate(64)));
        assertEquals(ErrorCode.PROTOCOL_VIOLATION, e.code());
        RingLayout.setRelease(ring, RingLayout.TAIL_OFFSET, 3);
        assertThrows(IpcException.class, () -> new RingConsumer(ring, CAPACITY).read(ByteBuffer.allocate(64)));
    }

    @Test
    void shouldRejectAConsumerPositionBeyondTheProducer() {
        final ByteBuffer ring = newRing();
        final RingProducer p = new RingProducer(ring, CAPACITY);
        RingLayout.setRelease(ring, RingLayout.HEAD_OFFSET, 64);
        final IpcException e = assertThrows(IpcException.class, p::refreshHead);
        assertEquals(ErrorCode.PROTOCOL_VIOLATION, e.code());
    }

    @Test
    void shouldRefuseAForeignRingHeader() {
        final ByteBuffer ring = newRing();
        assertThrows(IpcException.class, () -> RingLayout.verify(ring, CAPACITY * 2));
        ring.putLong(0, 0);
        assertThrows(IpcException.class, () -> RingLayout.verify(ring, CAPACITY));
    }

    private static void assertCorrupt(final int length, final int type, final int advance, final String message) {
        final ByteBuffer ring = newRing();
        final RingProducer p = new RingProducer(ring, CAPACITY);
        p.stageRawForTest(length, type, advance);
        p.publish();
        final IpcException e = assertThrows(IpcException.class,
                () -> new RingConsumer(ring, CAPACITY).read(ByteBuffer.allocate(64)));
        assertEquals(ErrorCode.PROTOCOL_VIOLATION, e.code());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }
}
