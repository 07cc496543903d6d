package org.eipc.protocol.ipcprims;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.eipc.api.ErrorCode;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Every vector of {@code ipcprims/index.json} (copied from the shared vectors) as one test container named after
 * its id, run with the bytes in one chunk and again one byte at a time.
 */
class VectorTest {
    static final int VECTOR_COUNT = 91;
    private static final int HS_1234 = 68; // length of v01, the request for [1,2,3,4]
    private static final int RESPONSE_1234 = 87; // length of v02

    /** Expected failure: code and stream offset relative to the vector's first byte (-1: no offset). */
    private record Fail(ErrorCode code, long offset) {
    }

    private static final Map<String, Fail> FAILURES = new HashMap<>();

    static {
        final ErrorCode hs = ErrorCode.HANDSHAKE_FAILED;
        final ErrorCode pv = ErrorCode.PROTOCOL_VIOLATION;
        FAILURES.put("h01", new Fail(ErrorCode.BAD_MAGIC, 0));
        FAILURES.put("h02", new Fail(hs, 6));
        FAILURES.put("h03", new Fail(ErrorCode.FRAME_TOO_LARGE, 2));
        FAILURES.put("h04", new Fail(hs, 8 + 16384)); // EOF while parsing: at the end of the payload
        FAILURES.put("h05", new Fail(hs, 9)); // "key must be a string" at the 'n'
        FAILURES.put("h06", new Fail(hs, 8 + 39)); // missing field, reported after the object (as serde_json)
        FAILURES.put("h07", new Fail(hs, 8 + 51)); // the value 65536
        for (final String id : new String[] {"h08", "h09", "h10", "h11", "h12", "h13", "h14", "h15", "h16", "h17",
            "h18", "h19", "h20"}) {
            FAILURES.put(id, new Fail(hs, 8)); // semantic checks report the payload's start
        }
        FAILURES.put("h21", new Fail(ErrorCode.TRUNCATED_HEADER, 3));
        FAILURES.put("h22", new Fail(ErrorCode.TRUNCATED_PAYLOAD, 19));
        FAILURES.put("h23", new Fail(ErrorCode.HANDSHAKE_TIMEOUT, -1));
        FAILURES.put("i01", new Fail(ErrorCode.BAD_MAGIC, 0));
        FAILURES.put("i02", new Fail(ErrorCode.BAD_MAGIC, 10));
        FAILURES.put("i03", new Fail(ErrorCode.FRAME_TOO_LARGE, 2));
        FAILURES.put("i04", new Fail(ErrorCode.FRAME_TOO_LARGE, 2));
        FAILURES.put("i05", new Fail(ErrorCode.TRUNCATED_PAYLOAD, 13));
        FAILURES.put("i06", new Fail(ErrorCode.TRUNCATED_HEADER, 3));
        FAILURES.put("i07", new Fail(pv, 6));
        FAILURES.put("i08", new Fail(pv, 6));
        FAILURES.put("i09", new Fail(pv, 6));
        FAILURES.put("i10", new Fail(pv, 8));
        FAILURES.put("i11", new Fail(pv, 8));
        FAILURES.put("i12", new Fail(pv, 0));
        FAILURES.put("i13", new Fail(pv, 8 + 14));
        FAILURES.put("i14", new Fail(pv, 0));
        FAILURES.put("i15", new Fail(pv, 0));
        FAILURES.put("i16", new Fail(pv, 0));
        FAILURES.put("i17", new Fail(pv, 8 + 54));
        FAILURES.put("i18", new Fail(ErrorCode.QUOTA_EXCEEDED, 256 * 23));
        FAILURES.put("r01", new Fail(ErrorCode.BAD_MAGIC, 0));
        for (final String id : new String[] {"r02", "r03", "r04", "r05", "r06", "r07", "r08", "r09"}) {
            FAILURES.put(id, new Fail(hs, 8));
        }
        FAILURES.put("r10", new Fail(hs, 8 + 54));
        FAILURES.put("r11", new Fail(hs, 6));
        FAILURES.put("r12", new Fail(ErrorCode.FRAME_TOO_LARGE, 2));
        FAILURES.put("c01", new Fail(ErrorCode.FRAME_TOO_LARGE, RESPONSE_1234 + 2));
        FAILURES.put("c02", new Fail(pv, RESPONSE_1234 + 6));
        FAILURES.put("c03", new Fail(ErrorCode.BAD_MAGIC, RESPONSE_1234 + 1));
        FAILURES.put("c04", new Fail(ErrorCode.TRUNCATED_PAYLOAD, 98));
    }

