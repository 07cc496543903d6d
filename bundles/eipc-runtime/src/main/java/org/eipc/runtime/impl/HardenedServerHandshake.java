package org.eipc.runtime.impl;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;
import org.eipc.protocol.Frame;
import org.eipc.protocol.ProtocolMode;
import org.eipc.spi.keyring.KeyEntry;
import org.eipc.spi.security.FrameMac;
import org.eipc.spi.security.IntegrityProvider;

/**
 * The hardened handshake {@code eipc-h1}, server side (message sequence in {@code docs/runtime.md}):
 *
 * <pre>
 * C → S  A  {"proto":"eipc-h1","role":"client","service_id","key_id","nonce":Nc[,"resume":sid]}
 * S → C  H  {"proto","role":"server","service_id","key_id","nonce":Ns,"session_id":sid,"proof":Ps}
 * C → S  R  {"proto","role":"client","proof":Pc[,"last_received":n],"credit":w,"idle_ms":t}
 * S → C  R  {"status":"ok","session_id":sid,"capabilities":[...][,"last_received":n],"credit":w,"idle_ms":t}
 *        or {"status":"denied","code":ERROR_CODE,"error":text}
 * </pre>
 *
 * All four frames are MAC'd with K_hs of the named key; data frames afterwards with the session's direction keys.
 */
final class HardenedServerHandshake extends ServerHandshake {
    private enum State { HELLO, PROOF, DONE }

    private State state = State.HELLO;
    private long lastSeq;
    private long seq = 1;
    private KeyEntry key;
    private FrameMac hsSendMac;
    private String clientService;
    private String sessionId;
    private byte[] nonceServer;
    private byte[] transcript;
    private SessionKeys keysDerived;
    private SessionImpl resumeTarget;
    private boolean forwardSecret;

    HardenedServerHandshake(ServerEndpointImpl endpoint, AnyOfMac helloVerifier, List<KeyEntry> keys) {
        super(endpoint, helloVerifier, keys);
    }

    @Override
    void step(Carrier c, Frame f) {
        Map<String, Object> m = FlatJson.parse(f.payload());
        // role first: a reflected server frame verifies (same handshake key both ways) and must be named as such
        checkCommon(m, "client");
        long s = f.header().sequence();
        if (Long.compareUnsigned(s, lastSeq) <= 0) {
            throw new IpcException(ErrorCode.REPLAY_DUPLICATE, "handshake frame replayed");
        }
        lastSeq = s;
        if (state == State.HELLO) {
            hello(c, f, m);
        } else if (state == State.PROOF) {
            proof(c, f, m);
        } else {
            throw new IpcException(ErrorCode.PROTOCOL_VIOLATION, "frame after the handshake");
        }
    }

