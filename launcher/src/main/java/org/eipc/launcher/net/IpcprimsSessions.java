package org.eipc.launcher.net;

import java.io.PrintStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ScheduledExecutorService;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;
import org.eipc.protocol.ipcprims.IpcprimsConfig;
import org.eipc.protocol.ipcprims.IpcprimsPeer;
import org.eipc.protocol.ipcprims.IpcprimsPeerListener;
import org.eipc.spi.transport.Listener;
import org.eipc.spi.transport.OfferResult;
import org.eipc.spi.transport.PeerCredentials;
import org.eipc.spi.transport.Transport;

/** The ipcprims protocol for the network commands: data frames on channels; {@code type} is the channel number. */
public final class IpcprimsSessions {
    private IpcprimsSessions() {
    }

    /** The channel a {@code --type} names for ipcprims: a number from 1 to 65535 (default 1). */
    public static int channel(String type) {
        if (type == null) {
            return 1;
        }
        try {
            int ch = Integer.parseInt(type);
            if (ch >= 1 && ch <= 0xFFFF) {
                return ch;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IpcException(ErrorCode.CONFIG_INVALID, "--type for ipcprims is a channel number 1..65535, not '"
                + type + "'");
    }

    /** Connects and handshakes, requesting {@code channel}. */
    public static ClientSession connect(Transport transport, URI address, String type, Duration timeout,
            ScheduledExecutorService timer) {
        int channel = channel(type);
        IpcprimsClient client = IpcprimsClient.connect(transport, address, new int[] {channel}, timeout, timer);
        return new Client(client, address);
    }

    /**
     * Listens on {@code address}; every data frame on a negotiated channel goes to {@code handler}, and a
     * non-null answer goes back on the same channel.
     */
    public static MessageServer listen(Transport transport, URI address, MessageServer.Handler handler,
            ScheduledExecutorService timer, PrintStream log) {
        IpcprimsConfig config = IpcprimsConfig.server().withTimer(timer, System::nanoTime);
        Listener listener = transport.listen(address, c -> new IpcprimsPeer(config, new ServerPeer(handler, log)));
        return new MessageServer() {
            @Override
            public URI address() {
                return listener.address();
            }

            @Override
            public void close() {
                listener.close();
            }
        };
    }

    private static final class ServerPeer implements IpcprimsPeerListener {
        private final MessageServer.Handler handler;
        private final PrintStream log;
        private volatile IpcprimsPeer peer;

        ServerPeer(MessageServer.Handler handler, PrintStream log) {
            this.handler = handler;
            this.log = log;
        }

        @Override
        public void onHandshake(IpcprimsPeer p) {
            peer = p;
            log.println("eipc: ipcprims client " + p.peerId() + " connected, channels "
                    + Arrays.toString(p.negotiatedChannels()));
        }

        @Override
        public void onFrame(int channel, ByteBuffer payload) {
            byte[] bytes = new byte[payload.remaining()];
            payload.get(bytes);
            IpcprimsPeer p = peer;
            JsonObject fields = Json.createObjectBuilder().add("protocol", "ipcprims").add("channel", channel)
                    .add("peer_id", p == null || p.peerId() == null ? "" : p.peerId()).build();
            byte[] reply = handler.onMessage(new Received(fields, bytes));
            if (reply != null && p != null && p.send(channel, reply) != OfferResult.ACCEPTED) {
                log.println("eipc: reply to " + p.peerId() + " dropped (back-pressure or closed)");
            }
        }

        @Override
        public void onClosed(IpcprimsPeer p, IpcException cause) {
            log.println("eipc: ipcprims client " + (p.peerId() == null ? "(before handshake)" : p.peerId())
                    + " disconnected" + (cause == null ? "" : ": " + cause.code() + " " + cause.getMessage()));
        }
    }

    private static final class Client implements ClientSession {
        private final IpcprimsClient client;
        private final URI address;

        Client(IpcprimsClient client, URI address) {
            this.client = client;
            this.address = address;
        }

        @Override
        public void send(String type, byte[] payload, Duration timeout) {
            client.send(channel(type), payload, timeout);
        }

        @Override
        public Received request(String type, byte[] payload, Duration timeout) {
            int channel = channel(type);
            client.send(channel, payload, timeout);
            while (true) {
                IpcprimsClient.Frame f = client.await(IpcprimsClient.Frame.class, timeout);
                if (f.channel() == channel) {
                    return new Received(Json.createObjectBuilder().add("protocol", "ipcprims")
                            .add("channel", f.channel()).build(), f.payload());
                }
            }
        }

        @Override
        public long ping(Duration timeout) {
            client.ping(timeout);
            return client.await(IpcprimsClient.Pong.class, timeout).rttNanos();
        }

        @Override
        public JsonObject info() {
            IpcprimsPeer p = client.peer();
            JsonArrayBuilder channels = Json.createArrayBuilder();
            for (int ch : p.negotiatedChannels()) {
                channels.add(ch);
            }
            JsonObjectBuilder b = Json.createObjectBuilder().add("address", address.toString())
                    .add("protocol", "ipcprims")
                    .add("protocol_version", p.remoteVersion() == null ? "" : p.remoteVersion().toString())
                    .add("peer_id", p.peerId() == null ? "" : p.peerId()).add("channels", channels);
            PeerCredentials cred = p.connection() == null ? PeerCredentials.UNKNOWN : p.connection().peerCredentials();
            JsonObjectBuilder c = Json.createObjectBuilder();
            cred.uid().ifPresent(v -> c.add("uid", v));
            cred.gid().ifPresent(v -> c.add("gid", v));
            cred.pid().ifPresent(v -> c.add("pid", v));
            if (!cred.principal().isEmpty()) {
                c.add("principal", cred.principal());
            }
            return b.add("peer_credentials", c).build();
        }

        @Override
        public void finish(Duration timeout) {
            client.shutdown(timeout);
        }

        @Override
        public void close() {
            client.close();
        }
    }
}
