package org.eipc.protocol.ipcprims;

import java.nio.ByteBuffer;
import java.util.Arrays;

import org.eipc.api.ErrorCode;
import org.eipc.protocol.ipcprims.impl.JsonCursor;
import org.eipc.protocol.ipcprims.impl.JsonWriter;

/**
 * The server's handshake response:
 * {@code {"protocol":"ipcprims","version":"1.0","channels":[1,2,3,4],"peer_id":"peer-1"}}. The version is the
 * server's own, not a negotiated one. Immutable.
 */
public final class HandshakeResponse {
    /** Longest peer id, in UTF-8 bytes. */
    public static final int MAX_PEER_ID_LENGTH = 128;

    private final String protocol;
    private final String version;
    private final int[] channels;
    private final String peerId;

    /**
     * @param protocol the protocol name
     * @param version the server's version text
     * @param channels the negotiated channels
     * @param peerId the id the server gives this connection (1-128 bytes)
     */
    public HandshakeResponse(String protocol, String version, int[] channels, String peerId) {
        this.protocol = protocol;
        this.version = version;
        this.channels = channels.clone();
        this.peerId = peerId;
    }

    /** The protocol name as sent. */
    public String protocol() {
        return protocol;
    }

    /** The server's version text as sent. */
    public String version() {
        return version;
    }

    /** The negotiated channels (a copy). */
    public int[] channels() {
        return channels.clone();
    }

    /** The peer id chosen by the server. */
    public String peerId() {
        return peerId;
    }

    /** The compact JSON payload, fields in the reference's order. */
    public byte[] encode() {
        return new JsonWriter(96).beginObject().name("protocol").value(protocol).name("version").value(version)
                .name("channels").value(channels).name("peer_id").value(peerId).endObject().toByteArray();
    }

    /**
     * Parses a response payload (strict JSON; unknown fields ignored) and checks its format: protocol 1-32
     * bytes, version 1-16 bytes, at most 256 channels, none 0, peer id 1-128 bytes.
     *
     * @param payload the payload, position to limit (not changed)
     * @param offset stream offset of the payload's first byte, for error offsets
     * @throws org.eipc.api.IpcException {@link ErrorCode#HANDSHAKE_FAILED}
     */
    public static HandshakeResponse parse(ByteBuffer payload, long offset) {
        final JsonCursor c = new JsonCursor(payload, payload.position(), payload.limit(), offset,
                ErrorCode.HANDSHAKE_FAILED, "handshake response");
        final StringBuilder key = new StringBuilder(16);
        final StringBuilder protocol = new StringBuilder();
        final StringBuilder version = new StringBuilder();
        final StringBuilder peerId = new StringBuilder();
        final int[] channels = new int[IpcprimsChannels.MAX_HANDSHAKE_CHANNELS + 1];
        int protocolBytes = -1;
        int versionBytes = -1;
        int peerIdBytes = -1;
        int channelCount = -1;
        c.beginObject();
        while (c.nextKey(key, 16)) {
            final String k = key.toString();
            switch (k) {
                case "protocol":
                    HandshakeRequest.duplicate(c, protocolBytes, k);
                    protocolBytes = c.stringValue(protocol, HandshakeRequest.MAX_PROTOCOL_LENGTH + 1, k);
                    break;
                case "version":
                    HandshakeRequest.duplicate(c, versionBytes, k);
                    versionBytes = c.stringValue(version, ProtocolVersion.MAX_TEXT_LENGTH + 1, k);
                    break;
                case "channels":
                    HandshakeRequest.duplicate(c, channelCount, k);
                    channelCount = c.u16Array(channels, k);
                    break;
                case "peer_id":
                    HandshakeRequest.duplicate(c, peerIdBytes, k);
                    peerIdBytes = c.stringValue(peerId, MAX_PEER_ID_LENGTH + 1, k);
                    break;
                default:
                    c.skipValue();
            }
        }
        c.end();
        HandshakeRequest.missing(c, protocolBytes, "protocol");
        HandshakeRequest.missing(c, versionBytes, "version");
        HandshakeRequest.missing(c, channelCount, "channels");
        HandshakeRequest.missing(c, peerIdBytes, "peer_id");
        HandshakeRequest.checkProtocolLength(protocolBytes, offset);
        if (versionBytes < 1 || versionBytes > ProtocolVersion.MAX_TEXT_LENGTH) {
            throw c.documentError("invalid version length: " + versionBytes);
        }
        IpcprimsChannels.checkListed(channels, channelCount, offset);
        if (peerIdBytes < 1 || peerIdBytes > MAX_PEER_ID_LENGTH) {
            throw c.documentError("invalid peer_id length: " + peerIdBytes);
        }
        return new HandshakeResponse(protocol.toString(), version.toString(), Arrays.copyOf(channels, channelCount),
                peerId.toString());
    }

    @Override
    public String toString() {
        return "HandshakeResponse[protocol=" + protocol + " version=" + version + " channels="
                + Arrays.toString(channels) + " peer_id=" + peerId + "]";
    }
}
