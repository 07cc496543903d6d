package org.eipc.runtime.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.eipc.api.ErrorCode;
import org.eipc.api.Header;
import org.eipc.api.Message;
import org.eipc.api.MessageType;
import org.eipc.api.SendResult;
import org.eipc.api.Session;
import org.eipc.spi.runtime.RuntimeEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Frames tampered with on the wire, on real TCP through a proxy: a frame replayed into its own session, a frame with
 * one bit flipped, and a frame whose MAC flag is cleared (MAC removed, lengths fixed up) are each rejected with their
 * own ErrorCode, raised as a FRAME_REJECTED event (what the audit log records), never delivered, and only that
 * connection closes: the session resumes, nothing is lost or duplicated, and another client is served throughout.
 */
class FrameAttackTest {
    private static final int FLAGS_OFFSET = 4 + 7; // length prefix, then magic(4) version(2) type(1) flags(1)

    private final Harness serverSide = new Harness();
    private final Harness clientSide = new Harness();
    private final List<String> got = new CopyOnWriteArrayList<>();
    private final List<RuntimeEvent> events = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        clientSide.close();
        serverSide.close();
    }

    private interface Tamper {
        byte[] apply(byte[] prefixedFrame);
    }

    private void attack(Tamper tamper, ErrorCode expected) throws Exception {
        serverSide.ctx.hooks.addListener(events::add);
        ServerEndpointImpl server = serverSide.server(Harness.settings("host"),
                (s, m) -> got.add(new String(m.payloadBytes(), StandardCharsets.UTF_8)), URI.create("tcp://127.0.0.1:0"));
        Session bystander = clientSide.client(Harness.settings("other"), (s, m) -> { }, server.address()).connect()
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
        try (RecordingProxy proxy = new RecordingProxy(server.address())) {
            Session victim = clientSide.client(Harness.settings("app"), (s, m) -> { }, proxy.address()).connect()
                    .toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertEquals(SendResult.OK, victim.send(intent("pay 100")));
            HardenedHandshakeTest.waitFor(() -> got.size() == 1);
            byte[] recorded = null;
            for (byte[] f : WireFrames.split(proxy.recorded(0))) {
                if (WireFrames.parse(f).typeByte() == 'i') {
                    recorded = f;
                }
            }
            assertNotNull(recorded);
            long losses = server.carrierLosses();
            proxy.inject(0, tamper.apply(recorded.clone()));
            HardenedHandshakeTest.waitFor(() -> server.carrierLosses() > losses);
            assertEquals(expected, server.lastCarrierLoss().code(), String.valueOf(server.lastCarrierLoss()));
            HardenedHandshakeTest.waitFor(() -> events.stream().anyMatch(
                    e -> e.kind() == RuntimeEvent.Kind.FRAME_REJECTED && e.code() == expected));

            // only that connection closed: the victim's session resumes and goes on, the bystander never noticed
            assertEquals(SendResult.OK, victim.send(intent("pay 5")));
            assertEquals(SendResult.OK, bystander.send(intent("still there?")));
            HardenedHandshakeTest.waitFor(() -> got.contains("pay 5") && got.contains("still there?"));
            assertEquals(List.of("pay 100", "still there?", "pay 5"), got.stream().sorted((a, b) -> order(a) - order(b))
                    .toList(), "nothing tampered delivered, nothing lost, nothing twice: " + got);
            assertTrue(victim.isOpen() && bystander.isOpen());
        }
    }

    private static int order(String s) {
        return s.equals("pay 100") ? 0 : s.equals("still there?") ? 1 : 2;
    }

    private static Message intent(String text) {
        return Message.of(MessageType.INTENT, Header.builder().build(), text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aFrameReplayedIntoItsOwnSessionIsReplayDuplicate() throws Exception {
        attack(f -> f, ErrorCode.REPLAY_DUPLICATE);
    }

    @Test
    void aFrameWithOneBitFlippedIsMacInvalid() throws Exception {
        attack(f -> {
            f[f.length - 40] ^= 0x01; // inside the payload, before the 32-byte MAC
            return f;
        }, ErrorCode.MAC_INVALID);
    }

    @Test
    void aFrameWithItsMacFlagClearedAndMacCutIsMacMissing() throws Exception {
        attack(f -> {
            byte[] g = Arrays.copyOf(f, f.length - 32);
            g[FLAGS_OFFSET] &= ~0x01;
            ByteBuffer.wrap(g).putInt(0, g.length - 4);
            return g;
        }, ErrorCode.MAC_MISSING);
    }
}
