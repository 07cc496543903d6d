package org.eipc.transport.nats.impl;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.eipc.api.Endpoint;
import org.eipc.api.Message;
import org.eipc.api.Session;
import org.eipc.runtime.EipcRuntimes;
import org.eipc.runtime.EndpointOptions;
import org.eipc.runtime.StandaloneRuntime;
import org.eipc.security.hmac.impl.HmacSha256Provider;
import org.eipc.transport.unix.impl.UnixTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A host listens on unix:// and nats:// at once. A client session streams numbered messages and requests while
 * its Unix transport leaves (the session moves to NATS), comes back while NATS leaves (it moves back to Unix),
 * and NATS returns: exactly once, in order, one session.
 */
class UnixNatsMoveTest {
    private static final int COUNT = 30_000;
    private static final int REQUEST_EVERY = 500;
    private final Closer closer = new Closer();

    @AfterEach
    void closeAll() throws Exception {
        closer.close();
    }

    private <T extends AutoCloseable> T closing(T c) {
        return closer.add(c);
    }

    @Test
    void aSessionMovesFromUnixToNatsAndBackWithoutLossOrDuplication() throws Exception {
        NatsServer nats = closing(NatsServer.single());
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "eipc-nats-mv");
        closing(() -> {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        });
        URI unixUri = URI.create("unix://" + dir.resolve("host.sock"));
        URI natsUri = nats.uri("eipc.move");

        StandaloneRuntime host = closing(EipcRuntimes.standalone(List.of(closing(new UnixTransport()),
                closing(new NatsTransport(TestSettings.fast(), NatsClientOptions.defaults()))),
                new HmacSha256Provider(), TestSettings.keyring()));
        SwitchableTransport unix = new SwitchableTransport(closing(new UnixTransport()));
        SwitchableTransport natsT = new SwitchableTransport(closing(new NatsTransport(TestSettings.fast(),
                NatsClientOptions.defaults())));
        StandaloneRuntime client = closing(EipcRuntimes.standalone(List.of(unix, natsT), new HmacSha256Provider(),
                TestSettings.keyring()));

        NumberedSink sink = new NumberedSink(COUNT);
        Endpoint ep = host.listen(List.of(unixUri, natsUri), EndpointOptions.builder().serviceId("host").build(),
                NumberedSender.host(sink));
        closing(ep::close);
        Session s = client.connect(List.of(unixUri, natsUri), EndpointOptions.builder().serviceId("app").build(),
                (x, m) -> { }, Duration.ofSeconds(20));
        closing(s::close);
        assertEquals(1, unix.opened(), "the session starts on unix");
        assertEquals(0, natsT.opened());

        CompletableFuture<List<CompletableFuture<Message>>> sender = NumberedSender.start(s, COUNT, REQUEST_EVERY);
        sink.await(COUNT / 5, 60_000);
        unix.leave();                                  // unix leaves: the session moves to NATS
        natsT.awaitOpenedMoreThan(0, 20_000);
        int atNats = sink.received();
        sink.await(atNats + COUNT / 5, 60_000);        // traffic flows over NATS
        int unixBefore = unix.opened();
        unix.comeBack();
        natsT.leave();                                 // NATS leaves: back to unix
        unix.awaitOpenedMoreThan(unixBefore, 20_000);
        int atUnix = sink.received();
        sink.await(Math.min(COUNT, atUnix + COUNT / 5), 60_000);
        natsT.comeBack();

        List<CompletableFuture<Message>> replies = sender.get(120, TimeUnit.SECONDS);
        sink.await(COUNT, 60_000);
        sink.assertExactlyOnceInOrder();
        NumberedSender.assertReplies(replies, REQUEST_EVERY);
        assertTrue(s.isOpen(), "one session throughout");
        assertTrue(atNats < COUNT && atUnix < COUNT, "the moves happened while traffic flowed: " + atNats + ", "
                + atUnix);
    }
}
