package org.eipc.transport.nats.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;
import org.eipc.api.MessageType;
import org.eipc.security.hmac.impl.HmacSha256Provider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.api.StorageType;

/** Activation refuses bad configuration with one message listing every bad key; publishing refuses bad channels. */
class DurableConfigTest {
    @TempDir
    Path store;

    @Test
    void shouldRejectInvalidConfigurationListingEveryBadKey() {
        IpcException e = assertThrows(IpcException.class, () -> new JetStreamDurableChannels(DurableFixture.config(
                Map.ofEntries(Map.entry("servers", "user:s3cret@127.0.0.1:4222"),
                        Map.entry("channels", new String[] {"orders", "bad..name", "a.>.b"}),
                        Map.entry("stream", "has.dot"), Map.entry("subjectPrefix", "p.*"),
                        Map.entry("storage", "tape"), Map.entry("replicas", 7), Map.entry("maxBytes", 10L),
                        Map.entry("duplicateWindowMillis", 10L), Map.entry("ackWaitMillis", 1L),
                        Map.entry("maxRedeliveries", -1), Map.entry("maxAckPending", 0),
                        Map.entry("hostId", "host a"))), TestSettings.keyring(), new HmacSha256Provider()));
        assertEquals(ErrorCode.CONFIG_INVALID, e.code());
        for (String key : new String[] {"servers=(hidden)", "'bad..name'", "'a.>.b'", "stream=has.dot",
                "subjectPrefix=p.*", "storage=tape", "replicas=7", "maxBytes=10", "duplicateWindowMillis=10",
                "publishTimeoutMillis=10000", "ackWaitMillis=1", "maxRedeliveries=-1", "maxAckPending=0",
                "hostId=host a"}) {
            assertTrue(e.getMessage().contains(key), key + " in " + e.getMessage());
        }
        assertFalse(e.getMessage().contains("s3cret"), "no credentials in messages");
        IpcException none = assertThrows(IpcException.class, () -> new JetStreamDurableChannels(
                DurableFixture.config(Map.of("servers", "127.0.0.1:4222", "channels", new String[0])),
                TestSettings.keyring(), new HmacSha256Provider()));
        assertTrue(none.getMessage().contains("channels is empty"), none.getMessage());
    }

    @Test
    void shouldFailActivationWhenJetStreamRefusesTheStream() throws Exception {
        try (Closer c = new Closer()) {
            NatsServer server = c.add(NatsServer.jetStream(store));
            c.add(DurableFixture.host(server, "first", "storage", "memory")).close();
            IpcException e = assertThrows(IpcException.class, () -> DurableFixture.host(server, "second"));
            assertEquals(ErrorCode.CONFIG_INVALID, e.code());
            assertTrue(e.getMessage().contains("exists with storage memory, configured file"), e.getMessage());
            // the same configuration again is fine (idempotent), and a stream made by hand is adopted
            c.add(DurableFixture.host(server, "third", "storage", "memory")).close();
            try (Connection nc = Nats.connect("nats://127.0.0.1:" + server.port())) {
                assertEquals(StorageType.Memory, nc.jetStreamManagement().getStreamInfo("EIPC_DURABLE")
                        .getConfiguration().getStorageType());
            }
        }
    }

    @Test
    void shouldRefuseChannelsThatAreNotDurableOrMalformed() throws Exception {
        try (Closer c = new Closer()) {
            NatsServer server = c.add(NatsServer.jetStream(store));
            JetStreamDurableChannels host = c.add(DurableFixture.host(server, "h"));
            assertEquals(ErrorCode.CONFIG_INVALID, failure(host, "chat"));
            assertEquals(ErrorCode.ADDRESS_INVALID, failure(host, "orders.>"));
            assertEquals(ErrorCode.ADDRESS_INVALID, failure(host, ""));
            assertTrue(host.isDurable("audit.x.y"));
            assertFalse(host.isDurable("audit"));
            assertEquals(ErrorCode.FRAME_TOO_LARGE, assertThrows(CompletionException.class, () -> host.publish(
                    "orders", MessageType.INTENT, new byte[2 << 20]).toCompletableFuture().join()).getCause() instanceof
                    IpcException ipc ? ipc.code() : null);
            assertTrue(host.publish("audit.x.y", MessageType.AUDIT, new byte[0]).toCompletableFuture().get(10,
                    TimeUnit.SECONDS) > 0);
        }
    }

    @Test
    void shouldActivateWithoutAServerAndTimeOutPublishes() throws Exception {
        long t0 = System.nanoTime();
        try (JetStreamDurableChannels host = new JetStreamDurableChannels(DurableFixture.config(Map.of(
                "servers", "127.0.0.1:" + NatsServer.freePort(), "channels", new String[] {"orders"},
                "publishTimeoutMillis", 300L)), TestSettings.keyring(), new HmacSha256Provider())) {
            CompletionException e = assertThrows(CompletionException.class,
                    () -> host.publish("orders", MessageType.INTENT, new byte[1]).toCompletableFuture().join());
            assertEquals(ErrorCode.REQUEST_TIMEOUT, ((IpcException) e.getCause()).code());
            assertTrue(Duration.ofNanos(System.nanoTime() - t0).toSeconds() < 10);
        }
    }

    private static ErrorCode failure(JetStreamDurableChannels host, String channel) {
        CompletionException e = assertThrows(CompletionException.class,
                () -> host.publish(channel, MessageType.INTENT, new byte[1]).toCompletableFuture().join());
        return ((IpcException) e.getCause()).code();
    }

    @Test
    void shouldKeepTheDefaultHostIdAcrossRestarts() throws Exception {
        java.io.File file = store.resolve("durable-host-id").toFile();
        String first = DurableSettings.persistentHostId(file);
        assertTrue(first != null && ChannelNames.NAME.matcher(first).matches(), first);
        assertEquals(first, DurableSettings.persistentHostId(file), "read back, not made again");
        java.nio.file.Files.writeString(file.toPath(), "not a valid id!");
        String replaced = DurableSettings.persistentHostId(file);
        assertTrue(ChannelNames.NAME.matcher(replaced).matches(), replaced);
        assertEquals(null, DurableSettings.persistentHostId(null));
    }
}
