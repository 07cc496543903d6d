package org.eipc.protocol.ipcprims;

import java.util.Arrays;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;

/**
 * Channel ids and the negotiation rules of the ipcprims handshake. Stateless; thread-safe.
 *
 * <p>0 is CONTROL (always available, never listed), 1-4 are the well-known channels, 5-255 are reserved, 256
 * and up belong to applications. The server negotiates the client's list, in the client's order, without
 * duplicates (first occurrence kept), restricted to what the server supports.
 */
public final class IpcprimsChannels {
    /** Handshake and control messages; implicit, never negotiated. */
    public static final int CONTROL = 0;
    /** Commands (the reference's request/response helper uses it). */
    public static final int COMMAND = 1;
    /** Bulk data. */
    public static final int DATA = 2;
    /** Telemetry. */
    public static final int TELEMETRY = 3;
    /** Errors (the reference CLI echo reports schema failures here). */
    public static final int ERROR = 4;
    /** First reserved channel id. */
    public static final int FIRST_RESERVED = 5;
    /** First application channel id. */
    public static final int FIRST_USER = 256;
    /** Most entries a handshake channel list may have. */
    public static final int MAX_HANDSHAKE_CHANNELS = 256;

    private static final int[] DEFAULT_SUPPORTED = {COMMAND, DATA, TELEMETRY, ERROR};

    private IpcprimsChannels() {
    }

    /** The channels the reference listener supports by default: {@code [1,2,3,4]} (a fresh copy). */
    public static int[] defaultSupported() {
        return DEFAULT_SUPPORTED.clone();
    }

    /** A name for logs: CONTROL, COMMAND, DATA, TELEMETRY, ERROR, RESERVED or USER. */
    public static String name(int channel) {
        switch (channel) {
            case CONTROL: return "CONTROL";
            case COMMAND: return "COMMAND";
            case DATA: return "DATA";
            case TELEMETRY: return "TELEMETRY";
            case ERROR: return "ERROR";
            default: return channel < FIRST_USER ? "RESERVED" : "USER";
        }
    }

    /**
     * Checks a channel list as it appears in a handshake: at most 256 entries, each a u16, none 0.
     *
     * @param count number of entries in the message (may exceed {@code channels.length})
     * @throws IpcException {@link ErrorCode#HANDSHAKE_FAILED} at {@code offset}
     */
    public static void checkListed(int[] channels, int count, long offset) {
        if (count > MAX_HANDSHAKE_CHANNELS) {
            throw new IpcException(ErrorCode.HANDSHAKE_FAILED,
                    "too many channels in handshake: " + count + " (max " + MAX_HANDSHAKE_CHANNELS + ")", offset);
        }
        for (int i = 0; i < count; i++) {
            if (channels[i] == CONTROL) {
                throw new IpcException(ErrorCode.HANDSHAKE_FAILED,
                        "CONTROL channel must not be included in negotiated channels", offset);
            }
            if (channels[i] < 0 || channels[i] > IpcprimsFrame.MAX_CHANNEL) {
                throw new IpcException(ErrorCode.HANDSHAKE_FAILED, "channel out of range: " + channels[i], offset);
            }
        }
    }

    /**
     * The server's rule: {@code requested} without duplicates (first occurrence kept) and without entries
     * {@code supported} lacks, in the requested order.
     *
     * @param requireOverlap fail when nothing is left (the reference's default)
     * @throws IpcException {@link ErrorCode#HANDSHAKE_FAILED} "no overlapping channels"
     */
    public static int[] negotiate(int[] requested, int[] supported, boolean requireOverlap, long offset) {
        final int[] out = new int[Math.min(requested.length, MAX_HANDSHAKE_CHANNELS)];
        int n = 0;
        for (final int ch : requested) {
            if (contains(supported, supported.length, ch) && !contains(out, n, ch) && n < out.length) {
                out[n++] = ch;
            }
        }
        if (n == 0 && requireOverlap) {
            throw new IpcException(ErrorCode.HANDSHAKE_FAILED, "no overlapping channels", offset);
        }
        return Arrays.copyOf(out, n);
    }

    /**
     * The client's check of a response: every returned channel must have been requested.
     *
     * @throws IpcException {@link ErrorCode#HANDSHAKE_FAILED}
     */
    public static void checkResponse(int[] requested, int[] returned, boolean requireOverlap, long offset) {
        for (final int ch : returned) {
            if (!contains(requested, requested.length, ch)) {
                throw new IpcException(ErrorCode.HANDSHAKE_FAILED, "server returned channels not requested by client",
                        offset);
            }
        }
        if (returned.length == 0 && requireOverlap) {
            throw new IpcException(ErrorCode.HANDSHAKE_FAILED, "no overlapping channels", offset);
        }
    }

    static boolean contains(int[] a, int n, int v) {
        for (int i = 0; i < n; i++) {
            if (a[i] == v) {
                return true;
            }
        }
        return false;
    }
}