    private void hello(Carrier c, Frame f, Map<String, Object> m) {
        Handshakes.expectType(f.typeByte(), Handshakes.AUTH, "hello");
        key = matchedKey();
        IntegrityProvider integrity = endpoint.ctx().providers.integrity();
        hsSendMac = integrity.newMac(SessionKeys.entry("hs:" + key.id(), SessionKeys.handshakeFrameKey(SessionKeys.raw(key))));
        checkCommon(m, "client");
        if (!key.id().equals(FlatJson.string(m, "key_id"))) {
            throw new IpcException(ErrorCode.HANDSHAKE_FAILED, "hello names another key than it is MAC'd with");
        }
        if (!key.acceptedAt(Instant.now())) {
            throw new IpcException(ErrorCode.KEY_RETIRED, "key '" + key.id() + "' is retired");
        }
        byte[] nc = Handshakes.nonce(FlatJson.string(m, "nonce"));
        if (endpoint.isOwnNonce(nc)) {
            throw new IpcException(ErrorCode.HANDSHAKE_FAILED, "hello carries a nonce this server issued (reflection)");
        }
        clientService = FlatJson.string(m, "service_id");
        if (!endpoint.admits(clientService)) {
            throw new IpcException(ErrorCode.AUTH_FAILED, "unknown service \"" + clientService + "\"");
        }
        String resume = FlatJson.optString(m, "resume");
        String kind;
        if (resume != null) {
            resumeTarget = endpoint.findSession(resume);
            if (resumeTarget == null || resumeTarget.resumeSecret == null || !resumeTarget.isOpen()) {
                throw new IpcException(ErrorCode.SESSION_UNKNOWN, "no session to resume");
            }
            if (!resumeTarget.peer().serviceId().equals(clientService)) {
                throw new IpcException(ErrorCode.AUTH_FAILED, "session belongs to another service");
            }
            sessionId = resume;
            kind = "resume";
        } else {
            sessionId = Hex.encode(endpoint.settings().random.next(16));
            kind = "full";
        }
        // forward secrecy: an X25519 exchange joins the key schedule when the client offers one (full handshakes)
        String ce = FlatJson.optString(m, "eph");
        EndpointSettings.ForwardSecrecy fs = endpoint.settings().forwardSecrecy;
        if (ce != null && resumeTarget != null) {
            throw new IpcException(ErrorCode.HANDSHAKE_FAILED, "an ephemeral key in a resume");
        }
        if (ce == null && resumeTarget == null && fs == EndpointSettings.ForwardSecrecy.REQUIRE) {
            throw new IpcException(ErrorCode.HANDSHAKE_FAILED, "this server requires forward secrecy (X25519)");
        }
        byte[] ephClient = new byte[0];
        byte[] ephServer = new byte[0];
        byte[] dh = null;
        if (ce != null && fs != EndpointSettings.ForwardSecrecy.OFF) {
            ephClient = Hex.decode(ce, ErrorCode.HANDSHAKE_FAILED);
            java.security.KeyPair eph = X25519.generate();
            dh = X25519.agree(eph.getPrivate(), ephClient);
            ephServer = X25519.publicBytes(eph);
        } else if (ce != null) {
            ephClient = Hex.decode(ce, ErrorCode.HANDSHAKE_FAILED); // offered, declined: still in the transcript
        }
        forwardSecret = dh != null;
        nonceServer = endpoint.settings().random.next(SessionKeys.NONCE_LENGTH);
        endpoint.registerNonce(nonceServer);
        String serverId = endpoint.settings().serviceId;
        transcript = SessionKeys.transcript(kind, clientService, serverId, key.id(), nc, nonceServer, sessionId,
                ephClient, ephServer);
        keysDerived = resumeTarget == null ? SessionKeys.full(SessionKeys.raw(key), dh, nc, nonceServer, transcript)
                : SessionKeys.resume(resumeTarget.resumeSecret, nc, nonceServer, transcript);
        byte[] ps = SessionKeys.proof(keysDerived.proofServer, transcript);
        FlatJson.Writer w = new FlatJson.Writer().str("proto", SessionKeys.PROTO).str("role", "server")
                .str("service_id", serverId).str("key_id", key.id()).str("nonce", Hex.encode(nonceServer))
                .str("session_id", sessionId).str("proof", Hex.encode(ps));
        if (ephServer.length > 0) {
            w.str("eph", Hex.encode(ephServer));
        }
        byte[] p = w.bytes();
        c.switchVerifier(integrity.newMac(SessionKeys.entry("hs:" + key.id(),
                SessionKeys.handshakeFrameKey(SessionKeys.raw(key)))));
        c.sendFrame(Handshakes.CHALLENGE, Handshakes.header(serverId, "", f.header().requestId(), seq++), p, hsSendMac);
        state = State.PROOF;
    }

