package org.eipc.runtime.impl;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import org.eipc.api.MessageHandler;
import org.eipc.security.hmac.impl.HmacSha256Provider;
import org.eipc.transport.tcp.impl.TcpTransport;
import org.eipc.transport.unix.impl.UnixTransport;

/**
 * One runtime as a test sees it: the real HMAC provider, a static keyring and real TCP and Unix transports, wired
 * the way the DS component wires them, without OSGi.
 */
final class Harness implements AutoCloseable {
    static final String VECTOR_KEY = "EIPC-golden-vector-key-32-bytes!";

    final Providers providers = new Providers();
    final StaticKeyring keyring;
    final TcpTransport tcp = new TcpTransport();
    final UnixTransport unix = new UnixTransport();
    final RuntimeContext ctx;
    private final List<AutoCloseable> endpoints = new ArrayList<>();

    Harness(StaticKeyring keyring) {
        this.keyring = keyring;
        providers.integrity(new HmacSha256Provider());
        providers.keyring(keyring);
        providers.addTransport(tcp);
        providers.addTransport(unix);
        ctx = new RuntimeContext(providers);
    }

    Harness() {
        this(new StaticKeyring(StaticKeyring.key("k1", VECTOR_KEY, null)));
    }

    ServerEndpointImpl server(EndpointSettings s, MessageHandler h, URI... uris) {
        ServerEndpointImpl e = new ServerEndpointImpl(ctx, List.of(uris), s, h).open();
        endpoints.add(e);
        return e;
    }

    ClientEndpointImpl client(EndpointSettings s, MessageHandler h, URI... uris) {
        ClientEndpointImpl e = new ClientEndpointImpl(ctx, List.of(uris), s, h);
        endpoints.add(e);
        return e;
    }

    static EndpointSettings settings(String serviceId) {
        EndpointSettings s = new EndpointSettings();
        s.serviceId = serviceId;
        s.handshakeTimeout = java.time.Duration.ofSeconds(5);
        return s;
    }

    @Override
    public void close() {
        for (AutoCloseable e : endpoints) {
            try {
                e.close();
            } catch (Exception ignored) {
                // best effort
            }
        }
        ctx.close();
        tcp.close();
        unix.close();
    }
}
