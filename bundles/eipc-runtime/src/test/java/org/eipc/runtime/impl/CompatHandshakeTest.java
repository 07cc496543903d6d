package org.eipc.runtime.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.eipc.api.ErrorCode;
import org.eipc.api.Header;
import org.eipc.api.IpcException;
import org.eipc.api.Message;
import org.eipc.api.MessageType;
import org.eipc.api.Session;
import org.eipc.protocol.FrameEncoder;
import org.eipc.protocol.FrameFlags;
import org.eipc.protocol.ProtocolMode;
import org.eipc.protocol.Timestamps;
import org.eipc.security.hmac.impl.HmacSha256Provider;
import org.eipc.spi.security.FrameMac;
import org.junit.jupiter.api.Test;

/**
 * The reference handshake against the Go vectors: our client against a server that replays the s2c transcript,
 * our server answering the c2s transcript, both denials, and the handshake deadline.
 */
class CompatHandshakeTest extends OneRuntime {
    static final String NONCE = "d68f24103c9b7a7db1c30a89d8cac6e977cf704ac40673381e166ef9c10884e2";
    static final String TOKEN = "7fd1ebbabf8ccd58841aedd60268894902ee1cc1ecf6803a367ff14f1dafd376";

    static EndpointSettings compat(String serviceId) {
        EndpointSettings s = Harness.settings(serviceId);
        s.mode = ProtocolMode.COMPAT;
        return s;
    }

    /** A random source that first hands out the vector's nonce and then its session token. */
    static EndpointSettings.RandomSource vectorRandom() {
        Deque<byte[]> q = new ArrayDeque<>(List.of(Hex.decode(NONCE, ErrorCode.INTERNAL),
                Hex.decode(TOKEN, ErrorCode.INTERNAL)));
        return n -> q.pop();
    }

