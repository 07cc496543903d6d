package org.eipc.bench.runtime;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import org.eipc.api.Endpoint;
import org.eipc.api.Header;
import org.eipc.api.Message;
import org.eipc.api.MessageType;
import org.eipc.runtime.EipcRuntimes;
import org.eipc.runtime.EndpointOptions;
import org.eipc.runtime.StandaloneRuntime;
import org.eipc.security.hmac.impl.HmacSha256Provider;
import org.eipc.transport.tcp.impl.TcpTransport;
import org.eipc.transport.unix.impl.UnixTransport;

/**
 * The child process of {@link RuntimeRttBench}: a standalone runtime (strict mode, hardened handshake, HMAC-SHA256
 * on every frame) listening on one address, answering every request with {@code session.reply} and a 64-byte
 * payload. Prints {@code READY <uri>} and serves until stdin closes.
 *
 * <pre>
 * RuntimePeer tcp|unix DIR
 * </pre>
 */
public final class RuntimePeer {
    static final String SERVER_ID = "bench.server";
    static final String CLIENT_ID = "bench.client";
    static final int PAYLOAD = 64;

    private RuntimePeer() {
    }

    public static void main(final String[] args) throws Exception {
        final String scheme = args[0];
        final Path dir = Path.of(args[1]);
        final URI address = "tcp".equals(scheme) ? URI.create("tcp://127.0.0.1:0")
                : URI.create("unix://" + dir.resolve("rt.sock"));
        final Message reply = Message.of(MessageType.INTENT, Header.builder().build(), new byte[PAYLOAD]);
        try (TcpTransport tcp = new TcpTransport(); UnixTransport unix = new UnixTransport();
                StandaloneRuntime runtime = EipcRuntimes.standalone(List.of(tcp, unix), new HmacSha256Provider(),
                        new org.eipc.runtime.FixedKeyring("bench", "eipc-runtime-rtt-bench-key-32by!".getBytes(java.nio.charset.StandardCharsets.US_ASCII)))) {
            final Endpoint ep = runtime.listen(List.of(address), serverOptions(), (session, m) -> {
                if (!m.header().requestId().isEmpty()) {
                    session.reply(m, reply);
                }
            });
            System.out.println("READY " + ep.address());
            System.out.flush();
            final BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            while (in.readLine() != null) {
                // run until the parent closes our stdin
            }
            ep.close();
        }
    }

    /** {@code -Deipc.bench.ioThread=true} (parent and child): both endpoints with {@code deliverOnIoThread}. */
    static final boolean IO_THREAD = Boolean.getBoolean("eipc.bench.ioThread");

    static EndpointOptions serverOptions() {
        return EndpointOptions.builder().mode(EndpointOptions.Mode.STRICT).serviceId(SERVER_ID)
                .service(CLIENT_ID, List.of()).deliverOnIoThread(IO_THREAD).build();
    }

    static EndpointOptions clientOptions() {
        return EndpointOptions.builder().mode(EndpointOptions.Mode.STRICT).serviceId(CLIENT_ID)
                .deliverOnIoThread(IO_THREAD).build();
    }
}