    private void proof(Carrier c, Frame f, Map<String, Object> m) {
        Handshakes.expectType(f.typeByte(), Handshakes.AUTH_RESPONSE, "client proof");
        checkCommon(m, "client");
        byte[] pc = Hex.decode(FlatJson.string(m, "proof"), ErrorCode.HANDSHAKE_FAILED);
        endpoint.unregisterNonce(nonceServer);
        if (!Hkdf.equal(pc, SessionKeys.proof(keysDerived.proofClient, transcript))) {
            throw new IpcException(ErrorCode.AUTH_FAILED, "client proof does not verify");
        }
        state = State.DONE;
        String serverId = endpoint.settings().serviceId;
        IntegrityProvider integrity = endpoint.ctx().providers.integrity();
        if (resumeTarget == null) {
            List<String> caps = endpoint.capabilities(clientService);
            final KeyEntry c2s = SessionKeys.entry("session:c2s", keysDerived.c2s);
            SessionImpl s = endpoint.newSession(sessionId, Handshakes.identity(clientService, caps, c.connection()),
                    ProtocolMode.STRICT, integrity.newMac(SessionKeys.entry("session:s2c", keysDerived.s2c)),
                    () -> integrity.newMac(c2s), keysDerived.resume, endpoint.ctx().providers.newReplayGuard(), 1);
            s.forwardSecret(forwardSecret);
            // the handles of the granted capabilities, in the same order: only this session can present them
            byte[] p = new FlatJson.Writer().str("status", "ok").str("session_id", sessionId)
                    .strings("capabilities", caps).strings("capability_handles", s.issuedHandles(caps))
                    .num("credit", s.availableCredit())
                    .num("idle_ms", endpoint.settings().idleTimeout.toMillis()).bytes();
            c.sendFrame(Handshakes.AUTH_RESPONSE, Handshakes.header(serverId, sessionId, "", seq++), p, hsSendMac);
            succeeded();
            s.peerIdleTimeout(HardenedClientHandshake.idleMillis(m));
            s.attach(c, 0, HardenedClientHandshake.credit(m));
        } else {
            long peerLast = FlatJson.number(m, "last_received");
            long last = resumeTarget.detachForResume();
            byte[] p = new FlatJson.Writer().str("status", "ok").str("session_id", sessionId)
                    .num("last_received", last).num("credit", resumeTarget.availableCredit())
                    .num("idle_ms", endpoint.settings().idleTimeout.toMillis()).bytes();
            c.sendFrame(Handshakes.AUTH_RESPONSE, Handshakes.header(serverId, sessionId, "", seq++), p, hsSendMac);
            succeeded();
            resumeTarget.peerIdleTimeout(HardenedClientHandshake.idleMillis(m));
            resumeTarget.attach(c, peerLast, HardenedClientHandshake.credit(m));
        }
        Arrays.fill(keysDerived.proofClient, (byte) 0);
        Arrays.fill(keysDerived.proofServer, (byte) 0);
    }

    static void checkCommon(Map<String, Object> m, String role) {
        if (!SessionKeys.PROTO.equals(m.get("proto"))) {
            throw new IpcException(ErrorCode.HANDSHAKE_FAILED, "not an " + SessionKeys.PROTO + " handshake");
        }
        if (!role.equals(m.get("role"))) {
            throw new IpcException(ErrorCode.HANDSHAKE_FAILED,
                    "handshake message of role '" + m.get("role") + "' where '" + role + "' was expected (reflection?)");
        }
    }

    @Override
    void release() {
        if (nonceServer != null) {
            endpoint.unregisterNonce(nonceServer);
        }
    }

    @Override
    void deny(Carrier c, ErrorCode code, String text) {
        FrameMac mac = hsSendMac;
        if (mac == null) {
            mac = endpoint.ctx().providers.integrity().newMac(SessionKeys.entry("hs:" + keys.get(0).id(),
                    SessionKeys.handshakeFrameKey(SessionKeys.raw(keys.get(0)))));
        }
        byte[] p = new FlatJson.Writer().str("status", "denied").str("code", code.name()).str("error", text).bytes();
        c.sendFrame(Handshakes.AUTH_RESPONSE, Handshakes.header(endpoint.settings().serviceId, "", "", seq++), p, mac);
        finish(c, new IpcException(code, text));
    }

    @Override
    void denyUnverified(Carrier c, IpcException cause) {
        deny(c, cause.code(), "authentication failed");
    }
}
