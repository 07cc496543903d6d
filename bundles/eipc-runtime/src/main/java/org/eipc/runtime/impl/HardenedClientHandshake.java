package org.eipc.runtime.impl;

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
 * The hardened handshake {@code eipc-h1}, client side; a full handshake or, with a session, a resume. See
 * {@link HardenedServerHandshake} for the messages. The client MACs nothing it did not help choose: both proofs
 * are keyed by HKDF over both nonces, so a server cannot make it sign a value of the server's choosing.
 */
final class HardenedClientHandshake extends HandshakeBase {
    private final ClientEndpointImpl endpoint;
    private final String serviceId;
    private final KeyEntry key;
    private final IntegrityProvider integrity;
    private final SessionImpl resume; // null for a full handshake
    private final FrameMac hsSendMac;
    private final byte[] nonceClient;
    private long lastSeq;
    private long seq = 1;
    private byte[] transcript;
    private SessionKeys keysDerived;
    private String sessionId;
    private String serverId;
    private boolean challenged;
    /** The ephemeral X25519 pair of a full handshake with forward secrecy, forgotten once the keys are derived. */
    private java.security.KeyPair eph;
    private boolean forwardSecret;

    HardenedClientHandshake(ClientEndpointImpl endpoint, String serviceId, KeyEntry key, IntegrityProvider integrity,
            SessionImpl resume) {
        this.endpoint = endpoint;
        this.serviceId = serviceId;
        this.key = key;
        this.integrity = integrity;
        this.resume = resume;
        this.hsSendMac = integrity.newMac(handshakeKey(key));
        this.nonceClient = endpoint.settings().random.next(SessionKeys.NONCE_LENGTH);
    }

    static KeyEntry handshakeKey(KeyEntry key) {
        return SessionKeys.entry("hs:" + key.id(), SessionKeys.handshakeFrameKey(SessionKeys.raw(key)));
    }

    /** The peer's receive window from a handshake payload, or -1 when it sent none. */
    /** The peer's idle timeout in milliseconds ({@code idle_ms}), or -1 from a peer that does not send it. */
    static long idleMillis(Map<String, Object> m) {
        return m.containsKey("idle_ms") ? FlatJson.number(m, "idle_ms") : -1;
    }

    static long credit(Map<String, Object> m) {
        return m.containsKey("credit") ? FlatJson.number(m, "credit") : -1;
    }

    @Override
    void start() {
        FlatJson.Writer w = new FlatJson.Writer().str("proto", SessionKeys.PROTO).str("role", "client")
                .str("service_id", serviceId).str("key_id", key.id()).str("nonce", Hex.encode(nonceClient));
        if (resume != null) {
            w.str("resume", resume.id());
        } else if (endpoint.settings().forwardSecrecy != EndpointSettings.ForwardSecrecy.OFF) {
            eph = X25519.generate();
            w.str("eph", Hex.encode(X25519.publicBytes(eph)));
        }
        carrier.sendFrame(Handshakes.AUTH, Handshakes.header(serviceId, "", "", seq++), w.bytes(), hsSendMac);
    }

    @Override
    void step(Carrier c, Frame f) {
        long s = f.header().sequence();
        if (Long.compareUnsigned(s, lastSeq) <= 0) {
            throw new IpcException(ErrorCode.REPLAY_DUPLICATE, "handshake frame replayed");
        }
        lastSeq = s;
        Map<String, Object> m = FlatJson.parse(f.payload());
        if (f.typeByte() == Handshakes.AUTH_RESPONSE && "denied".equals(m.get("status"))) {
            throw denial(m);
        }
        if (!challenged) {
            challenge(c, f, m);
        } else {
            result(c, f, m);
        }
    }

