package org.eipc.protocol.ipcprims;

import java.nio.ByteBuffer;
import java.util.Arrays;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;
import org.eipc.protocol.ipcprims.impl.JsonCursor;
import org.eipc.protocol.ipcprims.impl.JsonWriter;

/**
 * The client's handshake request, the first CONTROL frame of a connection:
 * {@code {"protocol":"ipcprims","version":"1.0","channels":[1,2,3,4]}} plus an optional
 * {@code "auth_token"} (1 to 4096 bytes; {@code null} is the same as absent).
 *
 * <p>The auth token is kept in a {@code char[]}, never in a {@link String}, is left out of
 * {@link #toString()}, and is zeroed by {@link #wipe()}. Otherwise immutable; not thread-safe while wiping.
 */
public final class HandshakeRequest {
    /** Longest protocol name, in UTF-8 bytes. */
    public static final int MAX_PROTOCOL_LENGTH = 32;
    /** Longest auth token, in UTF-8 bytes. */
    public static final int MAX_AUTH_TOKEN_LENGTH = 4096;

    private final String protocol;
    private final String version;
    private final int[] channels;
    private final char[] authToken;

    /**
     * @param protocol the protocol name ({@code "ipcprims"})
     * @param version the version text ({@code "1.0"})
     * @param channels the requested channels, in preference order
     * @param authToken the token (copied), or null for none
     */
    public HandshakeRequest(String protocol, String version, int[] channels, char[] authToken) {
        this.protocol = protocol;
        this.version = version;
        this.channels = channels.clone();
        this.authToken = authToken == null ? null : authToken.clone();
    }

    /** The protocol name as sent. */
    public String protocol() {
        return protocol;
    }

    /** The version text as sent. */
    public String version() {
        return version;
    }

    /** The requested channels as sent (a copy). */
    public int[] channels() {
        return channels.clone();
    }

    /** True when an auth token was sent. */
    public boolean hasAuthToken() {
        return authToken != null;
    }

    /** A copy of the auth token (the caller should zero it after use), or null. */
    public char[] authToken() {
        return authToken == null ? null : authToken.clone();
    }

    /** Zeroes the auth token held by this object. */
    public void wipe() {
        if (authToken != null) {
            Arrays.fill(authToken, '\0');
        }
    }

    /** The compact JSON payload, fields in the reference's order. */
    public byte[] encode() {
        final JsonWriter w = new JsonWriter(96 + (authToken == null ? 0 : authToken.length * 3));
        w.beginObject().name("protocol").value(protocol).name("version").value(version).name("channels")
                .value(channels);
        if (authToken != null) {
            w.name("auth_token").value(authToken);
        }
        w.endObject();
        final byte[] out = w.toByteArray();
        w.wipe();
        return out;
    }

    /**
     * Parses a request payload (strict JSON; unknown fields ignored) and checks its format: protocol 1-32
     * bytes, version 1-16 bytes, at most 256 channels, none 0, auth token 1-4096 bytes.
     *
     * @param payload the payload, position to limit (not changed)
     * @param offset stream offset of the payload's first byte, for error offsets
     * @throws IpcException {@link ErrorCode#HANDSHAKE_FAILED}
     */
    public static HandshakeRequest parse(ByteBuffer payload, long offset) {
        final JsonCursor c = new JsonCursor(payload, payload.position(), payload.limit(), offset,
                ErrorCode.HANDSHAKE_FAILED, "handshake request");
        final StringBuilder key = new StringBuilder(16);
        final StringBuilder protocol = new StringBuilder();
        final StringBuilder version = new StringBuilder();
        final StringBuilder token = new StringBuilder();
        final int[] channels = new int[IpcprimsChannels.MAX_HANDSHAKE_CHANNELS + 1];
        int protocolBytes = -1;
        int versionBytes = -1;
        int tokenBytes = -1;
        int channelCount = -1;
        try {
            c.beginObject();
            while (c.nextKey(key, 16)) {
                final String k = key.toString();
                switch (k) {
                    case "protocol":
                        duplicate(c, protocolBytes, k);
                        protocolBytes = c.stringValue(protocol, MAX_PROTOCOL_LENGTH + 1, k);
                        break;
                    case "version":
                        duplicate(c, versionBytes, k);
                        versionBytes = c.stringValue(version, ProtocolVersion.MAX_TEXT_LENGTH + 1, k);
                        break;
                    case "channels":
                        duplicate(c, channelCount, k);
                        channelCount = c.u16Array(channels, k);
                        break;
                    case "auth_token":
                        duplicate(c, tokenBytes, k);
                        tokenBytes = c.nullValue() ? -2 : c.stringValue(token, MAX_AUTH_TOKEN_LENGTH + 1, k);
                        break;
                    default:
                        c.skipValue();
                }
            }
            c.end();
            missing(c, protocolBytes, "protocol");
            missing(c, versionBytes, "version");
            missing(c, channelCount, "channels");
            checkProtocolLength(protocolBytes, offset);
            if (versionBytes < 1 || versionBytes > ProtocolVersion.MAX_TEXT_LENGTH) {
                throw c.documentError("invalid version length: " + versionBytes);
            }
            IpcprimsChannels.checkListed(channels, channelCount, offset);
            if (tokenBytes == 0 || tokenBytes > MAX_AUTH_TOKEN_LENGTH) {
                throw c.documentError("invalid auth_token length: " + tokenBytes);
            }
            char[] tok = null;
            if (tokenBytes > 0) {
                tok = new char[token.length()];
                token.getChars(0, tok.length, tok, 0);
            }
            final HandshakeRequest r = new HandshakeRequest(protocol.toString(), version.toString(),
                    Arrays.copyOf(channels, channelCount), tok);
            if (tok != null) {
                Arrays.fill(tok, '\0');
            }
            return r;
        } finally {
            for (int i = 0; i < token.length(); i++) {
                token.setCharAt(i, '\0');
            }
        }
    }

    static void duplicate(JsonCursor c, int seen, String name) {
        if (seen != -1) {
            throw c.error("duplicate field `" + name + "`");
        }
    }

    static void missing(JsonCursor c, int seen, String name) {
        if (seen == -1) {
            throw c.error("missing field `" + name + "`");
        }
    }

    static void checkProtocolLength(int bytes, long offset) {
        if (bytes < 1 || bytes > MAX_PROTOCOL_LENGTH) {
            throw new IpcException(ErrorCode.HANDSHAKE_FAILED, "invalid protocol name length: " + bytes, offset);
        }
    }

    /** Describes the request; the auth token is shown only as present or absent. */
    @Override
    public String toString() {
        return "HandshakeRequest[protocol=" + protocol + " version=" + version + " channels="
                + Arrays.toString(channels) + " auth_token=" + (authToken == null ? "absent" : "<redacted>") + "]";
    }

    /** UTF-8 length of a char sequence (unpaired surrogates count as the 3 bytes of a replacement). */
    static int utf8Length(CharSequence s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            final char c = s.charAt(i);
            if (c < 0x80) {
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
                    && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }
}
