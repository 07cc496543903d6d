package org.eipc.service.broker;

import java.util.Locale;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;

/** What happens to a message for a subscriber whose queue is full. Only that subscriber is affected. */
public enum OverflowPolicy {
    /** The oldest queued message is dropped (and counted) to make room: the subscriber sees the newest data. */
    DROP_OLDEST,
    /** The new message is dropped (and counted): the subscriber sees a gap-free prefix of the stream. */
    DROP_NEWEST,
    /**
     * The subscription is cancelled: its queue is discarded (counted as dropped) and it receives nothing more; a
     * remote subscriber is told with a {@code broker.cancelled.<pattern>} message when its session takes one.
     */
    DISCONNECT;

    /** The name used in configuration and on the wire: {@code drop_oldest}, {@code drop_newest}, {@code disconnect}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The policy for a {@link #wireName()} (case-insensitive).
     *
     * @throws IpcException {@link ErrorCode#CONFIG_INVALID} for any other text
     */
    public static OverflowPolicy of(final String wireName) {
        for (OverflowPolicy p : values()) {
            if (p.wireName().equalsIgnoreCase(wireName)) {
                return p;
            }
        }
        throw new IpcException(ErrorCode.CONFIG_INVALID, "overflow '" + wireName
                + "' is none of drop_oldest, drop_newest, disconnect");
    }
}
