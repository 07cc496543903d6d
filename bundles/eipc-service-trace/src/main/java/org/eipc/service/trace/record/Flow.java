package org.eipc.service.trace.record;

import org.eipc.spi.runtime.MessageTap;

/** Which way a recorded message went between the two ends of the session, independent of who recorded it. */
public enum Flow {
    /** From the client (the side that connected) to the server (the side that accepted). */
    C2S("c2s"),
    /** From the server to the client. */
    S2C("s2c");

    private final String text;

    Flow(String text) {
        this.text = text;
    }

    /** {@code "c2s"} or {@code "s2c"}, as in the file. */
    public String text() {
        return text;
    }

    /**
     * The flow of a tapped message.
     *
     * @param direction as the tap saw it
     * @param server whether the tapping side accepted the session
     */
    public static Flow of(MessageTap.Direction direction, boolean server) {
        boolean inbound = direction == MessageTap.Direction.INBOUND;
        return inbound == server ? C2S : S2C;
    }

    /** The flow named {@code text}, or null. */
    public static Flow ofText(String text) {
        for (Flow f : values()) {
            if (f.text.equals(text)) {
                return f;
            }
        }
        return null;
    }
}
