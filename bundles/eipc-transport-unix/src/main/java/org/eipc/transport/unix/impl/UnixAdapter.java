package org.eipc.transport.unix.impl;

import java.net.URI;
import java.nio.channels.SocketChannel;

import javax.net.ssl.SSLEngine;

import org.eipc.spi.transport.PeerCredentials;
import org.eipc.transport.nio.ChannelAdapter;

/** Unix specifics for the NIO engine: both ends are named by the socket path; peers by SO_PEERCRED. */
final class UnixAdapter implements ChannelAdapter {
    private final URI address;

    UnixAdapter(URI address) {
        this.address = address;
    }

    @Override
    public String scheme() {
        return "unix";
    }

    @Override
    public void configure(SocketChannel channel) {
        // no options: no Nagle on Unix sockets, and buffer sizes are the kernel's
    }

    @Override
    public URI localUri(SocketChannel channel) {
        return address;
    }

    @Override
    public URI remoteUri(SocketChannel channel) {
        return address;
    }

    @Override
    public PeerCredentials credentials(SocketChannel channel) {
        try {
            return PeerCred.read(channel);
        } catch (NoClassDefFoundError e) {
            return PeerCredentials.UNKNOWN; // jdk.net not wired in this framework
        }
    }

    @Override
    public SSLEngine sslEngine(SocketChannel channel) {
        return null;
    }
}
