package org.eipc.service.policy.impl;

import java.util.OptionalInt;

/** Numeric ids (Unix uid or gid) as inclusive ranges: {@code 1000}, {@code 1000-1999}, {@code 0,1000-1010}. */
final class IdRanges {
    private final int[] lo;
    private final int[] hi;

    IdRanges(int[] lo, int[] hi) {
        this.lo = lo;
        this.hi = hi;
    }

    /** False when the transport could not tell the id: a rule naming ids never matches an unknown peer process. */
    boolean matches(final OptionalInt id) {
        if (id.isEmpty()) {
            return false;
        }
        final int v = id.getAsInt();
        for (int i = 0; i < lo.length; i++) {
            if (v >= lo[i] && v <= hi[i]) {
                return true;
            }
        }
        return false;
    }
}
