package org.eipc.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TimestampsTest {
    private static final Instant T = Instant.parse("2026-01-02T03:04:05.123456789Z");

    @Test
    void formatsLikeGoRfc3339Nano() {
        assertEquals("2026-01-02T03:04:05.123456789Z", Timestamps.format(T, ZoneOffset.UTC));
        assertEquals("2026-01-02T03:04:05Z", Timestamps.format(Instant.parse("2026-01-02T03:04:05Z")));
        assertEquals("2026-01-02T03:04:05.1Z", Timestamps.format(Instant.parse("2026-01-02T03:04:05.100Z")));
        assertEquals("2026-01-02T03:04:05.000000001Z",
                Timestamps.format(Instant.parse("2026-01-02T03:04:05.000000001Z")));
        // the vector header-timestamp-offset: 02:04:05.12 UTC seen from +01:00
        assertEquals("2026-01-02T03:04:05.12+01:00",
                Timestamps.format(Instant.parse("2026-01-02T02:04:05.120Z"), ZoneOffset.ofHours(1)));
        assertEquals("2026-01-01T21:34:05-05:30",
                Timestamps.format(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.ofHoursMinutes(-5, -30)));
        assertEquals("0001-01-01T00:00:00Z", Timestamps.format(Instant.parse("0001-01-01T00:00:00Z")));
        // beyond four year digits and before year 0: as java.time spells the year (the widest field)
        assertEquals("12345-01-02T03:04:05.06Z", Timestamps.format(Instant.parse("+12345-01-02T03:04:05.06Z")));
        assertEquals("-12345-01-02T03:04:05Z", Timestamps.format(Instant.parse("-12345-01-02T03:04:05Z")));
        assertEquals("-0001-12-31T23:59:59.5-00:30", Timestamps.format(Instant.parse("0000-01-01T00:29:59.5Z"),
                ZoneOffset.ofHoursMinutes(0, -30)));
    }

    @Test
    void parsesWhatItFormats() {
        assertEquals(T, Timestamps.parse("2026-01-02T03:04:05.123456789Z"));
        assertEquals(Instant.parse("2026-01-02T02:04:05.12Z"), Timestamps.parse("2026-01-02T03:04:05.12+01:00"));
        assertEquals(Instant.parse("0001-01-01T00:00:00Z"), Timestamps.parse("0001-01-01T00:00:00Z"));
        assertEquals(OffsetDateTime.parse("2026-01-01T21:34:05-05:30").toInstant(),
                Timestamps.parse("2026-01-01T21:34:05-05:30"));
        // Go accepts more than nine fraction digits and truncates them
        assertEquals(T, Timestamps.parse("2026-01-02T03:04:05.1234567899Z"));
        assertEquals(Instant.parse("2024-02-29T00:00:00Z"), Timestamps.parse("2024-02-29T00:00:00Z"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1700000000", "2026-01-02", "2026-01-02T03:04:05", "2026-01-02T03:04:05z",
        "2026-01-02t03:04:05Z", "2026-02-30T00:00:00Z", "2025-02-29T00:00:00Z", "2026-13-01T00:00:00Z",
        "2026-01-02T24:00:00Z", "2026-01-02T03:60:00Z", "2026-01-02T03:04:60Z", "2026-01-02T03:04:05.Z",
        "2026-01-02T03:04:05+0100", "2026-01-02T03:04:05+24:00", "2026-01-02T03:04:05Z ", "2026-01-02T03:04:05.1+01:60",
        "+026-01-02T03:04:05Z"})
    void returnsNullWhereGoFails(String s) {
        assertNull(Timestamps.parse(s), s);
    }

    @Test
    void roundTripsManyInstants() {
        java.util.Random r = new java.util.Random(42);
        for (int i = 0; i < 2000; i++) {
            Instant t = Instant.ofEpochSecond(r.nextInt(Integer.MAX_VALUE) * 3L - 4_000_000_000L, r.nextInt(1_000_000_000));
            ZoneOffset z = ZoneOffset.ofTotalSeconds((r.nextInt(24 * 4) - 48) * 15 * 60);
            String s = Timestamps.format(t, z);
            assertEquals(t, Timestamps.parse(s), s);
            assertEquals(OffsetDateTime.parse(s).toInstant(), t);
        }
    }
}
