package org.eipc.runtime.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.eipc.api.Header;
import org.eipc.api.Message;
import org.eipc.api.MessageType;
import org.eipc.api.SendResult;
import org.eipc.api.Session;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Carrier losses in quick succession (a transport that leaves, comes back and leaves again while a resume is under
 * way): the client runs one resume at a time and both ends settle on the same connection, so the stream goes on.
 */
class OverlappingResumeTest extends TwoRuntimes {
    private static final int COUNT = 20_000;

    @TempDir
    Path dir;

    @Test
    void rapidTransportBouncesLoseAndDuplicateNothing() throws Exception {
        List<Long> got = new ArrayList<>();
        ServerEndpointImpl server = serverSide.server(Harness.settings("host"), (s, m) -> {
            synchronized (got) {
                got.add(m.payload().getLong(0));
            }
        }, URI.create("unix://" + dir.resolve("s.sock")));
        ClientEndpointImpl client = clientSide.client(Harness.settings("app"), (s, m) -> { }, server.address());
        Session s = client.connect().toCompletableFuture().get(10, TimeUnit.SECONDS);
        CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> {
            try {
                for (long i = 1; i <= COUNT; ) {
                    SendResult r = s.send(Message.of(MessageType.FEATURES, Header.builder().build(),
                            ByteBuffer.allocate(8).putLong(i).array()));
                    if (r == SendResult.OK) {
                        i++;
                    } else if (r == SendResult.BACK_PRESSURE) {
                        s.whenWritable().toCompletableFuture().get(30, TimeUnit.SECONDS);
                    } else {
                        throw new AssertionError("session closed at message " + i);
                    }
                }
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        for (int round = 1; round <= 6; round++) {
            int at = round * COUNT / 8;
            HardenedHandshakeTest.waitFor(() -> size(got) >= at);
            // leave, come back, leave, come back: the second loss may hit the resume the first one started
            clientSide.providers.removeTransport(clientSide.unix);
            clientSide.providers.addTransport(clientSide.unix);
            clientSide.providers.removeTransport(clientSide.unix);
            clientSide.providers.addTransport(clientSide.unix);
        }
        sender.get(60, TimeUnit.SECONDS);
        HardenedHandshakeTest.waitFor(() -> size(got) >= COUNT);
        synchronized (got) {
            assertEquals(COUNT, got.size());
            for (int i = 0; i < COUNT; i++) {
                assertEquals(i + 1, got.get(i), "position " + i);
            }
        }
        assertTrue(s.isOpen());
        assertEquals(1, server.sessions().size());
    }

    private static int size(List<Long> l) {
        synchronized (l) {
            return l.size();
        }
    }
}
