package org.eipc.transport.tcp.impl;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.channels.SocketChannel;
import java.util.function.Supplier;

import javax.net.ssl.SSLEngine;

import org.eipc.spi.transport.PeerCredentials;
import org.eipc.transport.nio.ChannelAdapter;

/** TCP specifics for the NIO engine: TCP_NODELAY, tcp:// or tls:// URIs, TLS engines. */
final class TcpAdapter implements ChannelAdapter {
    private final String scheme;
    private final Supplier<SSLEngine> tls;

    /** @param tls makes one engine per connection; null for plain tcp */
    TcpAdapter(String scheme, Supplier<SSLEngine> tls) {
        this.scheme = scheme;
        this.tls = tls;
    }

    @Override
    public String scheme() {
        return scheme;
    }

    @Override
    public void configure(SocketChannel channel) throws IOException {
        // small frames must leave at once; coalescing is done by the write queue, not by Nagle
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        channel.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
    }

    @Override
    public URI localUri(SocketChannel channel) throws IOException {
        return uri(scheme, channel.getLocalAddress());
    }

    @Override
    public URI remoteUri(SocketChannel channel) throws IOException {
        return uri(scheme, channel.getRemoteAddress());
    }

    static URI uri(String scheme, SocketAddress a) {
        InetSocketAddress i = (InetSocketAddress) a;
        String host = i.getAddress() != null ? i.getAddress().getHostAddress() : i.getHostString();
        int pct = host.indexOf('%'); // drop an IPv6 scope id, URIs cannot carry it unescaped
        if (pct >= 0) {
            host = host.substring(0, pct);
        }
        try {
            return new URI(scheme, null, host, i.getPort(), null, null, null);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public PeerCredentials credentials(SocketChannel channel) {
        return PeerCredentials.UNKNOWN;
    }

    @Override
    public SSLEngine sslEngine(SocketChannel channel) {
        return tls == null ? null : tls.get();
    }
}
