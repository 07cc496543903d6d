package org.eipc.security.replay.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;
import static org.eipc.spi.security.ReplayVerdict.ACCEPT;
import static org.eipc.spi.security.ReplayVerdict.DUPLICATE;
import static org.eipc.spi.security.ReplayVerdict.OUTSIDE_WINDOW;
import static org.eipc.spi.security.ReplayVerdict.ZERO;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;
import org.eipc.spi.security.ReplayGuard;
import org.eipc.spi.security.ReplayVerdict;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class BitmapReplayGuardTest {

    /**
     * The reference tracker, written as plainly as possible: a sorted set of the sequences seen, pruned to the
     * window when max advances. Unsigned order throughout.
     */
    static final class ModelGuard {
        private final long window;
        private final TreeSet<Long> seen = new TreeSet<>(Long::compareUnsigned);
        private long max;

        ModelGuard(long window) {
            this.window = window;
        }

        ReplayVerdict check(long seq) {
            if (seq == 0) {
                return ZERO;
            }
            if (Long.compareUnsigned(seq, max) > 0) {
                max = seq;
                if (Long.compareUnsigned(max, window) > 0) {
                    seen.headSet(max - window, false).clear();
                }
                seen.add(seq);
                return ACCEPT;
            }
            if (Long.compareUnsigned(max - seq, window) > 0) {
                return OUTSIDE_WINDOW;
            }
            return seen.add(seq) ? ACCEPT : DUPLICATE;
        }
    }

    private static ReplayGuard guard(int window) {
        return new BitmapReplayGuardProvider(window).newGuard();
    }

    @TestFactory
    List<DynamicTest> shouldGiveTheGoReferenceVerdicts() throws IOException {
        JsonNode root;
        try (InputStream in = getClass().getResourceAsStream("/vectors/eipc-go-replay.json")) {
            assertNotNull(in);
            root = new ObjectMapper().readTree(in);
        }
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode v : root.get("vectors")) {
            tests.add(dynamicTest(v.get("id").asText(), () -> {
                ReplayGuard g = guard(BitmapReplayGuardProvider.DEFAULT_WINDOW);
                JsonNode seqs = v.get("sequences");
                JsonNode results = v.get("server_results");
                assertEquals(seqs.size(), results.size());
                for (int i = 0; i < seqs.size(); i++) {
                    long seq = seqs.get(i).asLong();
                    boolean ok = "ok".equals(results.get(i).asText());
                    ReplayVerdict verdict = g.check(seq);
                    assertEquals(ok, verdict == ACCEPT, "frame " + i + " seq " + seq + " got " + verdict);
                }
            }));
        }
        assertEquals(2, tests.size());
        return tests;
    }

    @Test
    void shouldGiveSpecificVerdictsForTheWindowSequence() {
        ReplayGuard g = guard(128);
        long[] seqs = {1, 2, 3, 2, 5, 4, 200, 72, 71, 72, 0, 201, 1000, 873, 872};
        ReplayVerdict[] expected = {ACCEPT, ACCEPT, ACCEPT, DUPLICATE, ACCEPT, ACCEPT, ACCEPT, ACCEPT,
            OUTSIDE_WINDOW, DUPLICATE, ZERO, ACCEPT, ACCEPT, ACCEPT, ACCEPT};
        for (int i = 0; i < seqs.length; i++) {
            assertEquals(expected[i], g.check(seqs[i]), "seq " + seqs[i]);
        }
        assertEquals(1000, g.highest());
        assertEquals(OUTSIDE_WINDOW, g.check(871));
        assertEquals(DUPLICATE, g.check(1000));
    }

    @Test
    void shouldTreatSequencesAsUnsignedUpTo2To64Minus1() {
        ReplayGuard g = guard(128);
        assertEquals(ACCEPT, g.check(5));
        assertEquals(ACCEPT, g.check(Long.MAX_VALUE)); // 2^63-1
        assertEquals(ACCEPT, g.check(Long.MIN_VALUE)); // 2^63: newer, not negative
        assertEquals(ACCEPT, g.check(-1L)); // 2^64-1
        assertEquals(-1L, g.highest());
        assertEquals(DUPLICATE, g.check(-1L));
        assertEquals(ACCEPT, g.check(-1L - 128)); // exactly window behind
        assertEquals(OUTSIDE_WINDOW, g.check(-1L - 129));
        assertEquals(OUTSIDE_WINDOW, g.check(5));
        assertEquals(OUTSIDE_WINDOW, g.check(Long.MIN_VALUE));
        assertEquals(ACCEPT, g.check(-2L));
        assertEquals(DUPLICATE, g.check(-2L));
        assertEquals(ZERO, g.check(0));
    }

    @Test
    void shouldStartEmptyAndAcceptAVeryLargeFirstSequence() {
        ReplayGuard g = guard(128);
        assertEquals(0, g.highest());
        assertEquals(ACCEPT, g.check(-100L));
        assertEquals(ACCEPT, g.check(-200L));
        assertEquals(DUPLICATE, g.check(-200L));
    }

    @Test
    void shouldClearTheBitmapOnJumpsLargerThanTheWindow() {
        for (int window : new int[] {16, 100, 128, 4096}) {
            ReplayGuard g = guard(window);
            for (long s = 1; s <= window + 1; s++) {
                assertEquals(ACCEPT, g.check(s));
            }
            // every jump size around the bitmap size: nothing recorded before may show up as a duplicate
            long base = window + 1;
            for (long jump : new long[] {window - 1, window, window + 1, 2L * window, 2L * window + 1, 1L << 20}) {
                long top = base + jump;
                assertEquals(ACCEPT, g.check(top), "window " + window + " jump " + jump);
                for (long s = top - 1; s >= top - window && s > base; s--) {
                    assertEquals(ACCEPT, g.check(s), "window " + window + " jump " + jump + " seq " + s);
                }
                // every sequence inside the window has now been accepted once (this round or an earlier one)
                for (long s = top; s >= top - window; s--) {
                    assertEquals(DUPLICATE, g.check(s), "window " + window + " jump " + jump + " seq " + s);
                }
                assertEquals(OUTSIDE_WINDOW, g.check(top - window - 1));
                base = top;
            }
        }
    }

    @Test
    void shouldKeepOldBitsForTheWholeWindowOnSmallSteps() {
        ReplayGuard g = guard(16);
        for (long s = 1; s <= 1000; s++) {
            assertEquals(ACCEPT, g.check(s));
            for (long back = 0; back <= 16 && s - back > 0; back++) {
                assertEquals(DUPLICATE, g.check(s - back), "max " + s + " back " + back);
            }
            if (s > 17) {
                assertEquals(OUTSIDE_WINDOW, g.check(s - 17));
            }
        }
    }

    @TestFactory
    List<DynamicTest> shouldAgreeWithTheReferenceModelOnRandomSequences() {
        List<DynamicTest> tests = new ArrayList<>();
        int[] windows = {16, 17, 100, 128, 1000, 65536};
        for (int window : windows) {
            for (long seed = 1; seed <= 4; seed++) {
                final long s = seed;
                tests.add(dynamicTest("window " + window + " seed " + seed, () -> compareWithModel(window, s)));
            }
        }
        return tests;
    }

    private static void compareWithModel(int window, long seed) {
        Random random = new Random(seed * 7919 + window);
        ReplayGuard g = guard(window);
        ModelGuard model = new ModelGuard(window);
        // start near 0 for some seeds and near 2^64 for others so unsigned wrap regions are exercised
        long cursor = seed % 2 == 0 ? 1 : -50_000L;
        for (int i = 0; i < 20_000; i++) {
            long seq;
            int kind = random.nextInt(100);
            if (kind < 50) {
                seq = cursor + random.nextInt(4); // mostly in order
            } else if (kind < 80) {
                seq = cursor - random.nextInt(window + 10); // late, around the window edge
            } else if (kind < 95) {
                seq = cursor - random.nextInt(3 * window + 3); // older
            } else if (kind < 99) {
                seq = cursor + 1 + random.nextInt(3 * window); // jump ahead
            } else {
                seq = random.nextInt(10) == 0 ? 0 : cursor + random.nextInt(200_000); // zero or big jump
            }
            ReplayVerdict expected = model.check(seq);
            assertEquals(expected, g.check(seq), "step " + i + " seq " + Long.toUnsignedString(seq));
            assertEquals(model.max, g.highest());
            if (Long.compareUnsigned(seq, cursor) > 0 && expected == ACCEPT) {
                cursor = seq;
            }
        }
    }

    @Test
    void shouldRejectWindowsOutOfBounds() {
        for (int w : new int[] {0, 15, 65537, -1}) {
            IpcException e = assertThrows(IpcException.class, () -> new BitmapReplayGuardProvider(w));
            assertEquals(ErrorCode.CONFIG_INVALID, e.code());
        }
        assertEquals(16, new BitmapReplayGuardProvider(16).window());
        assertEquals(65536, new BitmapReplayGuardProvider(65536).window());
    }

    @Test
    void shouldGiveIndependentGuards() {
        BitmapReplayGuardProvider p = new BitmapReplayGuardProvider(128);
        ReplayGuard a = p.newGuard();
        ReplayGuard b = p.newGuard();
        assertEquals(ACCEPT, a.check(1));
        assertEquals(ACCEPT, b.check(1));
        assertEquals(DUPLICATE, a.check(1));
    }
}
