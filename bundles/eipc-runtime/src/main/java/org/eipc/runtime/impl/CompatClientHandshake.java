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
 * The reference's handshake, client side (protocol §3): {@code A {"service_id"}} → {@code H} challenge →
 * {@code R {"service_id","response"}} → {@code R} ok or denied. Differences from the reference, none visible on
 * the wire to an honest server: replay is checked on received frames, the nonce must be 32 bytes, and a nonce that
 * begins with the frame magic {@code "EIPC"} is refused, so the challenge response can never be a frame MAC (the
 * reference's signing oracle, §8.4).
 */
final class CompatClientHandshake extends HandshakeBase {
    private final ClientEndpointImpl endpoint;
    private final String serviceId;
    private final KeyEntry key;
    private final FrameMac sendMac;
    private final ReplayGuard guard;
    private boolean challenged;

    CompatClientHandshake(ClientEndpointImpl endpoint, String serviceId, KeyEntry key, FrameMac sendMac,
            ReplayGuard guard) {
        this.endpoint = endpoint;
        this.serviceId = serviceId;
        this.key = key;
        this.sendMac = sendMac;
        this.guard = guard;
    }

    @Override
    void start() {
        byte[] p = new FlatJson.Writer().str("service_id", serviceId).bytes();
        carrier.sendFrame(Handshakes.AUTH, Handshakes.header(serviceId, "", "", 1), p, sendMac);
    }

    @Override
    void step(Carrier c, Frame f) {
        if (guard.check(f.header().sequence()) != ReplayVerdict.ACCEPT) {
            throw new IpcException(ErrorCode.REPLAY_DUPLICATE, "replay detected during the handshake");
        }
        Map<String, Object> m = FlatJson.parse(f.payload());
        if (f.typeByte() == Handshakes.AUTH_RESPONSE && "denied".equals(m.get("status"))) {
            throw denial(m);
        }
        if (!challenged) {
            Handshakes.expectType(f.typeByte(), Handshakes.CHALLENGE, "challenge");
            if (!"challenge".equals(m.get("status"))) {
                throw new IpcException(ErrorCode.HANDSHAKE_FAILED, "challenge without status 'challenge'");
            }
            byte[] nonce = Handshakes.nonce(FlatJson.string(m, "nonce"));
            if (nonce[0] == 'E' && nonce[1] == 'I' && nonce[2] == 'P' && nonce[3] == 'C') {
                throw new IpcException(ErrorCode.HANDSHAKE_FAILED, "nonce starts with the frame magic; refusing to sign it");
            }
            byte[] response = Hkdf.hmac(SessionKeys.raw(key), nonce);
            byte[] p = new FlatJson.Writer().str("service_id", serviceId).str("response", Hex.encode(response)).bytes();
            challenged = true;
            c.sendFrame(Handshakes.AUTH_RESPONSE, Handshakes.header(serviceId, "", "", 2), p, sendMac);
            return;
        }
        Handshakes.expectType(f.typeByte(), Handshakes.AUTH_RESPONSE, "auth result");
        if (!"ok".equals(m.get("status"))) {
            throw new IpcException(ErrorCode.HANDSHAKE_FAILED, "auth result is neither ok nor denied");
        }
        String token = FlatJson.string(m, "session_token");
        List<String> caps = FlatJson.strings(m, "capabilities");
        SessionImpl s = endpoint.newSession(token, Handshakes.identity(f.header().serviceId(), List.of(), c.connection()),
                caps, ProtocolMode.COMPAT, sendMac, endpoint::compatVerifier, null, guard, 3);
        s.attach(c, 0, -1);
        result.complete(s);
    }
}
