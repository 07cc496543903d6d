package org.eipc.protocol;

/** How strictly frames are checked. {@link #STRICT} is the default everywhere. */
public enum ProtocolMode {
    /**
     * Every frame must carry a MAC that verifies; no bytes may follow a frame inside its length prefix; the
     * COMPRESS bit and undefined flag bits are rejected.
     */
    STRICT,
    /**
     * Accept exactly what the Go reference's {@code ClientEndpoint.Receive} accepts: the MAC is checked only
     * when the HMAC flag is set, trailing bytes and unknown flag bits are ignored. For talking to Go peers.
     */
    COMPAT
}
