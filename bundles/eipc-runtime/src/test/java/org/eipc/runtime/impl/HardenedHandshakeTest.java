package org.eipc.runtime.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.eipc.api.ErrorCode;
import org.eipc.api.Header;
import org.eipc.api.IpcException;
import org.eipc.api.Message;
import org.eipc.api.MessageType;
import org.eipc.api.SendResult;
import org.eipc.api.Session;
import org.eipc.protocol.Frame;
import org.eipc.protocol.FrameEncoder;
import org.eipc.protocol.FrameFlags;
import org.eipc.protocol.Timestamps;
import org.eipc.security.hmac.impl.HmacSha256Provider;
import org.eipc.spi.keyring.KeyEntry;
import org.eipc.spi.security.FrameMac;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The hardened handshake eipc-h1: mutual proofs, reflection, session-bound frame keys, key rotation. */
class HardenedHandshakeTest {
    static final String OTHER_KEY = "another-secret-of-32-bytes-long!";

    private final Harness serverSide = new Harness(new StaticKeyring(StaticKeyring.key("k1", Harness.VECTOR_KEY, null)));
    private Harness clientSide;

    @AfterEach
    void close() {
        if (clientSide != null) {
            clientSide.close();
        }
        serverSide.close();
    }

    private ServerEndpointImpl server(List<String> received) {
        EndpointSettings s = Harness.settings("host");
        s.services.put("app", List.of("ui:control"));
        return serverSide.server(s, (sess, m) -> received.add(new String(m.payloadBytes(), StandardCharsets.UTF_8)),
                URI.create("tcp://127.0.0.1:0"));
    }

    private Session connect(StaticKeyring keys, URI to) throws Exception {
        if (clientSide != null) {
            clientSide.close();
        }
        clientSide = new Harness(keys);
        ClientEndpointImpl c = clientSide.client(Harness.settings("app"), (s, m) -> { }, to);
        return c.connect().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static IpcException failure(ExecutionException e) {
        return assertInstanceOf(IpcException.class, e.getCause());
    }

    @Test
    void bothSidesProveTheKeyAndTheSessionCarriesCapabilities() throws Exception {
        List<String> got = new CopyOnWriteArrayList<>();
        ServerEndpointImpl server = server(got);
        Session s = connect(new StaticKeyring(StaticKeyring.key("k1", Harness.VECTOR_KEY, null)), server.address());
        assertEquals("host", s.peer().serviceId());
        Session atServer = server.sessions().iterator().next();
        assertEquals("app", atServer.peer().serviceId());
        assertEquals(java.util.Set.of("ui:control"), atServer.peer().capabilities());
        assertEquals(s.id(), atServer.id());
    }

    @Test
    void wrongKeyIsAuthFailedOnBothSides() throws Exception {
        ServerEndpointImpl server = server(new CopyOnWriteArrayList<>());
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> connect(new StaticKeyring(StaticKeyring.key("k1", OTHER_KEY, null)), server.address()));
        assertEquals(ErrorCode.AUTH_FAILED, failure(e).code());
        waitFor(() -> server.lastHandshakeFailure() != null);
        assertEquals(ErrorCode.AUTH_FAILED, server.lastHandshakeFailure().code());
        assertTrue(server.sessions().isEmpty());
    }

