package org.eipc.runtime.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.eipc.spi.security.ReplayVerdict;
import org.junit.jupiter.api.Test;

/** The built-in window against the reference's sequence (vector replay-window-sequence, protocol §2.6). */
class ReplayWindowTest {
    @Test
    void followsTheReferenceSequence() {
        ReplayWindow w = new ReplayWindow(128);
        long[] seq = {1, 2, 3, 2, 5, 4, 200, 72, 71, 72, 0, 201, 1000, 873, 872};
        ReplayVerdict A = ReplayVerdict.ACCEPT;
        ReplayVerdict[] expected = {A, A, A, ReplayVerdict.DUPLICATE, A, A, A, A, ReplayVerdict.OUTSIDE_WINDOW,
                ReplayVerdict.DUPLICATE, ReplayVerdict.ZERO, A, A, A, A};
        for (int i = 0; i < seq.length; i++) {
            assertEquals(expected[i], w.check(seq[i]), "sequence " + seq[i]);
        }
        assertEquals(1000, w.highest());
    }

    @Test
    void treatsSequencesAsUnsigned() {
        ReplayWindow w = new ReplayWindow(128);
        assertEquals(ReplayVerdict.ACCEPT, w.check(Long.MAX_VALUE));
        assertEquals(ReplayVerdict.ACCEPT, w.check(-2L)); // 2^64 - 2, above 2^63 - 1
        assertEquals(ReplayVerdict.ACCEPT, w.check(-1L));
        assertEquals(ReplayVerdict.DUPLICATE, w.check(-2L));
        assertEquals(ReplayVerdict.OUTSIDE_WINDOW, w.check(Long.MAX_VALUE));
    }
}
