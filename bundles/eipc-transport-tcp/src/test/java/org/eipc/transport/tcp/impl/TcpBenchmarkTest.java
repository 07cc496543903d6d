package org.eipc.transport.tcp.impl;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.function.Supplier;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Throwaway numbers, excluded from the normal build: {@code -Dbench.excluded=none -Dgroups=benchmark}. */
@Tag("benchmark")
class TcpBenchmarkTest {

    @Test
    void tcpNumbers() throws Exception {
        TcpTransport t = new TcpTransport(4L << 20, 64 * 1024, 1, TestTls.none());
        // a second instance for the client end: its own I/O thread, as a separate process would have
        TcpTransport ct = new TcpTransport(4L << 20, 64 * 1024, 1, TestTls.none());
        URI any = URI.create("tcp://127.0.0.1:0");
        try {
            for (int round = 0; round < 3; round++) {
                int[] port = {0};
                Supplier<ServerSocketChannel> open = () -> {
                    try {
                        ServerSocketChannel s = ServerSocketChannel.open();
                        s.bind(new InetSocketAddress("127.0.0.1", 0));
                        port[0] = ((InetSocketAddress) s.getLocalAddress()).getPort();
                        return s;
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                };
                Supplier<SocketChannel> connect = () -> {
                    try {
                        SocketChannel c = SocketChannel.open(new InetSocketAddress("127.0.0.1", port[0]));
                        c.setOption(StandardSocketOptions.TCP_NODELAY, true);
                        return c;
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                };
                long msgs = 5_000_000;
                double eipc = StreamBench.oneWay(t, ct, any, msgs);
                double base = StreamBench.rawOneWay(open, null, connect, msgs);
                double rtt = StreamBench.pingPong(t, ct, any, 50_000);
                double rawRtt = StreamBench.rawPingPong(open, connect, 50_000);
                System.err.printf("tcp round %d: one-way 64B eipc %.0f msg/s, raw blocking %.0f msg/s; "
                        + "ping-pong 64B eipc %.2f us, raw blocking %.2f us (ratio %.2f)%n", round, eipc, base, rtt,
                        rawRtt, rtt / rawRtt);
            }
        } finally {
            t.close();
            ct.close();
        }
    }
}
