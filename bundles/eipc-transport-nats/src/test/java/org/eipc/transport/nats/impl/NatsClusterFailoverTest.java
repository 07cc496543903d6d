package org.eipc.transport.nats.impl;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.eipc.api.Endpoint;
import org.eipc.api.Message;
import org.eipc.api.Session;
import org.eipc.runtime.EipcRuntimes;
import org.eipc.runtime.EndpointOptions;
import org.eipc.runtime.StandaloneRuntime;
import org.eipc.security.hmac.impl.HmacSha256Provider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three nats-server nodes with routes; the host is connected to one node, the client to another. 100,000
 * numbered messages and 100 requests go through the real runtime while the host's node is killed with
 * SIGKILL and later restarted: every message arrives exactly once and in order, every request is answered.
 */
class NatsClusterFailoverTest {
    private static final int COUNT = 100_000;
    private static final int REQUEST_EVERY = 1_000;
    private final Closer closer = new Closer();

    @AfterEach
    void closeAll() throws Exception {
        closer.close();
    }

    private <T extends AutoCloseable> T closing(T c) {
        return closer.add(c);
    }

    @Test
    void killingAndRestartingTheHostsNodeLosesAndDuplicatesNothing() throws Exception {
        List<NatsServer> nodes = NatsServer.cluster(3);
        nodes.forEach(this::closing);
        NatsServer hostNode = nodes.get(1);
        NatsTransport hostNats = closing(new NatsTransport(TestSettings.fast(), NatsClientOptions.defaults()));
        NatsTransport clientNats = closing(new NatsTransport(TestSettings.fast(), NatsClientOptions.defaults()));
        StandaloneRuntime host = closing(EipcRuntimes.standalone(List.of(hostNats), new HmacSha256Provider(),
                TestSettings.keyring()));
        StandaloneRuntime client = closing(EipcRuntimes.standalone(List.of(clientNats), new HmacSha256Provider(),
                TestSettings.keyring()));

        NumberedSink sink = new NumberedSink(COUNT);
        Endpoint ep = host.listen(List.of(hostNode.uri("eipc.cluster")),
                EndpointOptions.builder().serviceId("host").build(), NumberedSender.host(sink));
        closing(ep::close);
        Session s = client.connect(List.of(nodes.get(0).uri("eipc.cluster")),
                EndpointOptions.builder().serviceId("app").build(), (x, m) -> { }, Duration.ofSeconds(20));
        closing(s::close);

        CompletableFuture<List<CompletableFuture<Message>>> sender = NumberedSender.start(s, COUNT, REQUEST_EVERY);
        sink.await(COUNT / 4, 60_000);
        hostNode.kill();                         // kill -9: the host's NATS connection drops mid-stream
        sink.await(COUNT / 2, 60_000);           // traffic flows again through the surviving nodes
        hostNode.start();                        // and the node comes back
        List<CompletableFuture<Message>> replies = sender.get(120, TimeUnit.SECONDS);
        sink.await(COUNT, 60_000);
        sink.assertExactlyOnceInOrder();
        NumberedSender.assertReplies(replies, REQUEST_EVERY);
        assertTrue(s.isOpen(), "the session survived");
        assertTrue(clientNats.connectsSoFar() >= 2, "the session resumed over a new NATS connection");
    }
}
