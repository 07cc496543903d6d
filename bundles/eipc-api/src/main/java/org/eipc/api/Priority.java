package org.eipc.api;

/** Priority lanes P0 (highest) to P3 (best effort), as carried in the header's {@code priority} field. */
public enum Priority {
    P0, P1, P2, P3;

    private static final Priority[] VALUES = values();

    /** The header value, 0 to 3. */
    public int level() {
        return ordinal();
    }

    /**
     * The lane for a header value. The wire allows 0 to 255; values above 3 are served as P3, the lowest lane.
     *
     * @throws IpcException {@link ErrorCode#HEADER_FIELD_TYPE} for a value outside 0..255
     */
    public static Priority fromLevel(int level) {
        if (level < 0 || level > 255) {
            throw new IpcException(ErrorCode.HEADER_FIELD_TYPE, "priority " + level + " outside 0..255");
        }
        return VALUES[Math.min(level, 3)];
    }
}
