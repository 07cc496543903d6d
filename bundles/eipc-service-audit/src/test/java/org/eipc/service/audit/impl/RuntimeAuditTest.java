package org.eipc.service.audit.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;


import org.eipc.api.Endpoint;
import org.eipc.api.ErrorCode;
import org.eipc.api.Header;
import org.eipc.api.IpcException;
import org.eipc.api.Message;
import org.eipc.api.MessageType;
import org.eipc.api.Session;
import org.eipc.runtime.EipcRuntimes;
import org.eipc.runtime.FixedKeyring;
import org.eipc.runtime.EndpointOptions;
import org.eipc.runtime.StandaloneRuntime;
import org.eipc.security.hmac.impl.HmacSha256Provider;
import org.eipc.service.audit.AuditVerifier;
import org.eipc.transport.unix.impl.UnixTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attacks on a real host over Unix sockets land in the audit log: a client with the wrong key (handshake denied) and
 * a forged capability handle (message denied) are each written with their error code, the honest session is
 * recorded as created and keeps working, and the log's hash chain verifies.
 */
class RuntimeAuditTest {
    @TempDir
    Path dir;
    private final UnixTransport unix = new UnixTransport();
    private final List<AutoCloseable> closing = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
        unix.close();
    }

    private StandaloneRuntime runtime(String secret) {
        StandaloneRuntime r = EipcRuntimes.standalone(List.of(unix), new HmacSha256Provider(),
                new FixedKeyring("k1", secret.getBytes(StandardCharsets.US_ASCII)));
        closing.add(0, r);
        return r;
    }

    @Test
    void refusedHandshakesAndForgedCapabilitiesAreAuditedAndTheChainVerifies() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        FileAuditLog log = new FileAuditLog(file, 1 << 20, 0, FsyncPolicy.NEVER, 1024, Clock.systemUTC(),
                r -> new Thread(r, "audit-writer"));
        StandaloneRuntime host = runtime("the-host-secret-of-thirty-two-b!");
        host.addHook(new RuntimeAuditBridge(log));
        Endpoint ep = host.listen(List.of(URI.create("unix://" + dir.resolve("host.sock"))),
                EndpointOptions.builder().serviceId("host").service("app", List.of("ui:control")).build(),
                (s, m) -> s.reply(m, Message.of(MessageType.ACK, Header.builder().build(), new byte[0])));

        // wrong key: the handshake is refused
        StandaloneRuntime intruder = runtime("not-the-host-secret-at-all-32by!");
        ExecutionException wrongKey = assertThrows(ExecutionException.class, () -> intruder.connectAsync(
                List.of(ep.address()), EndpointOptions.builder().serviceId("app").build(), (s, m) -> { },
                Duration.ofSeconds(10)).toCompletableFuture().get(15, TimeUnit.SECONDS));
        assertEquals(ErrorCode.AUTH_FAILED, assertInstanceOf(IpcException.class, wrongKey.getCause()).code());

        // right key, forged capability handle: the message is refused, the session goes on
        StandaloneRuntime client = runtime("the-host-secret-of-thirty-two-b!");
        Session app = client.connect(List.of(ep.address()), EndpointOptions.builder().serviceId("app").build(),
                (s, m) -> { }, Duration.ofSeconds(10));
        Message forged = Message.of(MessageType.INTENT,
                Header.builder().capability("ui:control#AAAAAAAAAAAAAAAAAAAAAA").build(), new byte[0]);
        ExecutionException denied = assertThrows(ExecutionException.class,
                () -> app.request(forged, Duration.ofSeconds(10)).toCompletableFuture().get(15, TimeUnit.SECONDS));
        assertEquals(ErrorCode.CAPABILITY_DENIED, assertInstanceOf(IpcException.class, denied.getCause()).code());
        app.request(Message.of(MessageType.INTENT, Header.builder().capability("ui:control").build(), new byte[0]),
                Duration.ofSeconds(10)).toCompletableFuture().get(15, TimeUnit.SECONDS);

        log.close();
        List<String> lines = Files.readAllLines(file);
        assertTrue(lines.stream().anyMatch(l -> l.contains("\"action\":\"handshake\"") && l.contains("\"denied\"")
                && l.contains("AUTH_FAILED")), String.join("\n", lines));
        assertTrue(lines.stream().anyMatch(l -> l.contains("\"action\":\"denial\"") && l.contains("CAPABILITY_DENIED")
                && l.contains("\"source\":\"app\"")), String.join("\n", lines));
        assertTrue(lines.stream().anyMatch(l -> l.contains("session created") && l.contains("\"source\":\"app\"")));
        assertTrue(lines.stream().noneMatch(l -> l.contains("the-host-secret")), "no key material in the log");
        assertTrue(AuditVerifier.verify(file).ok(), AuditVerifier.verify(file).toString());
    }
}
