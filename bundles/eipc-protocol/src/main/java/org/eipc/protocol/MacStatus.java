package org.eipc.protocol;

/** What is known about a decoded frame's MAC. */
public enum MacStatus {
    /** The frame carries a MAC and it verified. */
    VERIFIED,
    /** The frame carries no MAC (HMAC flag clear; only possible in {@link ProtocolMode#COMPAT} or parse). */
    ABSENT,
    /** The frame carries a MAC that was not checked: it was parsed without a key. */
    NOT_CHECKED
}
