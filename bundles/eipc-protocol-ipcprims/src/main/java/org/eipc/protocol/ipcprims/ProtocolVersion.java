package org.eipc.protocol.ipcprims;

import java.nio.charset.StandardCharsets;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;

/**
 * An ipcprims protocol version {@code <u16>.<u16>} ("1.0"; "1.00" is the same as "1.0"; "1", "1.0.0" and
 * "v1.0" are invalid). Immutable.
 *
 * @param major the major number (0 to 65 535)
 * @param minor the minor number (0 to 65 535)
 */
public record ProtocolVersion(int major, int minor) {
    /** The version this implementation speaks, "1.0" (as ipcprims 0.2.1 and 0.2.5). */
    public static final ProtocolVersion CURRENT = new ProtocolVersion(1, 0);
    /** Longest accepted version string, in UTF-8 bytes. */
    public static final int MAX_TEXT_LENGTH = 16;

    /** @throws IllegalArgumentException if a part is not a u16 */
    public ProtocolVersion {
        if (major < 0 || major > 0xFFFF || minor < 0 || minor > 0xFFFF) {
            throw new IllegalArgumentException("major=" + major + " minor=" + minor);
        }
    }

    /**
     * Parses a version as it appears in a handshake.
     *
     * @throws IpcException {@link ErrorCode#HANDSHAKE_FAILED} (at {@code offset}) if it is not
     *         {@code <u16>.<u16>} or not 1 to 16 bytes long
     */
    public static ProtocolVersion parse(String text, long offset) {
        final int bytes = text.getBytes(StandardCharsets.UTF_8).length;
        if (bytes < 1 || bytes > MAX_TEXT_LENGTH) {
            throw new IpcException(ErrorCode.HANDSHAKE_FAILED, "invalid version length: " + bytes, offset);
        }
        final int dot = text.indexOf('.');
        if (dot < 0) {
            throw new IpcException(ErrorCode.HANDSHAKE_FAILED, "invalid version '" + text + "': missing minor",
                    offset);
        }
        if (text.indexOf('.', dot + 1) >= 0) {
            throw new IpcException(ErrorCode.HANDSHAKE_FAILED,
                    "invalid version '" + text + "': expected '<major>.<minor>'", offset);
        }
        final int major = part(text, 0, dot, "major", offset);
        final int minor = part(text, dot + 1, text.length(), "minor", offset);
        return new ProtocolVersion(major, minor);
    }

    private static int part(String text, int from, int to, String which, long offset) {
        if (from == to) {
            throw new IpcException(ErrorCode.HANDSHAKE_FAILED, "invalid version '" + text + "': empty " + which,
                    offset);
        }
        int v = 0;
        for (int i = from; i < to; i++) {
            final char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw new IpcException(ErrorCode.HANDSHAKE_FAILED,
                        "invalid version '" + text + "': non-numeric " + which, offset);
            }
            v = v * 10 + (c - '0');
            if (v > 0xFFFF) {
                throw new IpcException(ErrorCode.HANDSHAKE_FAILED,
                        "invalid version '" + text + "': " + which + " out of range", offset);
            }
        }
        return v;
    }

    /**
     * The reference's compatibility rule, {@code client.major == server.major && client.minor >= server.minor}.
     */
    public static boolean compatible(ProtocolVersion client, ProtocolVersion server) {
        return client.major == server.major && client.minor >= server.minor;
    }

    /** {@code "<major>.<minor>"}. */
    @Override
    public String toString() {
        return major + "." + minor;
    }
}
