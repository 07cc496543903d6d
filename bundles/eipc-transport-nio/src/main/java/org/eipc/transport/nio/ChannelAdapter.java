package org.eipc.transport.nio;

import java.io.IOException;
import java.net.URI;
import java.nio.channels.SocketChannel;

import javax.net.ssl.SSLEngine;

import org.eipc.spi.transport.PeerCredentials;

/**
 * What differs between socket families (TCP, Unix): socket options, how addresses print as URIs, what the OS
 * says about the peer, and whether TLS applies.
 */
public interface ChannelAdapter {

    /** The URI scheme of connections made through this adapter. */
    String scheme();

    /** Sets socket options on a freshly connected or accepted channel. */
    void configure(SocketChannel channel) throws IOException;

    URI localUri(SocketChannel channel) throws IOException;

    URI remoteUri(SocketChannel channel) throws IOException;

    /** What the OS knows about the peer (before any TLS principal is added). Never null. */
    PeerCredentials credentials(SocketChannel channel);

    /** A new TLS engine for one connection, or null for plain connections. */
    SSLEngine sslEngine(SocketChannel channel);
}
