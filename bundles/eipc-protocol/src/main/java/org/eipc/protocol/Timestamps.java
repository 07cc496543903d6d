package org.eipc.protocol;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * The header timestamp in Go's {@code time.RFC3339Nano} spelling, e.g. {@code 2026-01-02T03:04:05.123456789Z}
 * or {@code 2026-01-02T03:04:05.12+01:00}.
 */
public final class Timestamps {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    /** The longest spelling: sign, a ten-digit year, the fraction and an offset. */
    private static final int MAX_LENGTH = 48;

    private Timestamps() {
    }

    /**
     * Formats like Go's {@code t.In(zone).Format(time.RFC3339Nano)}: trailing zeros of the fraction are trimmed
     * (no fraction at all when it is zero), {@code Z} for a zero offset, else {@code +hh:mm}.
     */
    public static String format(Instant t, ZoneOffset zone) {
        Objects.requireNonNull(t, "t");
        Objects.requireNonNull(zone, "zone");
        int offsetSeconds = zone.getTotalSeconds();
        long local = t.getEpochSecond() + offsetSeconds;
        long day = Math.floorDiv(local, 86_400L);
        int secOfDay = (int) Math.floorMod(local, 86_400L);
        LocalDate date = LocalDate.ofEpochDay(day);
        // written as Latin-1 bytes: one array and the String, no per-field strings (this runs for every frame sent)
        byte[] b = new byte[MAX_LENGTH];
        int p = 0;
        int year = date.getYear();
        if (year < 0) {
            b[p++] = '-';
            year = -year;
        }
        p = digits(b, p, year, 4);
        b[p++] = '-';
        p = digits(b, p, date.getMonthValue(), 2);
        b[p++] = '-';
        p = digits(b, p, date.getDayOfMonth(), 2);
        b[p++] = 'T';
        p = digits(b, p, secOfDay / 3600, 2);
        b[p++] = ':';
        p = digits(b, p, secOfDay / 60 % 60, 2);
        b[p++] = ':';
        p = digits(b, p, secOfDay % 60, 2);
        int nanos = t.getNano();
        if (nanos != 0) {
            int width = 9;
            while (nanos % 10 == 0) {
                nanos /= 10;
                width--;
            }
            b[p++] = '.';
            p = digits(b, p, nanos, width);
        }
        if (offsetSeconds == 0) {
            b[p++] = 'Z';
        } else {
            int abs = Math.abs(offsetSeconds);
            b[p++] = (byte) (offsetSeconds < 0 ? '-' : '+');
            p = digits(b, p, abs / 3600, 2);
            b[p++] = ':';
            p = digits(b, p, abs / 60 % 60, 2);
        }
        return new String(b, 0, p, StandardCharsets.ISO_8859_1);
    }

    /** Formats in UTC: {@code format(t, ZoneOffset.UTC)}. */
    public static String format(Instant t) {
        return format(t, ZoneOffset.UTC);
    }

    /**
     * Parses like Go's {@code time.Parse(time.RFC3339Nano, s)}. Returns {@code null} where Go fails (the
     * reference then silently uses the zero time). Accepts any number of fraction digits (beyond nine they are
     * truncated, as in Go), {@code Z} or {@code ±hh:mm}.
     */
    public static Instant parse(String s) {
        if (s == null) {
            return null;
        }
        int n = s.length();
        if (n < 20 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':'
                || s.charAt(16) != ':') {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int dayOfMonth = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        if (year < 0 || month < 1 || month > 12 || dayOfMonth < 1 || hour < 0 || hour > 23 || minute < 0
                || minute > 59 || second < 0 || second > 59) {
            return null;
        }
        int i = 19;
        long nanos = 0;
        if (i < n && (s.charAt(i) == '.' || s.charAt(i) == ',')) {
            int start = ++i;
            while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                if (i - start < 9) {
                    nanos = nanos * 10 + (s.charAt(i) - '0');
                }
                i++;
            }
            int count = i - start;
            if (count == 0) {
                return null;
            }
            for (int k = count; k < 9; k++) {
                nanos *= 10;
            }
        }
        if (i >= n) {
            return null;
        }
        int offsetSeconds;
        char z = s.charAt(i);
        if (z == 'Z') {
            if (i + 1 != n) {
                return null;
            }
            offsetSeconds = 0;
        } else if (z == '+' || z == '-') {
            if (n - i != 6 || s.charAt(i + 3) != ':') {
                return null;
            }
            int oh = digits(s, i + 1, 2);
            int om = digits(s, i + 4, 2);
            if (oh < 0 || oh > 23 || om < 0 || om > 59) {
                return null;
            }
            offsetSeconds = (oh * 3600 + om * 60) * (z == '-' ? -1 : 1);
        } else {
            return null;
        }
        LocalDate date;
        try {
            date = LocalDate.of(year, month, dayOfMonth);
        } catch (DateTimeException e) {
            return null; // day out of range for the month, as Go reports
        }
        long epochSecond = date.toEpochDay() * 86_400L + hour * 3600L + minute * 60L + second - offsetSeconds;
        return Instant.ofEpochSecond(epochSecond, nanos % NANOS_PER_SECOND);
    }

    private static int digits(String s, int from, int count) {
        int v = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /** Writes {@code value} (not negative) in decimal at {@code p}, zero-padded to {@code width}; returns the end. */
    private static int digits(byte[] b, int p, int value, int width) {
        int n = 1;
        for (int v = value / 10; v != 0; v /= 10) {
            n++;
        }
        for (int i = n; i < width; i++) {
            b[p++] = '0';
        }
        int end = p + n;
        int v = value;
        for (int i = end - 1; i >= p; i--) {
            b[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        return end;
    }
}
