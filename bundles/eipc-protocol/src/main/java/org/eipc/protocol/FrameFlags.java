package org.eipc.protocol;

/** Bits of the flags byte (offset 7 of a frame). */
public final class FrameFlags {
    /** A 32-byte HMAC-SHA256 follows the payload. */
    public static final int HMAC = 0x01;
    /** Reserved by the reference and never implemented; {@link ProtocolMode#STRICT} rejects it. */
    public static final int COMPRESS = 0x02;
    /** The payload is {@code nonce ‖ ciphertext ‖ tag}; decryption happens above the codec. */
    public static final int ENCRYPTED = 0x04;
    /** Bits the reference never defined; {@link ProtocolMode#STRICT} rejects them. */
    public static final int UNDEFINED = 0xF8;

    private FrameFlags() {
    }
}