    @Test
    void clientCompletesTheHandshakeAgainstTheScriptedReferenceServer() throws Exception {
        List<byte[]> s2c = WireFrames.split(WireFrames.resource("handshake-scripted-s2c.bin"));
        List<byte[]> c2s = WireFrames.split(WireFrames.resource("handshake-scripted-c2s.bin"));
        try (ServerSocket ss = new ServerSocket()) {
            ss.bind(new InetSocketAddress("127.0.0.1", 0));
            CompletableFuture<String> script = CompletableFuture.supplyAsync(() -> {
                try (Socket sock = ss.accept()) {
                    InputStream in = sock.getInputStream();
                    OutputStream out = sock.getOutputStream();
                    byte[] a = WireFrames.read(in);
                    assertEquals(WireFrames.payload(c2s.get(0)), WireFrames.payload(a));
                    out.write(s2c.get(0));
                    byte[] r = WireFrames.read(in);
                    assertEquals(WireFrames.payload(c2s.get(1)), WireFrames.payload(r), "challenge response");
                    out.write(s2c.get(1));
                    out.write(s2c.get(2)); // the 'a' ack, sequence 3
                    byte[] i = WireFrames.read(in);
                    return WireFrames.payload(i);
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            CompletableFuture<Message> got = new CompletableFuture<>();
            ClientEndpointImpl client = h.client(compat("nia.min"), (s, m) -> got.complete(m),
                    URI.create("tcp://127.0.0.1:" + ss.getLocalPort()));
            Session s = client.connect().toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertEquals(TOKEN, s.id());
            assertEquals(List.of("ui:control", "device:read"), client.grantedCapabilities());
            Message ack = got.get(10, TimeUnit.SECONDS);
            assertEquals(MessageType.ACK, ack.type());
            assertEquals("{\"request_id\":\"req-1\",\"status\":\"ok\"}",
                    new String(ack.payloadBytes(), StandardCharsets.UTF_8));
            s.send(Message.of(MessageType.INTENT, Header.builder().requestId("req-1").build(),
                    "{\"intent\":\"move_left\"}".getBytes(StandardCharsets.UTF_8)));
            assertEquals("{\"intent\":\"move_left\"}", script.get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void serverAnswersTheScriptedReferenceClientByteForByte() throws Exception {
        List<byte[]> s2c = WireFrames.split(WireFrames.resource("handshake-scripted-s2c.bin"));
        List<byte[]> c2s = WireFrames.split(WireFrames.resource("handshake-scripted-c2s.bin"));
        EndpointSettings ss = compat("eipc-server");
        ss.services.put("nia.min", List.of("ui:control", "device:read"));
        ss.random = vectorRandom();
        CompletableFuture<Message> intent = new CompletableFuture<>();
        ServerEndpointImpl server = h.server(ss, (s, m) -> {
            intent.complete(m);
            s.reply(m, Message.of(MessageType.ACK, Header.builder().build(),
                    "{\"request_id\":\"req-1\",\"status\":\"ok\"}".getBytes(StandardCharsets.UTF_8)));
        }, URI.create("tcp://127.0.0.1:0"));
        try (Socket sock = connect(server)) {
            InputStream in = sock.getInputStream();
            OutputStream out = sock.getOutputStream();
            out.write(c2s.get(0));
            byte[] hFrame = WireFrames.read(in);
            assertEquals(WireFrames.payload(s2c.get(0)), WireFrames.payload(hFrame));
            assertEquals("eipc-server", WireFrames.parse(hFrame).header().serviceId());
            assertEquals(1, WireFrames.parse(hFrame).header().sequence());
            out.write(c2s.get(1));
            byte[] ok = WireFrames.read(in);
            assertEquals(WireFrames.payload(s2c.get(1)), WireFrames.payload(ok));
            out.write(c2s.get(2));
            assertEquals("move_left".length() > 0, intent.get(10, TimeUnit.SECONDS).payloadLength() > 0);
            byte[] a = WireFrames.read(in);
            assertEquals(WireFrames.payload(s2c.get(2)), WireFrames.payload(a));
            assertEquals("req-1", WireFrames.parse(a).header().requestId());
            assertEquals(3, WireFrames.parse(a).header().sequence());
            assertEquals(TOKEN, server.sessions().iterator().next().id());
        }
    }

    @Test
    void unknownServiceIsDeniedWithTheReferenceText() throws Exception {
        List<byte[]> denied = WireFrames.split(WireFrames.resource("handshake-scripted-denied-unknown-service.bin"));
        EndpointSettings ss = compat("eipc-server");
        ss.services.put("nia.min", List.of("ui:control"));
        ServerEndpointImpl server = h.server(ss, (s, m) -> { }, URI.create("tcp://127.0.0.1:0"));
        try (Socket sock = connect(server)) {
            sock.getOutputStream().write(frame('A', "evil.svc", 1, "{\"service_id\":\"evil.svc\"}"));
            byte[] r = WireFrames.read(sock.getInputStream());
            assertEquals(WireFrames.payload(denied.get(0)), WireFrames.payload(r));
            assertNull(WireFrames.read(sock.getInputStream()), "the server closes after the denial");
        }
        assertEquals(ErrorCode.AUTH_FAILED, server.lastHandshakeFailure().code());
    }

    @Test
    void wrongChallengeResponseIsDeniedWithTheReferenceText() throws Exception {
        List<byte[]> denied = WireFrames.split(WireFrames.resource("handshake-scripted-denied-bad-response.bin"));
        List<byte[]> c2s = WireFrames.split(WireFrames.resource("handshake-scripted-c2s.bin"));
        EndpointSettings ss = compat("eipc-server");
        ss.random = vectorRandom();
        ServerEndpointImpl server = h.server(ss, (s, m) -> { }, URI.create("tcp://127.0.0.1:0"));
        try (Socket sock = connect(server)) {
            sock.getOutputStream().write(c2s.get(0));
            assertEquals(WireFrames.payload(denied.get(0)), WireFrames.payload(WireFrames.read(sock.getInputStream())));
            sock.getOutputStream().write(frame('R', "nia.min", 2,
                    "{\"service_id\":\"nia.min\",\"response\":\"" + "00".repeat(32) + "\"}"));
            assertEquals(WireFrames.payload(denied.get(1)), WireFrames.payload(WireFrames.read(sock.getInputStream())));
            assertNull(WireFrames.read(sock.getInputStream()));
        }
    }

    @Test
    void clientRefusesAChallengeThatIsAFrameToSign() throws Exception {
        try (ServerSocket ss = new ServerSocket()) {
            ss.bind(new InetSocketAddress("127.0.0.1", 0));
            CompletableFuture.runAsync(() -> {
                try (Socket sock = ss.accept()) {
                    WireFrames.read(sock.getInputStream());
                    // a rogue server asks for "EIPC..." bytes: the signable bytes of a forged frame
                    sock.getOutputStream().write(frame('H', "eipc-server", 1, "{\"status\":\"challenge\",\"nonce\":\""
                            + "45495043" + "00".repeat(28) + "\"}"));
                    WireFrames.read(sock.getInputStream());
                } catch (Exception e) {
                    // the client closes
                }
            });
            ClientEndpointImpl client = h.client(compat("nia.min"), (s, m) -> { },
                    URI.create("tcp://127.0.0.1:" + ss.getLocalPort()));
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> client.connect().toCompletableFuture().get(10, TimeUnit.SECONDS));
            assertEquals(ErrorCode.HANDSHAKE_FAILED, assertInstanceOf(IpcException.class, e.getCause()).code());
        }
    }

    @Test
    void aPeerThatNeverFinishesIsCutAtTheDeadlineAndTheHostKeepsServing() throws Exception {
        EndpointSettings ss = compat("eipc-server");
        ss.handshakeTimeout = Duration.ofMillis(300);
        CountDownLatch got = new CountDownLatch(1);
        ServerEndpointImpl server = h.server(ss, (s, m) -> got.countDown(), URI.create("tcp://127.0.0.1:0"));
        try (Socket silent = connect(server)) {
            silent.setSoTimeout(10_000);
            assertNull(WireFrames.read(silent.getInputStream()), "closed by the server at the deadline");
        }
        assertEquals(ErrorCode.HANDSHAKE_TIMEOUT, server.lastHandshakeFailure().code());
        ClientEndpointImpl client = h.client(compat("nia.min"), (s, m) -> { }, server.address());
        Session s = client.connect().toCompletableFuture().get(10, TimeUnit.SECONDS);
        s.send(Message.of(MessageType.HEARTBEAT, Header.builder().build(), new byte[0]));
        assertTrue(got.await(10, TimeUnit.SECONDS));
    }

    @Test
    void connectionsBeyondThePendingHandshakeLimitAreClosedAtOnce() throws Exception {
        EndpointSettings ss = compat("eipc-server");
        ss.maxPendingHandshakes = 2;
        ServerEndpointImpl server = h.server(ss, (s, m) -> { }, URI.create("tcp://127.0.0.1:0"));
        try (Socket one = connect(server); Socket two = connect(server)) {
            HardenedHandshakeTest.waitFor(() -> server.pendingHandshakes() == 2);
            try (Socket three = connect(server)) {
                assertNull(WireFrames.read(three.getInputStream()), "refused at accept");
            }
            assertEquals(ErrorCode.QUOTA_EXCEEDED, server.lastHandshakeFailure().code());
        }
        HardenedHandshakeTest.waitFor(() -> server.pendingHandshakes() == 0);
        Session s = h.client(compat("nia.min"), (x, m) -> { }, server.address()).connect().toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        assertTrue(s.isOpen());
        assertEquals(0, server.pendingHandshakes());
    }

    private static Socket connect(ServerEndpointImpl server) throws Exception {
        URI a = server.address();
        Socket s = new Socket(a.getHost(), a.getPort());
        s.setSoTimeout(10_000);
        return s;
    }

    /** A frame signed with the vector key, as a reference peer would send it. */
    static byte[] frame(char type, String serviceId, long seq, String payload) {
        FrameMac mac = new HmacSha256Provider().newMac(StaticKeyring.key("k1", Harness.VECTOR_KEY, null));
        Header hd = Header.builder().serviceId(serviceId).sequence(seq).timestamp(Timestamps.format(Instant.now()))
                .build();
        byte[] p = payload.getBytes(StandardCharsets.UTF_8);
        FrameEncoder enc = new FrameEncoder();
        ByteBuffer out = ByteBuffer.allocate(enc.encodedLength(hd, p.length, true) + 4);
        enc.encodeWithPrefix((byte) type, FrameFlags.HMAC, hd, ByteBuffer.wrap(p), mac, out);
        return out.array();
    }
}
