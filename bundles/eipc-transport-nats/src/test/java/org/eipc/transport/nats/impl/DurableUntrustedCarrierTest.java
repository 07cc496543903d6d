package org.eipc.transport.nats.impl;

import static org.eipc.transport.nats.impl.DurableFixture.await;
import static org.eipc.transport.nats.impl.DurableFixture.register;
import static org.eipc.transport.nats.impl.DurableFixture.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.crypto.spec.SecretKeySpec;

import org.eipc.api.Header;
import org.eipc.api.MessageType;
import org.eipc.protocol.FrameEncoder;
import org.eipc.protocol.FrameFlags;
import org.eipc.protocol.Timestamps;
import org.eipc.security.hmac.impl.HmacSha256Provider;
import org.eipc.spi.keyring.KeyEntry;
import org.eipc.transport.nats.durable.DurableCounters.Rejection;
import org.eipc.transport.nats.impl.DurableFixture.Recording;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.api.MessageInfo;
import io.nats.client.impl.Headers;

/**
 * NATS is an untrusted carrier: anyone who may publish on the stream's subjects can store messages in it. Each
 * forgery below is published with a raw NATS client, stored by JetStream, read by the receiving host, terminated
 * and counted under its reason; none reaches the handler, and the next valid message still does.
 */
class DurableUntrustedCarrierTest {
    private static final String B = "eipc.durable.b";

    @TempDir
    Path store;
    private final Closer closer = new Closer();
    private JetStreamDurableChannels sender;
    private JetStreamDurableChannels receiver;
    private Recording handler;
    private Connection raw;
    private int valid;
    private final List<String> expected = new ArrayList<>();
    private final KeyEntry k1 = TestSettings.keyring().current();

    @BeforeEach
    void start() throws Exception {
        NatsServer server = closer.add(NatsServer.jetStream(store));
        sender = closer.add(DurableFixture.host(server, "sender"));
        receiver = closer.add(DurableFixture.host(server, "receiver"));
        handler = new Recording();
        register(receiver, handler, "b");
        raw = Nats.connect("nats://127.0.0.1:" + server.port());
        closer.add(raw::close);
        sendValid();
    }

    @AfterEach
    void stop() throws Exception {
        closer.close();
    }

    @Test
    void shouldTerminateEveryForgeryAndStillDeliverTheNextValidMessage() throws Exception {
        long seqOfFirstValid = 1;
        // not an EIPC frame, no key id
        forge(Rejection.KEY_UNKNOWN, null, text("{\"order\":1}"), null);
        // a well-formed frame without a MAC
        forge(Rejection.MAC_MISSING, k1.id(), frame(k1, "b", "b", 0, Instant.now(), "x/y/1"), "x/y/1");
        // one flipped payload byte in an honest frame
        byte[] flipped = frame(k1, "b", "b", FrameFlags.HMAC, Instant.now(), "x/y/2");
        flipped[flipped.length - 40] ^= 1;
        forge(Rejection.MAC_INVALID, k1.id(), flipped, "x/y/2");
        // signed with another key under the accepted key's id, and with a key the keyring does not know
        KeyEntry wrong = new KeyEntry("k1", new SecretKeySpec(text("another-32-byte-key-not-the-real"), "HmacSHA256"),
                Instant.now(), null);
        forge(Rejection.MAC_INVALID, "k1", frame(wrong, "b", "b", FrameFlags.HMAC, Instant.now(), "x/y/3"), "x/y/3");
        KeyEntry unknown = new KeyEntry("k9", wrong.key(), Instant.now(), null);
        forge(Rejection.KEY_UNKNOWN, "k9", frame(unknown, "b", "b", FrameFlags.HMAC, Instant.now(), "x/y/4"), "x/y/4");
        // an honest message of channel a, copied onto b's subject
        long seqA = sender.publish("a", MessageType.INTENT, text("for a only")).toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        MessageInfo onA = jsm().getMessage("EIPC_DURABLE", seqA);
        forge(Rejection.MAC_INVALID, onA.getHeaders().getFirst(DurableWire.KEY_HEADER), onA.getData(), null);
        // b's key, but the frame says channel a
        forge(Rejection.CHANNEL_MISMATCH, k1.id(), frame(k1, "a", "b", FrameFlags.HMAC, Instant.now(), "x/y/5"),
                "x/y/5");
        // the first valid message of b stored again: without its id, under another id, and signed long ago
        MessageInfo first = jsm().getMessage("EIPC_DURABLE", seqOfFirstValid);
        forge(Rejection.REPLAYED, k1.id(), first.getData(), null);
        forge(Rejection.REPLAYED, k1.id(), first.getData(), "x/y/6");
        forge(Rejection.REPLAYED, k1.id(), frame(k1, "b", "b", FrameFlags.HMAC, Instant.now().minusSeconds(3600),
                "x/y/7"), "x/y/7");
        // under its own id JetStream does not even store it (deduplication)
        assertTrue(raw.jetStream().publish(B, first.getHeaders(), first.getData()).isDuplicate());

        assertEquals(expected, handler.payloads());
        assertEquals(10, receiver.counters().rejected());
        assertEquals(3, receiver.counters().rejected(Rejection.MAC_INVALID));
    }

    /** Publishes a forgery raw, then a valid message; the forgery must be counted, the valid one delivered. */
    private void forge(Rejection reason, String keyId, byte[] body, String msgId) throws Exception {
        long before = receiver.counters().rejected(reason);
        Headers h = new Headers();
        if (keyId != null) {
            h.put(DurableWire.KEY_HEADER, keyId);
        }
        if (msgId != null) {
            h.put(DurableWire.MSG_ID_HEADER, msgId);
        }
        raw.publish(B, h, body);
        raw.flush(Duration.ofSeconds(5));
        sendValid();
        assertEquals(before + 1, receiver.counters().rejected(reason), reason + ": " + receiver.counters());
    }

    private void sendValid() throws Exception {
        String p = "v" + valid++;
        expected.add(p);
        sender.publish("b", MessageType.INTENT, text(p)).toCompletableFuture().get(10, TimeUnit.SECONDS);
        await(p + " delivered", Duration.ofSeconds(20), () -> handler.delivered.size() == expected.size());
        assertEquals(expected, handler.payloads());
    }

    /** A frame as a publisher makes it, but with the route, key channel, flags, time and id chosen freely. */
    private static byte[] frame(KeyEntry key, String route, String keyChannel, int flags, Instant signed,
            String msgId) {
        String[] id = msgId.split("/");
        Header h = Header.builder().serviceId(id[0]).sessionId(id[1]).sequence(Long.parseLong(id[2]))
                .timestamp(Timestamps.format(signed)).route(route).build();
        FrameEncoder enc = new FrameEncoder();
        ByteBuffer payload = ByteBuffer.wrap(text("forged"));
        ByteBuffer out = ByteBuffer.allocate(enc.encodedLength(h, payload.remaining(), flags != 0));
        enc.encode(MessageType.INTENT.wireByte(), flags, h, payload,
                new ChannelKeys(new HmacSha256Provider()).mac(key, keyChannel), out);
        return out.array();
    }

    private JetStreamManagement jsm() throws Exception {
        return raw.jetStreamManagement();
    }
}