    @Test
    void unknownServiceIsAuthFailed() throws Exception {
        ServerEndpointImpl server = server(new CopyOnWriteArrayList<>());
        clientSide = new Harness(new StaticKeyring(StaticKeyring.key("k1", Harness.VECTOR_KEY, null)));
        ClientEndpointImpl c = clientSide.client(Harness.settings("intruder"), (s, m) -> { }, server.address());
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> c.connect().toCompletableFuture().get(10, TimeUnit.SECONDS));
        assertEquals(ErrorCode.AUTH_FAILED, failure(e).code());
    }

    @Test
    void theServersChallengeSentBackToItIsHandshakeFailed() throws Exception {
        ServerEndpointImpl server = server(new CopyOnWriteArrayList<>());
        KeyEntry k = StaticKeyring.key("k1", Harness.VECTOR_KEY, null);
        FrameMac hs = new HmacSha256Provider().newMac(HardenedClientHandshake.handshakeKey(k));
        try (Socket sock = connect(server)) {
            OutputStream out = sock.getOutputStream();
            InputStream in = sock.getInputStream();
            out.write(frame('A', 1, hello("app", "k1", nonce()), hs));
            byte[] challenge = WireFrames.read(in);
            assertEquals('H', WireFrames.parse(challenge).typeByte());
            out.write(challenge); // reflected verbatim: a valid MAC, but the server's own role
            Map<String, Object> denial = FlatJson.parse(WireFrames.parse(WireFrames.read(in)).payload());
            assertEquals("denied", denial.get("status"));
            assertEquals("HANDSHAKE_FAILED", denial.get("code"));
        }
        waitFor(() -> server.lastHandshakeFailure() != null);
        assertEquals(ErrorCode.HANDSHAKE_FAILED, server.lastHandshakeFailure().code());
    }

    @Test
    void theServersNonceOfferedAsAClientNonceIsHandshakeFailed() throws Exception {
        ServerEndpointImpl server = server(new CopyOnWriteArrayList<>());
        KeyEntry k = StaticKeyring.key("k1", Harness.VECTOR_KEY, null);
        FrameMac hs = new HmacSha256Provider().newMac(HardenedClientHandshake.handshakeKey(k));
        try (Socket first = connect(server); Socket second = connect(server)) {
            first.getOutputStream().write(frame('A', 1, hello("app", "k1", nonce()), hs));
            Frame challenge = WireFrames.parse(WireFrames.read(first.getInputStream()));
            String serverNonce = FlatJson.string(FlatJson.parse(challenge.payload()), "nonce");
            second.getOutputStream().write(frame('A', 1, hello("app", "k1", serverNonce), hs));
            Map<String, Object> denial = FlatJson.parse(
                    WireFrames.parse(WireFrames.read(second.getInputStream())).payload());
            assertEquals("HANDSHAKE_FAILED", denial.get("code"));
        }
    }

    @Test
    void aFrameRecordedInOneSessionFailsItsMacInAnother() throws Exception {
        List<String> got = new CopyOnWriteArrayList<>();
        ServerEndpointImpl server = server(got);
        try (RecordingProxy proxy = new RecordingProxy(server.address())) {
            StaticKeyring keys = new StaticKeyring(StaticKeyring.key("k1", Harness.VECTOR_KEY, null));
            clientSide = new Harness(keys);
            ClientEndpointImpl first = clientSide.client(Harness.settings("app"), (s, m) -> { }, proxy.address());
            Session one = first.connect().toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertEquals(SendResult.OK, one.send(Message.of(MessageType.INTENT, Header.builder().build(),
                    "transfer 100".getBytes(StandardCharsets.UTF_8))));
            waitFor(() -> got.size() == 1);
            byte[] recordedIntent = null;
            for (byte[] f : WireFrames.split(proxy.recorded(0))) {
                if (WireFrames.parse(f).typeByte() == 'i') {
                    recordedIntent = f;
                }
            }
            ClientEndpointImpl second = clientSide.client(Harness.settings("app"), (s, m) -> { }, proxy.address());
            Session two = second.connect().toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertNotEquals(one.id(), two.id());
            long lossesBefore = server.carrierLosses();
            proxy.inject(1, recordedIntent);
            waitFor(() -> server.carrierLosses() > lossesBefore);
            assertEquals(ErrorCode.MAC_INVALID, server.lastCarrierLoss().code());
            assertEquals(List.of("transfer 100"), got, "the replayed frame was never delivered");
        }
    }

    @Test
    void aClientOnThePreviousKeyAuthenticatesDuringTheOverlapAndNotAfterRetirement() throws Exception {
        KeyEntry k1 = StaticKeyring.key("k1", Harness.VECTOR_KEY, null);
        KeyEntry k2 = StaticKeyring.key("k2", OTHER_KEY, null);
        serverSide.keyring.set(k2, k1.retiringAt(Instant.now().plus(Duration.ofHours(1))));
        ServerEndpointImpl server = server(new CopyOnWriteArrayList<>());
        Session old = connect(new StaticKeyring(k1), server.address());
        assertTrue(old.isOpen());
        Session current = connect(new StaticKeyring(k2), server.address());
        assertTrue(current.isOpen());

        serverSide.keyring.set(k2, k1.retiringAt(Instant.now().minusSeconds(1)));
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> connect(new StaticKeyring(k1), server.address()));
        assertEquals(ErrorCode.AUTH_FAILED, failure(e).code());
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    static void waitFor(java.util.function.BooleanSupplier c) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.sleep(5);
        }
    }

    private static Socket connect(ServerEndpointImpl server) throws Exception {
        URI a = server.address();
        Socket s = new Socket(a.getHost(), a.getPort());
        s.setSoTimeout(10_000);
        return s;
    }

    private static String nonce() {
        byte[] n = new byte[32];
        new SecureRandom().nextBytes(n);
        return Hex.encode(n);
    }

    private static String hello(String service, String keyId, String nonce) {
        return new String(new FlatJson.Writer().str("proto", "eipc-h1").str("role", "client").str("service_id", service)
                .str("key_id", keyId).str("nonce", nonce).bytes(), StandardCharsets.UTF_8);
    }

    private static byte[] frame(char type, long seq, String payload, FrameMac mac) {
        Header hd = Header.builder().serviceId("app").sequence(seq).timestamp(Timestamps.format(Instant.now())).build();
        byte[] p = payload.getBytes(StandardCharsets.UTF_8);
        FrameEncoder enc = new FrameEncoder();
        ByteBuffer out = ByteBuffer.allocate(enc.encodedLength(hd, p.length, true) + 4);
        enc.encodeWithPrefix((byte) type, FrameFlags.HMAC, hd, ByteBuffer.wrap(p), mac, out);
        return out.array();
    }
}