    static JsonNode index() {
        try (InputStream in = VectorTest.class.getResourceAsStream("/ipcprims/index.json")) {
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] bytes(String file) {
        try (InputStream in = VectorTest.class.getResourceAsStream("/ipcprims/" + file)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] vector(String id) {
        for (final JsonNode v : index().get("vectors")) {
            if (v.get("id").asText().equals(id)) {
                return bytes(v.get("file").asText());
            }
        }
        throw new AssertionError("no vector " + id);
    }

    @TestFactory
    Stream<DynamicNode> everyVector() {
        final List<JsonNode> all = new ArrayList<>();
        index().get("vectors").forEach(all::add);
        assertEquals(VECTOR_COUNT, all.size(), "vector count");
        return all.stream().map(v -> {
            final String id = v.get("id").asText();
            final byte[] b = bytes(v.get("file").asText());
            assertEquals(v.get("bytes_len").asInt(), b.length, id + " length");
            return dynamicContainer(id, Stream.of(
                    dynamicTest(id + " whole", () -> run(id, v, b, false)),
                    dynamicTest(id + " byte-at-a-time", () -> run(id, v, b, true))));
        });
    }

    private static void run(String id, JsonNode v, byte[] b, boolean bytewise) {
        switch (id.charAt(0)) {
            case 'v':
                decodeAndReencode(id, v, b);
                valid(id, b, bytewise);
                break;
            case 'h':
                handshakeReject(id, b, bytewise);
                break;
            case 'i':
                postHandshakeReject(id, b, bytewise);
                break;
            case 'r':
                responseReject(id, b, bytewise);
                break;
            case 'c':
                serverTraffic(id, b, bytewise);
                break;
            default:
                throw new AssertionError("unknown vector kind " + id);
        }
    }

    // ---- valid vectors -------------------------------------------------------------------------------------

    /** Decodes the file, compares with the index's fields, re-encodes and compares the bytes. */
    private static void decodeAndReencode(String id, JsonNode v, byte[] b) {
        final List<Harness.Frame> frames = decodeAll(b);
        final List<JsonNode> want = new ArrayList<>();
        if (v.has("decode")) {
            want.add(v.get("decode"));
        } else if (v.has("frames")) {
            v.get("frames").forEach(want::add);
        } else {
            // crafted multi-frame files (pipelining, ping floods) carry only the first header in the index
            final JsonNode h = v.get("header");
            assertEquals(h.get("channel_field").asInt(), frames.get(0).channel(), id + " first channel");
            assertEquals(h.get("length_field").asInt(), frames.get(0).payload().length, id + " first length");
        }
        assertEquals(want.isEmpty() ? frames.size() : want.size(), frames.size(), id + " frame count");
        final ByteArrayOutputStream again = new ByteArrayOutputStream();
        for (int i = 0; i < frames.size(); i++) {
            final Harness.Frame f = frames.get(i);
            final byte[] enc = IpcprimsFrameEncoder.encodeToArray(f.channel(), f.payload());
            again.write(enc, 0, enc.length);
            if (want.isEmpty()) {
                continue;
            }
            final JsonNode w = want.get(i);
            assertEquals(w.get("channel").asInt(), f.channel(), id + " channel");
            assertEquals(w.get("payload_len").asInt(), f.payload().length, id + " length");
            if (w.has("payload_utf8") && !w.get("payload_utf8").asText().matches("<\\d+ bytes utf8>")) {
                assertEquals(w.get("payload_utf8").asText(), f.text(), id + " payload");
            }
            if (w.has("payload_hex_prefix")) {
                assertTrue(hex(f.payload()).startsWith(w.get("payload_hex_prefix").asText()), id + " payload hex");
            }
        }
        assertArrayEquals(b, again.toByteArray(), id + " re-encoded");
    }

    private static List<Harness.Frame> decodeAll(byte[] b) {
        final List<Harness.Frame> out = new ArrayList<>();
        final IpcprimsStreamDecoder d = new IpcprimsStreamDecoder(IpcprimsFrame.DEFAULT_MAX_PAYLOAD);
        d.feed(ByteBuffer.wrap(b), (ch, p, off) -> {
            final byte[] copy = new byte[p.remaining()];
            p.get(copy);
            out.add(new Harness.Frame(ch, copy));
            return true;
        });
        d.endOfStream();
        return out;
    }

    private static final Map<String, int[]> SERVER_NEGOTIATES = Map.ofEntries(
            Map.entry("v01", new int[] {1, 2, 3, 4}), Map.entry("v14", new int[] {2}),
            Map.entry("v16", new int[] {1}), Map.entry("v20", new int[] {1}),
            Map.entry("v21", new int[] {1, 2, 3, 4}), Map.entry("v22", new int[] {1, 2, 3, 4}),
            Map.entry("v23", new int[] {1}), Map.entry("v24", new int[] {1}), Map.entry("v25", new int[] {2, 1}),
            Map.entry("v26", new int[] {1, 2, 3, 4}), Map.entry("v27", new int[] {1}));

    private static final Map<String, int[]> CLIENT_REQUESTS = Map.of(
            "v02", new int[] {1, 2, 3, 4}, "v15", new int[] {2}, "v17", new int[] {1, 256},
            "v32", new int[] {1, 2, 3, 4}, "v33", new int[] {1, 2, 3, 4});

    private static void valid(String id, byte[] b, boolean bw) {
        if (SERVER_NEGOTIATES.containsKey(id)) {
            serverAccepts(id, b, bw);
        } else if (CLIENT_REQUESTS.containsKey(id)) {
            clientAccepts(id, b, bw);
        } else {
            postHandshakeValid(id, b, bw);
        }
    }

    private static void serverAccepts(String id, byte[] b, boolean bw) {
        final String peerId = id.equals("v14") ? "peer-2" : id.equals("v16") ? "peer-3" : "peer-1";
        final Harness h = new Harness(IpcprimsConfig.server().withPeerIds(() -> peerId), bw).feed(b);
        assertNull(h.cause, id + " " + h.cause);
        assertEquals(IpcprimsPeer.State.OPEN, h.peer.state());
        assertArrayEquals(SERVER_NEGOTIATES.get(id), h.peer.negotiatedChannels(), id + " negotiated");
        final List<Harness.Frame> sent = h.sent();
        assertEquals(1, sent.size());
        final HandshakeResponse r = HandshakeResponse.parse(ByteBuffer.wrap(sent.get(0).payload()), 8);
        assertEquals("1.0", r.version(), "the server's own version");
        assertArrayEquals(SERVER_NEGOTIATES.get(id), r.channels());
        final String pair = Map.of("v01", "v02", "v14", "v15", "v16", "v17").get(id);
        if (pair != null) {
            assertArrayEquals(vector(pair), h.conn.written(), id + " response bytes equal " + pair);
        }
        if (id.equals("v20")) {
            assertEquals("s3cret-token", new String(h.peer.takeClientAuthToken()));
            assertNull(h.peer.takeClientAuthToken(), "taken once");
        } else {
            assertNull(h.peer.takeClientAuthToken());
        }
        if (id.equals("v27")) {
            assertEquals(List.of("pipelined-1", "pipelined-2"), texts(h.frames, 1));
        } else {
            assertTrue(h.frames.isEmpty());
        }
    }

    private static void clientAccepts(String id, byte[] b, boolean bw) {
        final Harness h = Harness.client(bw, CLIENT_REQUESTS.get(id));
        final String pair = Map.of("v02", "v01", "v15", "v14", "v17", "v16").get(id);
        if (pair != null) {
            assertArrayEquals(vector(pair), h.conn.written(), id + " request bytes equal " + pair);
        }
        h.feed(b);
        assertNull(h.cause, id + " " + h.cause);
        assertEquals(IpcprimsPeer.State.OPEN, h.peer.state());
        final int[] want = id.equals("v15") ? new int[] {2} : id.equals("v17") ? new int[] {1} : new int[] {1, 2, 3, 4};
        assertArrayEquals(want, h.peer.negotiatedChannels());
        assertEquals(id.equals("v15") ? "peer-2" : id.equals("v17") ? "peer-3" : "peer-1", h.peer.peerId());
        assertEquals(ProtocolVersion.CURRENT, h.peer.remoteVersion());
        assertEquals(id.equals("v33") ? List.of("pipelined") : List.of(), texts(h.frames, 1));
    }

    private static Harness openServer(boolean bw) {
        final Harness h = Harness.server(bw).feed(vector("v01"));
        assertEquals(IpcprimsPeer.State.OPEN, h.peer.state());
        return h;
    }

    private static Harness openClient(boolean bw) {
        final Harness h = Harness.client(bw, 1, 2, 3, 4).feed(vector("v02"));
        assertEquals(IpcprimsPeer.State.OPEN, h.peer.state());
        return h;
    }

    private static byte[] writtenAfter(Harness h, int skip) {
        final byte[] all = h.conn.written();
        return Arrays.copyOfRange(all, skip, all.length);
    }

    private static void postHandshakeValid(String id, byte[] b, boolean bw) {
        switch (id) {
            case "v03": case "v04": case "v05": case "v06": case "v07": case "v08": case "v11": {
                final Harness h = openServer(bw).feed(b);
                assertNull(h.cause);
                final List<Harness.Frame> want = decodeAll(b);
                assertEquals(want.size(), h.frames.size());
                for (int i = 0; i < want.size(); i++) {
                    assertEquals(want.get(i).channel(), h.frames.get(i).channel());
                    assertArrayEquals(want.get(i).payload(), h.frames.get(i).payload());
                }
                assertEquals(0, writtenAfter(h, RESPONSE_1234).length, "nothing sent");
                break;
            }
            case "v09": case "v28": {
                final Harness h = openServer(bw).feed(b);
                assertNull(h.cause);
                assertArrayEquals(vector("v10"), writtenAfter(h, RESPONSE_1234), "exactly one pong, payload not echoed");
                break;
            }
            case "v12": case "v29": {
                final Harness h = openServer(bw).feed(b);
                assertArrayEquals(vector("v13"), writtenAfter(h, RESPONSE_1234), "shutdown_ack");
                assertEquals(IpcprimsPeer.State.PEER_SHUTDOWN, h.peer.state());
                assertTrue(h.events.contains("shutdownRequested"));
                assertTrue(h.conn.outputShut(), "our output is shut down after the ack");
                h.eof();
                assertEquals(IpcprimsPeer.State.CLOSED, h.peer.state());
                assertNull(h.cause, "an acknowledged shutdown is orderly");
                break;
            }
            case "v30": {
                final Harness h = openServer(bw).feed(b);
                assertNull(h.cause);
                assertEquals(List.of("after-pong"), texts(h.frames, 1));
                assertEquals(0, writtenAfter(h, RESPONSE_1234).length);
                assertTrue(h.pongs.isEmpty(), "unsolicited pong ignored");
                break;
            }
            case "v31": {
                final Harness h = openServer(bw).feed(b);
                assertNull(h.cause);
                assertEquals(List.of("after-256-pings"), texts(h.frames, 1));
                final byte[] pongs = writtenAfter(h, RESPONSE_1234);
                assertEquals(256 * 23, pongs.length, "256 pongs");
                break;
            }
            case "v10": {
                final Harness h = openClient(bw);
                assertEquals(org.eipc.spi.transport.OfferResult.ACCEPTED, h.peer.ping());
                assertArrayEquals(vector("v09"), writtenAfter(h, HS_1234), "ping bytes");
                h.now += 1234;
                h.feed(b);
                assertNull(h.cause);
                assertEquals(1, h.pongs.size());
                assertEquals(1, h.pongs.get(0)[0]);
                assertEquals(1234, h.pongs.get(0)[1]);
                break;
            }
            case "v13": {
                final Harness h = openClient(bw);
                assertEquals(org.eipc.spi.transport.OfferResult.ACCEPTED, h.peer.shutdown());
                assertArrayEquals(vector("v12"), writtenAfter(h, HS_1234), "shutdown_request bytes");
                assertEquals(org.eipc.spi.transport.OfferResult.CLOSED, h.peer.send(1, new byte[1]),
                        "no sending after shutdown()");
                h.feed(b);
                assertEquals(IpcprimsPeer.State.CLOSED, h.peer.state());
                assertNull(h.cause);
                assertEquals(1, h.closedCalls);
                break;
            }
            case "v34": {
                final Harness h = Harness.client(bw, 1, 2, 3, 4).feed(b);
                assertNull(h.cause);
                assertArrayEquals(vector("v10"), writtenAfter(h, HS_1234), "pong");
                assertEquals(List.of("after-ping"), texts(h.frames, 1));
                break;
            }
            default:
                throw new AssertionError("no scenario for valid vector " + id);
        }
    }

    // ---- invalid vectors -----------------------------------------------------------------------------------

    private static void assertFailed(String id, Harness h, long base) {
        final Fail f = FAILURES.get(id);
        assertNotNull(f, "no expectation for " + id);
        assertNotNull(h.cause, id + " should fail; events " + h.events);
        assertEquals(f.code(), h.cause.code(), id + ": " + h.cause.getMessage());
        assertEquals(f.offset() < 0 ? -1 : base + f.offset(), h.cause.offset(), id + ": " + h.cause.getMessage());
        assertEquals(1, h.closedCalls, "onClosed once");
        assertEquals(IpcprimsPeer.State.CLOSED, h.peer.state());
        assertFalse(h.conn.isOpen(), "connection closed");
    }

    private static void handshakeReject(String id, byte[] b, boolean bw) {
        final Harness h = Harness.server(bw).feed(b);
        if (id.equals("h21") || id.equals("h22")) {
            assertNull(h.cause, "waits for more bytes");
            h.eof();
        } else if (id.equals("h23")) {
            h.peer.checkTimeouts(h.now + IpcprimsConfig.DEFAULT_TIMEOUT.toNanos() - 1);
            assertNull(h.cause, "not yet due");
            h.now += IpcprimsConfig.DEFAULT_TIMEOUT.toNanos();
            h.peer.checkTimeouts(h.now);
        }
        assertFailed(id, h, 0);
        assertEquals(0, h.conn.written().length, "a failed handshake sends nothing");
        assertTrue(h.frames.isEmpty());
    }

    private static void postHandshakeReject(String id, byte[] b, boolean bw) {
        final Harness h;
        final int base;
        if (id.equals("i07")) {
            h = Harness.server(bw).feed(IpcprimsFrameEncoder.encodeToArray(0,
                    "{\"protocol\":\"ipcprims\",\"version\":\"1.0\",\"channels\":[1]}".getBytes(StandardCharsets.UTF_8)));
            base = 62;
        } else {
            h = openServer(bw);
            base = HS_1234;
        }
        final int sentBefore = h.conn.written().length;
        h.feed(b);
        if (id.equals("i05") || id.equals("i06")) {
            assertNull(h.cause);
            h.eof();
        }
        assertFailed(id, h, base);
        final byte[] after = writtenAfter(h, sentBefore);
        if (id.equals("i18")) {
            assertEquals(256 * 23, after.length, "256 pongs, then the flood is detected");
        } else {
            assertEquals(0, after.length, "no error frame is sent");
        }
        assertEquals(id.equals("i02") ? List.of("ok") : List.of(), texts(h.frames, 1));
    }

    private static void responseReject(String id, byte[] b, boolean bw) {
        final Harness h = Harness.client(bw, 1, 2, 3, 4).feed(b);
        assertFailed(id, h, 0);
        assertEquals(HS_1234, h.conn.written().length, "only the request was sent");
    }

    private static void serverTraffic(String id, byte[] b, boolean bw) {
        final Harness h = Harness.client(bw, 1, 2, 3, 4);
        switch (id) {
            case "c01": case "c02": case "c03":
                h.feed(b);
                assertFailed(id, h, 0);
                break;
            case "c04":
                h.feed(b);
                assertNull(h.cause);
                h.eof();
                assertFailed(id, h, 0);
                break;
            case "c05":
                h.feed(b);
                assertEquals(IpcprimsPeer.State.PEER_SHUTDOWN, h.peer.state());
                assertArrayEquals(vector("v13"), writtenAfter(h, HS_1234), "the client acknowledges");
                h.eof();
                assertNull(h.cause, "orderly after an acknowledged request");
                assertEquals(IpcprimsPeer.State.CLOSED, h.peer.state());
                break;
            case "c06":
                // unlike the reference, the DATA frame that overtakes the pong is delivered in order
                h.feed(Arrays.copyOf(b, RESPONSE_1234));
                assertEquals(org.eipc.spi.transport.OfferResult.ACCEPTED, h.peer.ping());
                h.feed(Arrays.copyOfRange(b, RESPONSE_1234, b.length));
                assertEquals(List.of("handshake", "frame:2", "pong:1"), h.events);
                assertEquals("early", h.frames.get(0).text());
                h.eof();
                assertEquals(ErrorCode.CONNECTION_CLOSED, h.cause.code());
                break;
            default:
                throw new AssertionError("no scenario for " + id);
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    static List<String> texts(List<Harness.Frame> frames, int channel) {
        final List<String> out = new ArrayList<>();
        for (final Harness.Frame f : frames) {
            assertEquals(channel, f.channel());
            out.add(f.text());
        }
        return out;
    }

    static String hex(byte[] b) {
        final StringBuilder s = new StringBuilder();
        for (final byte x : b) {
            s.append(String.format("%02x", x & 0xFF));
        }
        return s.toString();
    }
}
