package org.eipc.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.eipc.api.ErrorCode;
import org.eipc.api.Header;
import org.eipc.api.IpcException;
import org.eipc.api.MessageType;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every one of the 80 golden vectors of the Go reference is one test, named after its id. Frames are decoded in
 * both modes: {@link ProtocolMode#COMPAT} must accept exactly what the reference's ClientEndpoint accepted,
 * {@link ProtocolMode#STRICT} additionally rejects the reference's weaknesses with a specific code.
 */
class GoldenVectorTest {

    /** An outcome: null code = accepted. */
    private record Outcome(ErrorCode code, long offset) {
        static final Outcome OK = new Outcome(null, -1);
    }

    private record Expect(Outcome strict, Outcome compat) {
    }

    private static final Map<String, Expect> FRAME_EXPECT = new HashMap<>();

    private static void both(String id, ErrorCode code, long offset) {
        FRAME_EXPECT.put(id, new Expect(new Outcome(code, offset), new Outcome(code, offset)));
    }

    /** The reference accepted it; STRICT does not. */
    private static void strictOnly(String id, ErrorCode code, long offset) {
        FRAME_EXPECT.put(id, new Expect(new Outcome(code, offset), Outcome.OK));
    }

    static {
        both("bad-magic", ErrorCode.BAD_MAGIC, 0);
        both("bad-version-0", ErrorCode.UNSUPPORTED_VERSION, 4);
        both("bad-version-2", ErrorCode.UNSUPPORTED_VERSION, 4);
        both("bad-version-0x0100", ErrorCode.UNSUPPORTED_VERSION, 4);
        both("bad-lengths-sum-over-1MiB", ErrorCode.FRAME_TOO_LARGE, 8);
        both("bad-header-len-0xffffffff", ErrorCode.FRAME_TOO_LARGE, 8);
        both("bad-payload-len-larger-than-data", ErrorCode.TRUNCATED_PAYLOAD, 257);
        both("bad-truncated-preamble", ErrorCode.TRUNCATED_PREAMBLE, 10);
        both("bad-truncated-header", ErrorCode.TRUNCATED_HEADER, 36);
        both("bad-truncated-payload", ErrorCode.TRUNCATED_PAYLOAD, 195);
        both("bad-truncated-mac", ErrorCode.TRUNCATED_MAC, 241);
        // the reference's encoder bug: flag set, MAC left out; we never emit it and every decoder rejects it
        both("bad-hmac-flag-short-mac-encode", ErrorCode.TRUNCATED_MAC, 187);
        for (String id : List.of("bad-mac-bit-flipped", "bad-payload-bit-flipped", "bad-header-bit-flipped",
                "bad-msgtype-changed", "bad-wrong-key")) {
            both(id, ErrorCode.MAC_INVALID, 16 + 169 + 40);
        }
        both("bad-header-not-json", ErrorCode.HEADER_SYNTAX, 16 + 1); // "not json": 'o' breaks literal null
        both("bad-header-empty", ErrorCode.HEADER_EMPTY, 16);
        both("bad-header-array", ErrorCode.HEADER_NOT_OBJECT, 16);
        both("bad-header-sequence-string", ErrorCode.HEADER_FIELD_TYPE,
                16 + "{\"service_id\":\"x\",\"sequence\":".length());
        both("bad-header-sequence-negative", ErrorCode.HEADER_FIELD_TYPE,
                16 + "{\"service_id\":\"x\",\"sequence\":".length());
        both("bad-header-priority-256", ErrorCode.HEADER_FIELD_TYPE,
                16 + "{\"service_id\":\"x\",\"sequence\":5,\"priority\":".length());
        both("header-sequence-float", ErrorCode.HEADER_FIELD_TYPE,
                16 + "{\"service_id\":\"num.test\",\"sequence\":".length());
        // accepted by the reference, rejected by STRICT
        for (String id : List.of("payload-empty-nomac", "payload-small-json-nomac", "payload-binary-256-nomac",
                "payload-64k-nomac", "flags-encrypted-0x04", "weak-hmac-flag-stripped", "weak-unsigned-forged-payload",
                "weak-flag-cleared-mac-kept")) {
            strictOnly(id, ErrorCode.MAC_MISSING, 7);
        }
        strictOnly("bad-trailing-garbage", ErrorCode.TRAILING_BYTES, 257);
        strictOnly("flags-compress-0x03", ErrorCode.UNSUPPORTED_FLAGS, 7);
        strictOnly("flags-unknown-bits-0xf9", ErrorCode.UNSUPPORTED_FLAGS, 7);
    }

    /** Hand-written headers: decode then write gives Go's canonical form, not the received bytes. */
    private static final Map<String, String> CANONICAL = Map.of(
            "header-case-insensitive-dup-unknown",
            "{\"service_id\":\"case.test\",\"session_id\":\"\",\"request_id\":\"b\",\"sequence\":5,\"timestamp\":\"\","
                    + "\"priority\":2,\"payload_format\":0}",
            "header-whitespace",
            "{\"service_id\":\"ws.test\",\"session_id\":\"\",\"request_id\":\"\",\"sequence\":3,\"timestamp\":\"\","
                    + "\"priority\":0,\"payload_format\":0}",
            "bad-header-empty-object-seq0",
            "{\"service_id\":\"\",\"session_id\":\"\",\"request_id\":\"\",\"sequence\":0,\"timestamp\":\"\","
                    + "\"priority\":0,\"payload_format\":0}");

    private static final Set<String> STREAM_OK = Set.of("replay-window-sequence", "replay-identical-frame-twice",
            "handshake-scripted-c2s", "handshake-scripted-s2c", "handshake-scripted-denied-unknown-service",
            "handshake-scripted-denied-bad-response", "stream-empty");

    @TestFactory
    Stream<DynamicTest> goldenVectors() {
        List<JsonNode> all = Vectors.all();
        assertEquals(80, all.size(), "index.json vector count");
        return all.stream().map(v -> dynamicTest(v.get("id").asText(), () -> check(v)));
    }

    private void check(JsonNode v) throws Exception {
        String kind = v.get("kind").asText();
        switch (kind) {
            case "frame":
                checkFrameVector(v);
                break;
            case "stream":
                checkStreamVector(v);
                break;
            case "none":
                checkNoneVector(v);
                break;
            default:
                fail("unknown kind " + kind);
        }
    }

    // ---- frames ---------------------------------------------------------------------------------------------

    private void checkFrameVector(JsonNode v) throws Exception {
        String id = v.get("id").asText();
        byte[] bytes = Vectors.bytes(v);
        byte[] key = Vectors.key(v);
        Expect expect = FRAME_EXPECT.getOrDefault(id, new Expect(Outcome.OK, Outcome.OK));

        // COMPAT accepts exactly what the reference's ClientEndpoint.Receive accepted
        String clientResult = v.get("reference_results").get("core.ClientEndpoint.Receive(stream)").get(0)
                .get("result").asText();
        assertEquals("ok".equals(clientResult), expect.compat().code() == null,
                "COMPAT must agree with the reference (" + clientResult + ")");

        for (ProtocolMode mode : ProtocolMode.values()) {
            Outcome o = mode == ProtocolMode.STRICT ? expect.strict() : expect.compat();
            FrameDecoder decoder = new FrameDecoder(mode);
            if (o.code() != null) {
                IpcException e = assertThrows(IpcException.class,
                        () -> decoder.decode(ByteBuffer.wrap(bytes), new TestHmac(key)), mode.toString());
                assertEquals(o.code(), e.code(), mode + ": " + e.getMessage());
                assertEquals(o.offset(), e.offset(), mode + ": " + e.getMessage());
                // the same bytes behind a length prefix give the same code at the stream offset
                StreamRun run = runStream(framed(bytes), mode, key, Chunking.WHOLE);
                assertEquals(o.code(), run.error, mode + " in a stream");
                assertEquals(o.offset() + 4, run.errorOffset, mode + " in a stream");
                continue;
            }
            ByteBuffer in = ByteBuffer.wrap(bytes);
            Frame f = decoder.decode(in, new TestHmac(key));
            assertEquals(0, in.position(), "decode leaves the caller's position alone");
            assertFrameMatches(v.get("expected"), f, key);
            if (mode == ProtocolMode.COMPAT) {
                assertReencodes(id, v, bytes, f, key);
            }
            // also as a stream record, whole and byte by byte
            for (Chunking c : Chunking.values()) {
                StreamRun run = runStream(framed(bytes), mode, key, c);
                assertNull(run.error, mode + " " + c + " " + run.error);
                assertEquals(1, run.frames.size());
                assertEquals(f.header(), run.frames.get(0).header);
            }
        }
        if (id.startsWith("flags-encrypted-")) {
            checkEncrypted(v, bytes, key);
        }
        if (id.startsWith("ok-")) {
            Frame f = new FrameDecoder(ProtocolMode.STRICT).decode(ByteBuffer.wrap(bytes), new TestHmac(key));
            assertNull(f.type(), "unknown type bytes decode without a MessageType");
            assertEquals(bytes[6], f.typeByte());
        }
        if (expect.strict().code() == ErrorCode.MAC_INVALID) {
            // the structure is fine: a key-less parse succeeds and says the MAC was not checked
            Frame f = new FrameDecoder(ProtocolMode.STRICT).parse(ByteBuffer.wrap(bytes));
            assertEquals(MacStatus.NOT_CHECKED, f.macStatus());
            assertEquals(Boolean.FALSE, v.get("expected").get("mac_valid").asBoolean());
        }
        if (id.equals("bad-header-empty-object-seq0")) {
            // decoding is fine; sequence 0 is the replay guard's business (the reference server says replay)
            Frame f = new FrameDecoder(ProtocolMode.STRICT).decode(ByteBuffer.wrap(bytes), new TestHmac(key));
            assertEquals(0L, f.header().sequence());
        }
    }

    static byte[] framed(byte[] frame) {
        return ByteBuffer.allocate(4 + frame.length).putInt(frame.length).put(frame).array();
    }

    private static void assertFrameMatches(JsonNode exp, Frame f, byte[] key) {
        assertEquals(exp.get("version").asInt(), f.version());
        assertEquals(exp.get("msg_type").asInt(), f.typeByte() & 0xFF);
        MessageType t = MessageType.fromWireName(exp.get("msg_type_name").asText());
        assertEquals(t, f.type());
        assertEquals(exp.get("flags").asInt(), f.flags());
        assertEquals(exp.get("header_len").asInt(), f.headerLength());
        assertEquals(exp.get("payload_len").asInt(), f.payloadLength());
        assertArrayEquals(exp.get("header_json_text").asText().getBytes(StandardCharsets.UTF_8), bytes(f.headerBytes()));
        assertHeaderMatches(exp.get("header"), f.header());
        byte[] payload = bytes(f.payload());
        assertTrue(f.payload().isReadOnly());
        assertEquals(exp.get("payload_sha256").asText(), Vectors.sha256Hex(payload));
        if (exp.has("payload_hex")) {
            assertEquals(exp.get("payload_hex").asText(), Vectors.HEX.formatHex(payload));
        }
        if (exp.has("payload_text")) {
            assertEquals(exp.get("payload_text").asText(), new String(payload, StandardCharsets.UTF_8));
        }
        if ((f.flags() & FrameFlags.HMAC) != 0) {
            assertEquals(exp.get("mac_hex").asText(), Vectors.HEX.formatHex(bytes(f.mac())));
            assertEquals(exp.get("expected_mac_hex").asText(),
                    Vectors.HEX.formatHex(TestHmac.hmac(key, bytes(f.signedBytes()))));
            assertEquals(MacStatus.VERIFIED, f.macStatus());
        } else {
            assertNull(f.mac());
            assertEquals(MacStatus.ABSENT, f.macStatus());
        }
        int trailing = exp.has("trailing_bytes_after_frame") ? exp.get("trailing_bytes_after_frame").asInt() : 0;
        assertEquals(trailing, f.trailingBytes());
        // toMessage shares the payload view
        assertArrayEquals(payload, f.toMessage().payloadBytes());
        assertEquals(f.header(), f.toMessage().header());
    }

    /** Applies Go's decoding rules to the expected header object and compares. */
    static void assertHeaderMatches(JsonNode expHeader, Header h) {
        Map<String, JsonNode> fields = new HashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = expHeader.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            fields.put(e.getKey().toLowerCase(Locale.ROOT), e.getValue());
        }
        assertEquals(text(fields, "service_id"), h.serviceId());
        assertEquals(text(fields, "session_id"), h.sessionId());
        assertEquals(text(fields, "request_id"), h.requestId());
        assertEquals(fields.containsKey("sequence") ? fields.get("sequence").asText() : "0", h.sequenceText());
        assertEquals(text(fields, "timestamp"), h.timestamp());
        assertEquals(fields.containsKey("priority") ? fields.get("priority").asInt() : 0, h.priority());
        assertEquals(text(fields, "capability"), h.capability());
        assertEquals(text(fields, "route"), h.route());
        assertEquals(fields.containsKey("payload_format") ? fields.get("payload_format").asInt() : 0,
                h.payloadFormat());
    }

    private static String text(Map<String, JsonNode> fields, String name) {
        return fields.containsKey(name) ? fields.get(name).asText() : "";
    }

    private static void assertReencodes(String id, JsonNode v, byte[] bytes, Frame f, byte[] key) {
        String canonical = CANONICAL.get(id);
        if (canonical != null) {
            ByteBuffer out = ByteBuffer.allocate(1024);
            int n = HeaderCodec.write(f.header(), out);
            assertEquals(canonical, new String(out.array(), 0, n, StandardCharsets.UTF_8));
            assertEquals(n, HeaderCodec.encodedLength(f.header()));
            return;
        }
        FrameEncoder enc = new FrameEncoder();
        boolean mac = (f.flags() & FrameFlags.HMAC) != 0;
        int len = enc.encodedLength(f.header(), f.payloadLength(), mac);
        assertEquals(f.frameLength(), len);
        ByteBuffer out = ByteBuffer.allocate(len + 7);
        out.position(3);
        int written = enc.encode(f.typeByte(), f.flags(), f.header(), f.payload(), new TestHmac(key), out);
        assertEquals(len, written);
        assertEquals(3 + len, out.position());
        assertArrayEquals(Arrays.copyOf(bytes, f.frameLength()), Arrays.copyOfRange(out.array(), 3, 3 + len),
                "re-encoding must give the reference's bytes");
        // with the prefix, exactly what the stream transport of the reference writes
        ByteBuffer prefixed = ByteBuffer.allocate(len + 4);
        enc.encodeWithPrefix(f.typeByte(), f.flags(), f.header(), f.payload(), new TestHmac(key), prefixed);
        if (v.has("stream_prefix_hex") && f.trailingBytes() == 0) {
            assertEquals(v.get("stream_prefix_hex").asText(), Vectors.HEX.formatHex(prefixed.array(), 0, 4));
        }
        assertArrayEquals(framed(Arrays.copyOf(bytes, f.frameLength())), prefixed.array());
    }

    private static void checkEncrypted(JsonNode v, byte[] bytes, byte[] key) throws Exception {
        Frame f = new FrameDecoder(ProtocolMode.COMPAT).decode(ByteBuffer.wrap(bytes), new TestHmac(key));
        assertTrue(f.hasFlag(FrameFlags.ENCRYPTED));
        JsonNode x = v.get("extra");
        byte[] payload = bytes(f.payload());
        boolean tampered = v.get("id").asText().contains("tampered");
        if (!tampered) {
            byte[] nonce = Vectors.HEX.parseHex(x.get("gcm_nonce_hex").asText());
            byte[] ct = Vectors.HEX.parseHex(x.get("gcm_ciphertext_hex").asText());
            byte[] tag = Vectors.HEX.parseHex(x.get("gcm_tag_hex").asText());
            assertEquals(12, nonce.length);
            assertEquals(16, tag.length);
            ByteBuffer layout = ByteBuffer.allocate(nonce.length + ct.length + tag.length).put(nonce).put(ct).put(tag);
            assertArrayEquals(layout.array(), payload, "payload = nonce || ciphertext || tag");
        } else {
            assertEquals("decrypt: cipher: message authentication failed", x.get("encryption.Decrypt").asText());
        }
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(Vectors.HEX.parseHex(v.get("aes_key_hex").asText()), "AES"),
                new GCMParameterSpec(128, payload, 0, 12));
        if (tampered) {
            // the frame is valid (its MAC covers the tampered ciphertext); GCM must refuse it
            assertThrows(AEADBadTagException.class, () -> c.doFinal(payload, 12, payload.length - 12));
        } else {
            byte[] plain = c.doFinal(payload, 12, payload.length - 12);
            assertEquals(x.get("plaintext").asText(), new String(plain, StandardCharsets.UTF_8));
        }
    }

    // ---- streams --------------------------------------------------------------------------------------------

    enum Chunking { WHOLE, ONE_BYTE, RANDOM }

    static final class Seen {
        final byte type;
        final Header header;
        final byte[] payload;
        final long offset;

        Seen(Frame f, long offset) {
            this.type = f.typeByte();
            this.header = f.header();
            this.payload = bytes(f.payload()); // views are valid only inside onFrame
            this.offset = offset;
        }
    }

    static final class StreamRun {
        final List<Seen> frames = new ArrayList<>();
        ErrorCode error;
        long errorOffset = -1;
    }

    static StreamRun runStream(byte[] stream, ProtocolMode mode, byte[] key, Chunking chunking) {
        StreamRun run = new StreamRun();
        StreamDecoder d = new StreamDecoder(new FrameDecoder(mode), new TestHmac(key),
                (f, off) -> run.frames.add(new Seen(f, off)));
        Random rnd = new Random(stream.length);
        try {
            int i = 0;
            while (i < stream.length) {
                int n;
                switch (chunking) {
                    case WHOLE: n = stream.length; break;
                    case ONE_BYTE: n = 1; break;
                    default: n = 1 + rnd.nextInt(Math.min(stream.length - i, 700)); break;
                }
                n = Math.min(n, stream.length - i);
                // copy each chunk into a fresh buffer so that views into it cannot outlive the chunk unnoticed
                ByteBuffer chunk = ByteBuffer.allocate(n + 2);
                chunk.position(1);
                chunk.put(stream, i, n).flip().position(1);
                d.feed(chunk);
                assertEquals(chunk.limit(), chunk.position(), "feed consumes the whole chunk");
                i += n;
            }
            d.endOfStream();
            assertEquals(stream.length, d.offset());
        } catch (IpcException e) {
            run.error = e.code();
            run.errorOffset = e.offset();
            // sticky failure
            IpcException again = assertThrows(IpcException.class, () -> d.feed(ByteBuffer.allocate(1)));
            assertEquals(e.code(), again.code());
        }
        return run;
    }

    private void checkStreamVector(JsonNode v) {
        String id = v.get("id").asText();
        byte[] stream = Vectors.bytes(v);
        byte[] key = Vectors.key(v.has("key_hex") ? v : Vectors.byId("type-intent"));
        StreamRun whole = runStream(stream, ProtocolMode.STRICT, key, Chunking.WHOLE);
        for (Chunking c : List.of(Chunking.ONE_BYTE, Chunking.RANDOM)) {
            StreamRun r = runStream(stream, ProtocolMode.STRICT, key, c);
            assertEquals(whole.error, r.error, c.toString());
            assertEquals(whole.errorOffset, r.errorOffset, c.toString());
            assertEquals(whole.frames.size(), r.frames.size(), c.toString());
            for (int i = 0; i < r.frames.size(); i++) {
                assertEquals(whole.frames.get(i).header, r.frames.get(i).header);
                assertArrayEquals(whole.frames.get(i).payload, r.frames.get(i).payload);
                assertEquals(whole.frames.get(i).offset, r.frames.get(i).offset);
            }
        }
        if (STREAM_OK.contains(id)) {
            assertNull(whole.error, id + ": " + whole.error);
            JsonNode frames = v.get("frames");
            int expectedFrames = frames == null ? 0 : frames.size();
            assertEquals(expectedFrames, whole.frames.size());
            long off = 0;
            for (int i = 0; i < expectedFrames; i++) {
                JsonNode exp = frames.get(i);
                Seen s = whole.frames.get(i);
                assertEquals(off, s.offset);
                assertEquals(exp.get("msg_type").asInt(), s.type & 0xFF);
                assertHeaderMatches(exp.get("header"), s.header);
                assertEquals(exp.get("payload_sha256").asText(), Vectors.sha256Hex(s.payload));
                off += 4 + 16 + exp.get("header_len").asInt() + exp.get("payload_len").asInt() + 32;
            }
            assertEquals(stream.length, off);
            // COMPAT sees the same frames
            assertEquals(expectedFrames, runStream(stream, ProtocolMode.COMPAT, key, Chunking.ONE_BYTE).frames.size());
        }
        switch (id) {
            case "stream-prefix-over-1MiB":
            case "stream-prefix-0xffffffff":
                assertError(whole, ErrorCode.STREAM_PREFIX_TOO_LARGE, 0);
                break;
            case "stream-prefix-zero":
                assertError(whole, ErrorCode.STREAM_PREFIX_ZERO, 0);
                break;
            case "stream-prefix-too-short":
                // the last MAC byte lies outside the prefix: the frame inside it is short of its MAC
                assertError(whole, ErrorCode.TRUNCATED_MAC, stream.length - 1);
                break;
            case "stream-prefix-too-long-eof":
            case "stream-prefix-exactly-1MiB-short-body":
                assertError(whole, ErrorCode.TRUNCATED_FRAME, stream.length);
                break;
            case "stream-truncated-prefix":
                assertError(whole, ErrorCode.TRUNCATED_PREFIX, stream.length);
                break;
            case "stream-empty":
                assertEquals(0, stream.length);
                break;
            case "replay-window-sequence": {
                List<Long> seqs = new ArrayList<>();
                whole.frames.forEach(s -> seqs.add(s.header.sequence()));
                List<Long> expected = new ArrayList<>();
                v.get("extra").get("sequences").forEach(n -> expected.add(n.asLong()));
                assertEquals(List.of(1L, 2L, 3L, 2L, 5L, 4L, 200L, 72L, 71L, 72L, 0L, 201L, 1000L, 873L, 872L), seqs);
                assertEquals(expected, seqs);
                break;
            }
            case "replay-identical-frame-twice":
                assertEquals(2, whole.frames.size());
                assertEquals(whole.frames.get(0).header, whole.frames.get(1).header);
                assertArrayEquals(whole.frames.get(0).payload, whole.frames.get(1).payload);
                break;
            case "handshake-scripted-c2s":
                checkHandshakeC2s(v, whole, key);
                break;
            case "handshake-scripted-s2c":
                checkHandshakeS2c(whole);
                break;
            case "handshake-scripted-denied-unknown-service":
            case "handshake-scripted-denied-bad-response": {
                Seen last = whole.frames.get(whole.frames.size() - 1);
                assertEquals(MessageType.AUTH_RESPONSE.wireByte(), last.type);
                JsonNode p = json(last.payload);
                assertEquals("denied", p.get("status").asText());
                assertEquals(v.get("extra").get("error_text").asText(), p.get("error").asText());
                if (whole.frames.size() > 1) {
                    assertEquals(MessageType.CHALLENGE.wireByte(), whole.frames.get(0).type);
                }
                break;
            }
            default:
                fail("no expectation for stream vector " + id);
        }
    }

    private static final String NONCE_HEX = "d68f24103c9b7a7db1c30a89d8cac6e977cf704ac40673381e166ef9c10884e2";

    private void checkHandshakeC2s(JsonNode v, StreamRun run, byte[] key) {
        JsonNode x = v.get("extra");
        assertEquals(NONCE_HEX, x.get("nonce_hex").asText());
        assertEquals(Vectors.sha256Hex(Vectors.ascii("eipc-vector-nonce")), x.get("nonce_hex").asText());
        assertEquals(Vectors.sha256Hex(Vectors.ascii("eipc-vector-session-token")), x.get("session_token").asText());
        byte[] expectedResponse = TestHmac.hmac(key, Vectors.HEX.parseHex(x.get("nonce_hex").asText()));
        assertEquals(x.get("challenge_response_hex").asText(), Vectors.HEX.formatHex(expectedResponse));
        assertEquals(List.of(MessageType.AUTH, MessageType.AUTH_RESPONSE, MessageType.INTENT, MessageType.HEARTBEAT),
                run.frames.stream().map(s -> MessageType.fromWire(s.type)).toList());
        JsonNode auth = json(run.frames.get(0).payload);
        assertEquals("nia.min", auth.get("service_id").asText());
        JsonNode response = json(run.frames.get(1).payload);
        assertEquals("nia.min", response.get("service_id").asText());
        assertEquals(Vectors.HEX.formatHex(expectedResponse), response.get("response").asText());
        assertEquals(x.get("session_token").asText(), run.frames.get(2).header.sessionId());
        for (int i = 0; i < 4; i++) {
            assertEquals(i + 1, run.frames.get(i).header.sequence(), "client sequences start at 1");
        }
    }

    private void checkHandshakeS2c(StreamRun run) {
        assertEquals(List.of(MessageType.CHALLENGE, MessageType.AUTH_RESPONSE, MessageType.ACK),
                run.frames.stream().map(s -> MessageType.fromWire(s.type)).toList());
        JsonNode challenge = json(run.frames.get(0).payload);
        assertEquals("challenge", challenge.get("status").asText());
        assertEquals(NONCE_HEX, challenge.get("nonce").asText());
        JsonNode ok = json(run.frames.get(1).payload);
        assertEquals("ok", ok.get("status").asText());
        assertEquals(Vectors.sha256Hex(Vectors.ascii("eipc-vector-session-token")), ok.get("session_token").asText());
        for (int i = 0; i < 3; i++) {
            assertEquals(i + 1, run.frames.get(i).header.sequence(), "server sequences start at 1");
        }
    }

    private static void assertError(StreamRun run, ErrorCode code, long offset) {
        assertEquals(code, run.error);
        assertEquals(offset, run.errorOffset);
        assertEquals(0, run.frames.size());
    }

    // ---- results only ---------------------------------------------------------------------------------------

    private void checkNoneVector(JsonNode v) throws Exception {
        String id = v.get("id").asText();
        JsonNode x = v.get("extra");
        if (id.equals("encryption-errors")) {
            // the error texts belong to the cipher bundle; what the layout needs: a 12-byte nonce, a 16-byte tag,
            // and a tampered ciphertext that GCM refuses
            assertNotNull(x.get("Decrypt(tampered)"));
            JsonNode tampered = Vectors.byId("flags-encrypted-tampered-ciphertext");
            checkEncrypted(tampered, Vectors.bytes(tampered), Vectors.key(tampered));
            // the codec itself never decrypts: an ENCRYPTED frame decodes like any other and its payload is at
            // least nonce (12) + tag (16) long in the vectors
            assertEquals(3, x.size());
            JsonNode enc = Vectors.byId("flags-encrypted-0x05");
            Frame f = new FrameDecoder(ProtocolMode.STRICT).decode(ByteBuffer.wrap(Vectors.bytes(enc)),
                    new TestHmac(Vectors.key(enc)));
            assertTrue(f.payloadLength() >= 28);
            return;
        }
        assertEquals("limits-max-frame", id);
        int hlen = x.get("header_len_used").asInt();
        Header h = headerOfLength(hlen);
        FrameEncoder enc = new FrameEncoder();
        TestHmac mac = new TestHmac(Vectors.HMAC_KEY);
        // HMAC frame of exactly 1 MiB: encoder writes it, the stream receiver accepts it
        int maxPayload = ProtocolLimits.MAX_FRAME - 16 - 32 - hlen;
        assertEquals("1048576", x.get("hmac: payload = 1MiB-16-32-header_len (frame exactly 1 MiB)")
                .get("stream_prefix").asText());
        ByteBuffer out = ByteBuffer.allocate(ProtocolLimits.MAX_FRAME + 4);
        int n = enc.encodeWithPrefix((byte) 'i', FrameFlags.HMAC, h, ByteBuffer.allocate(maxPayload), mac, out);
        assertEquals(ProtocolLimits.MAX_FRAME + 4, n);
        StreamRun run = runStream(out.array(), ProtocolMode.STRICT, Vectors.HMAC_KEY, Chunking.WHOLE);
        assertNull(run.error);
        assertEquals(1, run.frames.size());
        assertEquals(maxPayload, run.frames.get(0).payload.length);
        // one byte more: the reference sends it and every receiver rejects it; we refuse to send it
        for (int extra : new int[] {1, 48}) {
            ByteBuffer big = ByteBuffer.allocate(ProtocolLimits.MAX_FRAME + 100);
            IpcException e = assertThrows(IpcException.class, () -> enc.encode((byte) 'i', FrameFlags.HMAC, h,
                    ByteBuffer.allocate(maxPayload + extra), mac, big));
            assertEquals(ErrorCode.FRAME_TOO_LARGE, e.code());
            assertEquals(0, big.position(), "nothing written");
        }
        // and a receiver rejects the prefix the reference would have sent
        byte[] prefix = ByteBuffer.allocate(4).putInt(ProtocolLimits.MAX_FRAME + 1).array();
        assertError(runStream(prefix, ProtocolMode.COMPAT, Vectors.HMAC_KEY, Chunking.WHOLE),
                ErrorCode.STREAM_PREFIX_TOO_LARGE, 0);
        // without MAC: 1 MiB - 16 - header_len is the largest payload
        int maxNoMac = ProtocolLimits.MAX_FRAME - 16 - hlen;
        ByteBuffer out2 = ByteBuffer.allocate(ProtocolLimits.MAX_FRAME);
        assertEquals(ProtocolLimits.MAX_FRAME, enc.encode((byte) 'i', 0, h, ByteBuffer.allocate(maxNoMac), null, out2));
        Frame f = new FrameDecoder(ProtocolMode.COMPAT).decode(out2.flip(), mac);
        assertEquals(maxNoMac, f.payloadLength());
        IpcException e = assertThrows(IpcException.class, () -> enc.encode((byte) 'i', 0, h,
                ByteBuffer.allocate(maxNoMac + 1), null, ByteBuffer.allocate(ProtocolLimits.MAX_FRAME + 1)));
        assertEquals(ErrorCode.FRAME_TOO_LARGE, e.code());
    }

    /** A realistic header whose JSON is exactly {@code len} bytes (pads request_id). */
    static Header headerOfLength(int len) {
        Header base = Header.builder().serviceId("vector.client").sessionId("sess-0001").requestId("")
                .sequence(1).timestamp("2026-01-02T03:04:05.123456789Z").priority(1).build();
        int pad = len - HeaderCodec.encodedLength(base);
        Header h = base.toBuilder().requestId("r".repeat(pad)).build();
        assertEquals(len, HeaderCodec.encodedLength(h));
        return h;
    }

    static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    private static JsonNode json(byte[] b) {
        try {
            return new ObjectMapper().readTree(b);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
