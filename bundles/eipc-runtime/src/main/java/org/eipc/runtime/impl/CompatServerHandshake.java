package org.eipc.runtime.impl;

import java.util.List;
import java.util.Map;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;
import org.eipc.protocol.Frame;
import org.eipc.protocol.ProtocolMode;
import org.eipc.spi.keyring.KeyEntry;
import org.eipc.spi.security.FrameMac;
import org.eipc.spi.security.ReplayGuard;
import org.eipc.spi.security.ReplayVerdict;

/**
 * The reference's handshake, server side (protocol §3), with the reference's payloads and denial texts. The
 * pending challenge belongs to this connection (not to the service id, §8.5), and the key that verified the
 * client's first frame is the one its response must prove.
 */
final class CompatServerHandshake extends ServerHandshake {
    private final ReplayGuard guard;
    private KeyEntry key;
    private FrameMac sendMac;
    private String clientService;
    private byte[] nonce;
    private long seq = 1;

    CompatServerHandshake(ServerEndpointImpl endpoint, AnyOfMac helloVerifier, List<KeyEntry> keys,
            ReplayGuard guard) {
        super(endpoint, helloVerifier, keys);
        this.guard = guard;
    }

    @Override
    void step(Carrier c, Frame f) {
        if (guard.check(f.header().sequence()) != ReplayVerdict.ACCEPT) {
            // the reference closes silently on replay
            throw new IpcException(ErrorCode.REPLAY_DUPLICATE, "replay detected");
        }
        if (nonce == null) {
            if (f.typeByte() != Handshakes.AUTH) {
                throw new IpcException(ErrorCode.PROTOCOL_VIOLATION, "first frame is not auth");
            }
            key = matchedKey();
            sendMac = endpoint.ctx().providers.integrity().newMac(key);
            Map<String, Object> m = FlatJson.parse(f.payload());
            clientService = FlatJson.string(m, "service_id");
            if (!endpoint.admits(clientService)) {
                deny(c, ErrorCode.AUTH_FAILED,
                        "eipc: authentication failed: unknown service \"" + clientService + "\"");
                return;
            }
            nonce = endpoint.settings().random.next(32);
            byte[] p = new FlatJson.Writer().str("status", "challenge").str("nonce", Hex.encode(nonce)).bytes();
            c.sendFrame(Handshakes.CHALLENGE, Handshakes.header(endpoint.settings().serviceId, "",
                    f.header().requestId(), seq++), p, sendMac);
            return;
        }
        if (f.typeByte() != Handshakes.AUTH_RESPONSE) {
            throw new IpcException(ErrorCode.PROTOCOL_VIOLATION, "expected auth_response");
        }
        Map<String, Object> m = FlatJson.parse(f.payload());
        byte[] response = Hex.decode(FlatJson.string(m, "response"), ErrorCode.PROTOCOL_VIOLATION);
        byte[] expected = Hkdf.hmac(SessionKeys.raw(key), nonce);
        if (!Hkdf.equal(response, expected)) {
            deny(c, ErrorCode.AUTH_FAILED, "eipc: authentication failed: challenge-response verification failed for \""
                    + clientService + "\"");
            return;
        }
        String token = Hex.encode(endpoint.settings().random.next(32));
        List<String> caps = endpoint.capabilities(clientService);
        byte[] p = new FlatJson.Writer().str("status", "ok").str("session_token", token).strings("capabilities", caps)
                .bytes();
        c.sendFrame(Handshakes.AUTH_RESPONSE, Handshakes.header(endpoint.settings().serviceId, "", "", seq++), p,
                sendMac);
        final KeyEntry k = key;
        SessionImpl s = endpoint.newSession(token, Handshakes.identity(clientService, caps, c.connection()),
                ProtocolMode.COMPAT, sendMac, () -> endpoint.ctx().providers.integrity().newMac(k), null, guard, seq);
        succeeded();
        s.attach(c, 0, -1);
    }

    @Override
    void deny(Carrier c, ErrorCode code, String text) {
        FrameMac mac = sendMac != null ? sendMac : endpoint.ctx().providers.integrity().newMac(keys.get(0));
        byte[] p = new FlatJson.Writer().str("status", "denied").str("error", text).bytes();
        c.sendFrame(Handshakes.AUTH_RESPONSE, Handshakes.header(endpoint.settings().serviceId, "", "", seq++), p, mac);
        finish(c, new IpcException(code, text));
    }

    @Override
    void denyUnverified(Carrier c, IpcException cause) {
        // the reference closes silently on a bad first frame
        finish(c, cause);
    }
}
