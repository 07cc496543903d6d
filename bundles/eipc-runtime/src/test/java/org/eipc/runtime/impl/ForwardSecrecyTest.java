package org.eipc.runtime.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;
import org.eipc.api.Session;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The X25519 exchange of the hardened handshake: negotiated by default, required or refused by configuration. */
class ForwardSecrecyTest extends OneRuntime {
    @TempDir
    Path dir;

    private ServerEndpointImpl server(EndpointSettings.ForwardSecrecy fs) {
        EndpointSettings ss = Harness.settings("host");
        ss.forwardSecrecy = fs;
        return h.server(ss, (s, m) -> s.reply(m, m), URI.create("unix://" + dir.resolve("fs-" + fs + ".sock")));
    }

    private Session connect(ServerEndpointImpl server, EndpointSettings.ForwardSecrecy fs) throws Exception {
        EndpointSettings cs = Harness.settings("app");
        cs.forwardSecrecy = fs;
        return h.client(cs, (s, m) -> { }, server.address()).connect().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private ErrorCode refusal(ServerEndpointImpl server, EndpointSettings.ForwardSecrecy fs) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> connect(server, fs));
        return assertInstanceOf(IpcException.class, e.getCause()).code();
    }

    @Test
    void bothSidesPreferringGetAForwardSecretSessionOnBothEnds() throws Exception {
        ServerEndpointImpl server = server(EndpointSettings.ForwardSecrecy.PREFER);
        SessionImpl client = (SessionImpl) connect(server, EndpointSettings.ForwardSecrecy.PREFER);
        assertTrue(client.isForwardSecret());
        assertTrue(((SessionImpl) server.sessions().iterator().next()).isForwardSecret());
    }

    @Test
    void aPeerWithoutItStillConnectsUnlessTheOtherSideRequiresIt() throws Exception {
        ServerEndpointImpl off = server(EndpointSettings.ForwardSecrecy.OFF);
        SessionImpl plain = (SessionImpl) connect(off, EndpointSettings.ForwardSecrecy.PREFER);
        assertFalse(plain.isForwardSecret());
        assertEquals(ErrorCode.HANDSHAKE_FAILED, refusal(off, EndpointSettings.ForwardSecrecy.REQUIRE));

        ServerEndpointImpl required = server(EndpointSettings.ForwardSecrecy.REQUIRE);
        assertEquals(ErrorCode.HANDSHAKE_FAILED, refusal(required, EndpointSettings.ForwardSecrecy.OFF));
        assertTrue(((SessionImpl) connect(required, EndpointSettings.ForwardSecrecy.PREFER)).isForwardSecret());
    }
}
