package org.eipc.runtime.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A peer still holding a key after its overlap window is told KEY_RETIRED (its hello verifies under the retired key,
 * which is then refused), while a key the host never knew stays AUTH_FAILED.
 */
class KeyRetiredTest {
    private static final String OLD = "old-key-old-key-old-key-old-key!";
    private static final String NEW = "new-key-new-key-new-key-new-key!";

    @TempDir
    Path dir;
    private Harness host;
    private Harness peer;

    @AfterEach
    void close() {
        if (peer != null) {
            peer.close();
        }
        if (host != null) {
            host.close();
        }
    }

    private ErrorCode refusal(ServerEndpointImpl server) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> peer.client(Harness.settings("app"),
                (s, m) -> { }, server.address()).connect().toCompletableFuture().get(10, TimeUnit.SECONDS));
        return assertInstanceOf(IpcException.class, e.getCause()).code();
    }

    @Test
    void aKeyPastItsOverlapIsRefusedAsRetiredAndAnUnknownKeyAsAuthFailed() throws Exception {
        Instant retires = Instant.now().plusSeconds(5); // generous: a first handshake in a cold JVM is slow
        host = new Harness(new StaticKeyring(StaticKeyring.key("k2", NEW, null), StaticKeyring.key("k1", OLD, retires)));
        ServerEndpointImpl server = host.server(Harness.settings("host"), (s, m) -> { },
                URI.create("unix://" + dir.resolve("k.sock")));
        peer = new Harness(new StaticKeyring(StaticKeyring.key("k1", OLD, null)));
        // inside the overlap the old key still opens a session
        try {
            peer.client(Harness.settings("app"), (s, m) -> { }, server.address()).connect().toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("server says: " + server.lastHandshakeFailure(), e);
        }
        while (!Instant.now().isAfter(retires.plusMillis(50))) {
            Thread.sleep(20); // the overlap window running out is the condition under test
        }
        assertEquals(ErrorCode.KEY_RETIRED, refusal(server));
        peer.close();
        peer = new Harness(new StaticKeyring(StaticKeyring.key("k9", "never-known-never-known-never-k!", null)));
        assertEquals(ErrorCode.AUTH_FAILED, refusal(server));
    }
}
