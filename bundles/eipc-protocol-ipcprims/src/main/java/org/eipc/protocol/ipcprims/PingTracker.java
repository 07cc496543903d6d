package org.eipc.protocol.ipcprims;

/**
 * Our pings awaiting their pong. Pongs carry no id; both sides answer in order, so the oldest outstanding ping
 * is the one answered. Bounded; thread-safe.
 */
final class PingTracker {
    /** Bound on pings awaiting a pong. */
    static final int MAX_OUTSTANDING = 1024;

    private final long[] sentAt = new long[MAX_OUTSTANDING];
    private long sent;
    private long matched;

    /** Records a ping about to be offered; false when too many are outstanding. */
    synchronized boolean record(long now) {
        if (sent - matched >= MAX_OUTSTANDING) {
            return false;
        }
        sentAt[(int) (sent % MAX_OUTSTANDING)] = now;
        sent++;
        return true;
    }

    /** Forgets the last recorded ping (its offer failed). */
    synchronized void rollback() {
        if (sent > matched) {
            sent--;
        }
    }

    /** Matches a pong: {ping number, rtt}, or null when no ping is outstanding. */
    synchronized long[] match(long now) {
        if (matched >= sent) {
            return null;
        }
        final long rtt = now - sentAt[(int) (matched % MAX_OUTSTANDING)];
        matched++;
        return new long[] {matched, rtt};
    }
}
