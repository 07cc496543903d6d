package org.eipc.protocol.ipcprims;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;

/** The checks each side applies to the other's handshake message, in the reference's order. Stateless. */
final class HandshakeRules {

    /** What a valid handshake message settles. */
    record Outcome(int[] channels, ProtocolVersion remoteVersion) {
    }

    private HandshakeRules() {
    }

    /**
     * Server side: protocol name, version compatibility, then channel negotiation.
     *
     * @param at stream offset of the request payload, for errors
     * @throws IpcException {@link ErrorCode#HANDSHAKE_FAILED}
     */
    static Outcome server(HandshakeRequest req, IpcprimsConfig config, long at) {
        checkProtocol(req.protocol(), config, at);
        final ProtocolVersion v = ProtocolVersion.parse(req.version(), at);
        if (!ProtocolVersion.compatible(v, config.version())) {
            throw new IpcException(ErrorCode.HANDSHAKE_FAILED,
                    "incompatible version '" + req.version() + "' (server '" + config.version() + "')", at);
        }
        return new Outcome(
                IpcprimsChannels.negotiate(req.channels(), config.channels(), config.requireChannelOverlap(), at), v);
    }

    /**
     * Client side: protocol name, version compatibility (the response carries the server's own version), and
     * no channel we did not ask for.
     *
     * @throws IpcException {@link ErrorCode#HANDSHAKE_FAILED}
     */
    static Outcome client(HandshakeResponse resp, IpcprimsConfig config, long at) {
        checkProtocol(resp.protocol(), config, at);
        final ProtocolVersion v = ProtocolVersion.parse(resp.version(), at);
        if (!ProtocolVersion.compatible(config.version(), v)) {
            throw new IpcException(ErrorCode.HANDSHAKE_FAILED,
                    "incompatible version '" + resp.version() + "' (local '" + config.version() + "')", at);
        }
        final int[] neg = resp.channels();
        IpcprimsChannels.checkResponse(config.channels(), neg, config.requireChannelOverlap(), at);
        return new Outcome(neg, v);
    }

    private static void checkProtocol(String protocol, IpcprimsConfig config, long at) {
        if (!protocol.equals(config.protocolName())) {
            throw new IpcException(ErrorCode.HANDSHAKE_FAILED,
                    "unknown protocol '" + protocol + "' (expected '" + config.protocolName() + "')", at);
        }
    }
}
