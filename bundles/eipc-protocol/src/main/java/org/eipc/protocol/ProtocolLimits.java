package org.eipc.protocol;

/** Sizes of the EIPC wire format. */
public final class ProtocolLimits {
    /** Largest frame (stream length prefix value) and largest header_len + payload_len: 1 MiB. */
    public static final int MAX_FRAME = 1_048_576;
    /** Bytes of the fixed preamble: magic, version, type, flags, header_len, payload_len. */
    public static final int PREAMBLE = 16;
    /** Bytes of the HMAC-SHA256 that follows the payload when the HMAC flag is set. */
    public static final int MAC_LENGTH = 32;
    /** Bytes of the big-endian length prefix in front of every frame on a stream. */
    public static final int PREFIX = 4;
    /** The protocol version this codec speaks. */
    public static final int VERSION = 1;
    /** The magic {@code "EIPC"} as a big-endian int. */
    public static final int MAGIC = 0x45495043;

    private ProtocolLimits() {
    }
}
