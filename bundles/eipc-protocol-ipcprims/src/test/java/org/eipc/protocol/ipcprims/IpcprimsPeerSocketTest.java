package org.eipc.protocol.ipcprims;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;
import org.eipc.spi.transport.OfferResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two peers talking over a real Unix domain socket: handshake, ping, data both ways, shutdown. */
class IpcprimsPeerSocketTest {
    private Path dir;
    private Path socket;

    /** Records events as strings; frames as "ch:text" (or "ch:<n bytes>" for large ones). */
    static final class Recorder implements IpcprimsPeerListener {
        final BlockingQueue<String> events = new LinkedBlockingQueue<>();
        volatile IpcprimsPeer echoVia; // when set, COMMAND frames are echoed back
        volatile IpcException cause;

        @Override
        public void onFrame(int channel, ByteBuffer payload) {
            if (payload.remaining() > 64) {
                events.add(channel + ":<" + payload.remaining() + " bytes>");
                return;
            }
            final byte[] b = new byte[payload.remaining()];
            payload.duplicate().get(b);
            events.add(channel + ":" + new String(b, StandardCharsets.UTF_8));
            final IpcprimsPeer p = echoVia;
            if (p != null && channel == IpcprimsChannels.COMMAND) {
                assertEquals(OfferResult.ACCEPTED, p.send(channel, payload));
            }
        }

        @Override
        public void onHandshake(IpcprimsPeer peer) {
            events.add("handshake:" + peer.peerId());
        }

        @Override
        public void onPong(long pingNumber, long rttNanos) {
            events.add("pong:" + pingNumber);
        }

        @Override
        public void onShutdownRequested(IpcprimsPeer peer) {
            events.add("shutdownRequested");
        }

        @Override
        public void onClosed(IpcprimsPeer peer, IpcException c) {
            cause = c;
            events.add("closed:" + (c == null ? "ok" : c.code().name()));
        }

        String next() throws InterruptedException {
            final String e = events.poll(20, TimeUnit.SECONDS);
            assertNotNull(e, "event expected");
            return e;
        }
    }

    @BeforeEach
    void bind() throws IOException {
        dir = Files.createTempDirectory("ipcp");
        socket = dir.resolve("s.sock");
    }

    @AfterEach
    void clean() throws IOException {
        Files.deleteIfExists(socket);
        Files.deleteIfExists(dir);
    }

    @Test
    void shouldHandshakePingExchangeDataAndShutDownOverAUnixSocket() throws Exception {
        final Recorder serverEvents = new Recorder();
        final Recorder clientEvents = new Recorder();
        final IpcprimsPeer server = new IpcprimsPeer(IpcprimsConfig.server(), serverEvents);
        serverEvents.echoVia = server;
        final IpcprimsPeer client = new IpcprimsPeer(
                IpcprimsConfig.client(1, 2, 256).withAuthToken("tok-123".toCharArray()), clientEvents);

        try (var listener = java.nio.channels.ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            listener.bind(UnixDomainSocketAddress.of(socket));
            final var clientChannel = java.nio.channels.SocketChannel.open(UnixDomainSocketAddress.of(socket));
            final var serverChannel = listener.accept();
            final SocketChannelConnection sc = new SocketChannelConnection(serverChannel, server, "server");
            final SocketChannelConnection cc = new SocketChannelConnection(clientChannel, client, "client");
            sc.start();
            assertThrows(IpcException.class, () -> client.send(1, new byte[1]), "not before the handshake");
            cc.start();

            assertEquals("handshake:peer-1", serverEvents.next());
            assertEquals("handshake:peer-1", clientEvents.next());
            assertArrayEquals(new int[] {1, 2}, client.negotiatedChannels(), "256 is not supported by the server");
            assertArrayEquals(new int[] {1, 2}, server.negotiatedChannels());
            assertArrayEquals("tok-123".toCharArray(), server.takeClientAuthToken());

            assertEquals(OfferResult.ACCEPTED, client.ping());
            assertEquals("pong:1", clientEvents.next());
            assertEquals(OfferResult.ACCEPTED, server.ping());
            assertEquals("pong:1", serverEvents.next());

            final byte[] big = new byte[256 * 1024];
            for (int i = 0; i < big.length; i++) {
                big[i] = (byte) i;
            }
            assertEquals(OfferResult.ACCEPTED, client.send(IpcprimsChannels.DATA, big));
            assertEquals(OfferResult.ACCEPTED, client.send(IpcprimsChannels.COMMAND,
                    "{\"action\":\"ping\",\"id\":1}".getBytes(StandardCharsets.UTF_8)));
            assertEquals("2:<262144 bytes>", serverEvents.next());
            assertEquals("1:{\"action\":\"ping\",\"id\":1}", serverEvents.next());
            assertEquals("1:{\"action\":\"ping\",\"id\":1}", clientEvents.next(), "echoed");
            final IpcException notNegotiated = assertThrows(IpcException.class,
                    () -> client.send(3, new byte[1]));
            assertEquals(ErrorCode.PROTOCOL_VIOLATION, notNegotiated.code());

            assertEquals(OfferResult.ACCEPTED, client.shutdown());
            assertEquals("shutdownRequested", serverEvents.next());
            assertEquals("closed:ok", clientEvents.next());
            assertEquals("closed:ok", serverEvents.next());
            assertNull(clientEvents.cause);
            assertNull(serverEvents.cause);
            assertEquals(IpcprimsPeer.State.CLOSED, client.state());
            assertEquals(IpcprimsPeer.State.CLOSED, server.state());
            sc.join();
            cc.join();
        }
    }

    @Test
    void shouldCloseTheServerWhenTheClientSendsGarbage() throws Exception {
        final Recorder serverEvents = new Recorder();
        final IpcprimsPeer server = new IpcprimsPeer(IpcprimsConfig.server(), serverEvents);
        try (var listener = java.nio.channels.ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            listener.bind(UnixDomainSocketAddress.of(socket));
            try (var raw = java.nio.channels.SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
                final SocketChannelConnection sc = new SocketChannelConnection(listener.accept(), server, "server");
                sc.start();
                raw.write(ByteBuffer.wrap("PI\0\0\0\0\0\0".getBytes(StandardCharsets.US_ASCII)));
                assertEquals("closed:BAD_MAGIC", serverEvents.next());
                assertEquals(0, serverEvents.cause.offset());
                // the server closed without sending anything: the client reads end-of-stream (or a reset,
                // which Linux reports when the closing side left unread bytes behind)
                int n;
                try {
                    n = raw.read(ByteBuffer.allocate(16));
                } catch (IOException reset) {
                    n = -1;
                }
                assertEquals(-1, n);
                sc.join();
            }
        }
    }
}