    private void challenge(Carrier c, Frame f, Map<String, Object> m) {
        Handshakes.expectType(f.typeByte(), Handshakes.CHALLENGE, "server challenge");
        HardenedServerHandshake.checkCommon(m, "server");
        if (!key.id().equals(FlatJson.string(m, "key_id"))) {
            throw new IpcException(ErrorCode.HANDSHAKE_FAILED, "server answered for another key");
        }
        byte[] ns = Handshakes.nonce(FlatJson.string(m, "nonce"));
        if (Arrays.equals(ns, nonceClient)) {
            throw new IpcException(ErrorCode.HANDSHAKE_FAILED, "server reflected our nonce");
        }
        sessionId = FlatJson.string(m, "session_id");
        if (resume != null && !resume.id().equals(sessionId)) {
            throw new IpcException(ErrorCode.HANDSHAKE_FAILED, "server resumed another session");
        }
        serverId = FlatJson.string(m, "service_id");
        String kind = resume == null ? "full" : "resume";
        String se = FlatJson.optString(m, "eph");
        byte[] ephServer = se == null ? new byte[0] : Hex.decode(se, ErrorCode.HANDSHAKE_FAILED);
        if (se != null && eph == null) {
            throw new IpcException(ErrorCode.HANDSHAKE_FAILED, "server sent an ephemeral key we did not ask for");
        }
        if (eph != null && se == null
                && endpoint.settings().forwardSecrecy == EndpointSettings.ForwardSecrecy.REQUIRE) {
            throw new IpcException(ErrorCode.HANDSHAKE_FAILED, "the server does not agree to forward secrecy");
        }
        byte[] dh = eph != null && se != null ? X25519.agree(eph.getPrivate(), ephServer) : null;
        byte[] ephClient = eph == null ? new byte[0] : X25519.publicBytes(eph);
        eph = null;
        forwardSecret = dh != null;
        transcript = SessionKeys.transcript(kind, serviceId, serverId, key.id(), nonceClient, ns, sessionId, ephClient,
                ephServer);
        keysDerived = resume == null ? SessionKeys.full(SessionKeys.raw(key), dh, nonceClient, ns, transcript)
                : SessionKeys.resume(resume.resumeSecret, nonceClient, ns, transcript);
        byte[] ps = Hex.decode(FlatJson.string(m, "proof"), ErrorCode.HANDSHAKE_FAILED);
        if (!Hkdf.equal(ps, SessionKeys.proof(keysDerived.proofServer, transcript))) {
            throw new IpcException(ErrorCode.AUTH_FAILED, "server proof does not verify");
        }
        FlatJson.Writer w = new FlatJson.Writer().str("proto", SessionKeys.PROTO).str("role", "client")
                .str("proof", Hex.encode(SessionKeys.proof(keysDerived.proofClient, transcript)));
        if (resume != null) {
            w.num("last_received", resume.detachForMove());
        }
        w.num("credit", resume != null ? resume.availableCredit() : endpoint.settings().receiveWindow);
        w.num("idle_ms", endpoint.settings().idleTimeout.toMillis());
        challenged = true;
        c.sendFrame(Handshakes.AUTH_RESPONSE, Handshakes.header(serviceId, sessionId, "", seq++), w.bytes(), hsSendMac);
    }

    private void result(Carrier c, Frame f, Map<String, Object> m) {
        Handshakes.expectType(f.typeByte(), Handshakes.AUTH_RESPONSE, "auth result");
        if (!"ok".equals(m.get("status")) || !sessionId.equals(FlatJson.string(m, "session_id"))) {
            throw new IpcException(ErrorCode.HANDSHAKE_FAILED, "unexpected auth result");
        }
        if (resume != null) {
            long peerLast = FlatJson.number(m, "last_received");
            resume.peerIdleTimeout(idleMillis(m));
            resume.attach(c, peerLast, credit(m));
            result.complete(resume);
            return;
        }
        List<String> caps = FlatJson.strings(m, "capabilities");
        final KeyEntry s2c = SessionKeys.entry("session:s2c", keysDerived.s2c);
        SessionImpl s = endpoint.newSession(sessionId, Handshakes.identity(serverId, List.of(), c.connection()), caps,
                ProtocolMode.STRICT, integrity.newMac(SessionKeys.entry("session:c2s", keysDerived.c2s)),
                () -> integrity.newMac(s2c), keysDerived.resume, endpoint.ctx().providers.newReplayGuard(), 1);
        List<String> handles = FlatJson.strings(m, "capability_handles");
        if (!handles.isEmpty()) {
            if (handles.size() != caps.size()) {
                throw new IpcException(ErrorCode.HANDSHAKE_FAILED, "capability handles do not match the capabilities");
            }
            java.util.Map<String, String> byName = new java.util.LinkedHashMap<>();
            for (int i = 0; i < caps.size(); i++) {
                byName.put(caps.get(i), handles.get(i));
            }
            s.capabilityHandles(byName);
        }
        s.forwardSecret(forwardSecret);
        s.peerIdleTimeout(idleMillis(m));
        s.attach(c, 0, credit(m));
        result.complete(s);
    }
}
