package org.eipc.service.policy.impl;

/** A set of message type bytes as a 256-bit mask. */
final class TypeMask {
    private final long[] bits = new long[4];

    void add(int typeByte) {
        final int b = typeByte & 0xff;
        bits[b >>> 6] |= 1L << (b & 63);
    }

    boolean contains(final byte typeByte) {
        final int b = typeByte & 0xff;
        return (bits[b >>> 6] & (1L << (b & 63))) != 0;
    }
}
