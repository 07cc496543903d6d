package org.eipc.transport.nats.impl;

/**
 * The 25-byte header in front of every NATS message payload this transport publishes (big-endian).
 *
 * <pre>
 *  0        1                         9                         17                        25
 * +--------+-------------------------+-------------------------+-------------------------+-----------
 * |  kind  |   seq (u64)             |   ackSeq (u64)          |   ackBytes (u64)        | payload ...
 * +--------+-------------------------+-------------------------+-------------------------+-----------
 * </pre>
 *
 * <ul>
 * <li>{@link #DATA}, {@link #FIN} and {@link #CLOSE} are sequenced: {@code seq} is 1, 2, 3, ... per direction,
 * and a receiver accepts exactly the next one. Anything else means NATS lost (or someone injected) a message,
 * and the connection closes.</li>
 * <li>{@link #ACK} is not sequenced; its {@code seq} is the sender's last sequenced packet, so a receiver that
 * has seen less knows that the tail was lost. It doubles as the heartbeat.</li>
 * <li>Every packet carries the sender's receive state: {@code ackSeq} (last in-order packet received) and
 * {@code ackBytes} (stream bytes its handler consumed, the credit).</li>
 * <li>{@link #OPEN}/{@link #ACCEPT}/{@link #REFUSE}/{@link #PROBE} are the connect request and replies:
 * {@code seq} carries the sender's window in bytes, the payload a subject token.</li>
 * </ul>
 */
final class Packet {
    static final int KIND_OFFSET = 0;
    static final int SEQ_OFFSET = 1;
    static final int ACK_SEQ_OFFSET = 9;
    static final int ACK_BYTES_OFFSET = 17;
    static final int HEADER_LENGTH = 25;

    static final byte DATA = 'd';
    static final byte FIN = 'f';
    static final byte CLOSE = 'c';
    static final byte ACK = 'a';
    static final byte RST = 'r';
    static final byte OPEN = 'o';
    static final byte ACCEPT = 'k';
    static final byte REFUSE = 'x';
    static final byte PROBE = 'p';

    private Packet() {
    }

    /** A new array of header plus {@code payloadLength} bytes, with the header filled in. */
    static byte[] allocate(byte kind, long seq, long ackSeq, long ackBytes, int payloadLength) {
        if (payloadLength < 0 || payloadLength > Integer.MAX_VALUE - HEADER_LENGTH) {
            throw new IllegalArgumentException("payloadLength=" + payloadLength);
        }
        byte[] b = new byte[HEADER_LENGTH + payloadLength];
        b[KIND_OFFSET] = kind;
        putLong(b, SEQ_OFFSET, seq);
        putLong(b, ACK_SEQ_OFFSET, ackSeq);
        putLong(b, ACK_BYTES_OFFSET, ackBytes);
        return b;
    }

    static boolean isValid(byte[] b) {
        return b != null && b.length >= HEADER_LENGTH;
    }

    static byte kind(byte[] b) {
        return b[KIND_OFFSET];
    }

    static long seq(byte[] b) {
        return getLong(b, SEQ_OFFSET);
    }

    static long ackSeq(byte[] b) {
        return getLong(b, ACK_SEQ_OFFSET);
    }

    static long ackBytes(byte[] b) {
        return getLong(b, ACK_BYTES_OFFSET);
    }

    static int payloadLength(byte[] b) {
        return b.length - HEADER_LENGTH;
    }

    private static void putLong(byte[] b, int off, long v) {
        for (int i = 7; i >= 0; i--) {
            b[off + i] = (byte) v;
            v >>>= 8;
        }
    }

    private static long getLong(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[off + i] & 0xFF);
        }
        return v;
    }
}
