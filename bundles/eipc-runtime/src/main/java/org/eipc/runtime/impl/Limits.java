package org.eipc.runtime.impl;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;
import org.eipc.api.Message;
import org.eipc.api.MessageType;

/**
 * Per-peer quotas and per-channel latency budgets: parsing of their configuration entries, matching, and the token
 * bucket that enforces a rate.
 *
 * <p>Patterns are globs: {@code *} matches any run of characters, everything else matches itself. The first entry
 * whose pattern matches wins. A peer is matched by its authenticated service id; a channel is a message's
 * {@code route}, or its type's wire name (e.g. {@code intent}) when the route is empty.
 */
final class Limits {
    private Limits() {
    }

    /** What one peer may send: messages and bytes per second (0 = unlimited) and queued messages. */
    static final class Quota {
        final String peerPattern;
        final long messagesPerSecond;
        final long bytesPerSecond;
        final int queueDepth;

        Quota(String peerPattern, long messagesPerSecond, long bytesPerSecond, int queueDepth) {
            if (messagesPerSecond < 0 || bytesPerSecond < 0 || queueDepth < 0) {
                throw new IpcException(ErrorCode.CONFIG_INVALID, "quota for '" + peerPattern + "' has a negative value");
            }
            this.peerPattern = peerPattern;
            this.messagesPerSecond = messagesPerSecond;
            this.bytesPerSecond = bytesPerSecond;
            this.queueDepth = queueDepth;
        }

        @Override
        public String toString() {
            return peerPattern + "=" + messagesPerSecond + "msg/s," + bytesPerSecond + "B/s," + queueDepth;
        }
    }

    /** How long a message of a channel may take from send() to the receiver's handler. */
    static final class Budget {
        final String channelPattern;
        final long nanos;

        Budget(String channelPattern, Duration budget) {
            if (budget.isNegative() || budget.isZero()) {
                throw new IpcException(ErrorCode.CONFIG_INVALID, "budget for '" + channelPattern + "' must be positive");
            }
            this.channelPattern = channelPattern;
            this.nanos = budget.toNanos();
        }
    }

    /** Parses {@code pattern=msgsPerSecond,bytesPerSecond,queueDepth} (0 = unlimited). */
    static List<Quota> quotas(String[] entries) {
        List<Quota> out = new ArrayList<>();
        for (String e : entries == null ? new String[0] : entries) {
            String[] kv = split(e, "quota");
            String[] v = kv[1].split(",", -1);
            if (v.length != 3) {
                throw new IpcException(ErrorCode.CONFIG_INVALID,
                        "quota '" + e + "' is not pattern=messagesPerSecond,bytesPerSecond,queueDepth");
            }
            out.add(new Quota(kv[0], number(v[0], e), number(v[1], e), (int) Math.min(Integer.MAX_VALUE, number(v[2], e))));
        }
        return out;
    }

    /** Parses {@code pattern=milliseconds}. */
    static List<Budget> budgets(String[] entries) {
        List<Budget> out = new ArrayList<>();
        for (String e : entries == null ? new String[0] : entries) {
            String[] kv = split(e, "latency budget");
            out.add(new Budget(kv[0], Duration.ofMillis(number(kv[1], e))));
        }
        return out;
    }

    private static String[] split(String e, String what) {
        int eq = e.indexOf('=');
        if (eq <= 0) {
            throw new IpcException(ErrorCode.CONFIG_INVALID, what + " '" + e + "' is not pattern=value");
        }
        return new String[] {e.substring(0, eq).trim(), e.substring(eq + 1).trim()};
    }

    private static long number(String s, String entry) {
        try {
            long v = Long.parseLong(s.trim());
            if (v < 0) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException x) {
            throw new IpcException(ErrorCode.CONFIG_INVALID, "'" + s + "' in '" + entry + "' is not a number >= 0");
        }
    }

    /** Glob match: {@code *} matches any run of characters. */
    static boolean matches(String pattern, String s) {
        int p = 0;
        int i = 0;
        int star = -1;
        int mark = 0;
        while (i < s.length()) {
            if (p < pattern.length() && pattern.charAt(p) != '*' && pattern.charAt(p) == s.charAt(i)) {
                p++;
                i++;
            } else if (p < pattern.length() && pattern.charAt(p) == '*') {
                star = p++;
                mark = i;
            } else if (star >= 0) {
                p = star + 1;
                i = ++mark;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }

    static Quota quotaFor(List<Quota> quotas, String peer) {
        for (Quota q : quotas) {
            if (matches(q.peerPattern, peer)) {
                return q;
            }
        }
        return null;
    }

    /** The channel of a message: its route, or its type's wire name. */
    static String channel(Message m) {
        String r = m.header().route();
        if (!r.isEmpty()) {
            return r;
        }
        MessageType t = m.type();
        return t != null ? t.wireName() : String.format("0x%02x", m.typeByte() & 0xff);
    }

    /** The budget of a message's channel in ns, or 0 when it has none. */
    static long budgetNanos(List<Budget> budgets, Message m) {
        if (budgets.isEmpty()) {
            return 0;
        }
        String c = channel(m);
        for (Budget b : budgets) {
            if (matches(b.channelPattern, c)) {
                return b.nanos;
            }
        }
        return 0;
    }

    /**
     * A token bucket holding at most one second of its rate. Not thread-safe: one per session and direction,
     * used under the session's receive lock.
     */
    static final class Bucket {
        private final long rate;
        private double tokens;
        private long last;

        Bucket(long ratePerSecond, long now) {
            this.rate = ratePerSecond;
            this.tokens = ratePerSecond;
            this.last = now;
        }

        /** Takes {@code n} tokens if there are enough; a rate of 0 always allows. */
        boolean take(long n, long now) {
            if (rate == 0) {
                return true;
            }
            tokens = Math.min(rate, tokens + (now - last) * (rate / 1e9));
            last = now;
            if (tokens >= n || (n > rate && tokens >= rate)) { // a message larger than a second's bytes: a full bucket
                tokens -= Math.min(n, rate);
                return true;
            }
            return false;
        }
    }
}
