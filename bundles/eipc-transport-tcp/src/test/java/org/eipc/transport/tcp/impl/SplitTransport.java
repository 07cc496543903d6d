package org.eipc.transport.tcp.impl;

import java.net.URI;
import java.time.Duration;
import java.util.Set;
import java.util.function.Function;

import org.eipc.spi.transport.Connection;
import org.eipc.spi.transport.ConnectionHandler;
import org.eipc.spi.transport.Listener;
import org.eipc.spi.transport.Transport;

/** Listens with one transport and connects with another: two differently configured TLS ends in one kit. */
final class SplitTransport implements Transport {
    private final Transport server;
    private final Transport client;

    SplitTransport(Transport server, Transport client) {
        this.server = server;
        this.client = client;
    }

    @Override
    public String kind() {
        return server.kind();
    }

    @Override
    public Set<String> schemes() {
        return server.schemes();
    }

    @Override
    public Listener listen(URI address, Function<Connection, ConnectionHandler> handlers) {
        return server.listen(address, handlers);
    }

    @Override
    public Connection connect(URI address, ConnectionHandler handler, Duration timeout) {
        return client.connect(address, handler, timeout);
    }
}
