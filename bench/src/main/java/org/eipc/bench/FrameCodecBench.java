package org.eipc.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;

import org.eipc.api.Header;
import org.eipc.api.MessageType;
import org.eipc.protocol.Frame;
import org.eipc.protocol.FrameDecoder;
import org.eipc.protocol.FrameEncoder;
import org.eipc.protocol.FrameFlags;
import org.eipc.protocol.HeaderCodec;
import org.eipc.protocol.ProtocolMode;
import org.eipc.spi.security.FrameMac;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The EIPC frame codec: encode with HMAC signing and decode with HMAC verification (STRICT) at 64 B, 1 KiB and
 * 64 KiB payloads; and the hand-written {@link HeaderCodec} beside Jackson databind on the same header.
 *
 * <p>The header is a realistic post-handshake one (the 64-hex session token as session_id), 241 bytes of JSON
 * like the reference's {@code handshake-scripted-c2s} intent frame.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx512m", "-Xms512m"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class FrameCodecBench {

    static final byte[] KEY = "EIPC-golden-vector-key-32-bytes!".getBytes(StandardCharsets.US_ASCII);

    static final Header HEADER = Header.builder().serviceId("nia.min")
            .sessionId("7fd1ebbabf8ccd58841aedd60268894902ee1cc1ecf6803a367ff14f1dafd376").requestId("req-1")
            .sequence(123_456).timestamp("2026-01-02T03:04:05.127456789Z").priority(0).capability("ui:control")
            .build();

    /** One frame of each size, encoded once; plus what encode and decode reuse. */
    @State(Scope.Thread)
    public static class FrameState {
        @Param({"64", "1024", "65536"})
        public int payloadSize;

        /**
         * {@code provider}: the product's {@code eipc-security-hmac} provider (an allocation-free HMAC over two
         * reused SHA-256 digests); {@code jce}: javax.crypto.Mac, as a baseline.
         */
        @Param({"provider", "jce"})
        public String mac;

        FrameMac frameMac;
        FrameEncoder encoder;
        FrameDecoder decoder;
        ByteBuffer payload;
        ByteBuffer out;
        ByteBuffer frame;

        @Setup
        public void setup() {
            frameMac = switch (mac) {
                case "provider" -> new org.eipc.security.hmac.impl.HmacSha256Provider().newMac(
                        new org.eipc.spi.keyring.KeyEntry("bench", new javax.crypto.spec.SecretKeySpec(KEY, "RAW"),
                                java.time.Instant.EPOCH, null));
                default -> new JceHmacSha256(KEY);
            };
            encoder = new FrameEncoder();
            decoder = new FrameDecoder(ProtocolMode.STRICT);
            byte[] p = new byte[payloadSize];
            for (int i = 0; i < p.length; i++) {
                p[i] = (byte) (i % 251);
            }
            payload = ByteBuffer.wrap(p);
            out = ByteBuffer.allocate(encoder.encodedLength(HEADER, payloadSize, true) + 4);
            int n = encoder.encode(MessageType.INTENT.wireByte(), FrameFlags.HMAC, HEADER, payload, frameMac, out);
            frame = ByteBuffer.wrap(out.array(), 0, n).slice();
            // sanity: what we measure must decode
            if (!decoder.decode(frame, frameMac).header().equals(HEADER)) {
                throw new IllegalStateException("bench frame does not round-trip");
            }
            out = ByteBuffer.allocate(out.capacity());
        }
    }

    /** Encode a frame with HMAC-SHA256 signing into a reused buffer. */
    @Benchmark
    public int encodeSigned(FrameState s) {
        s.out.clear();
        return s.encoder.encode(MessageType.INTENT.wireByte(), FrameFlags.HMAC, HEADER, s.payload, s.frameMac, s.out);
    }

    /** Decode a frame in place: structure, HMAC-SHA256 verify over the received bytes, header parse (STRICT). */
    @Benchmark
    public Frame decodeVerify(FrameState s) {
        return s.decoder.decode(s.frame, s.frameMac);
    }

    // ---- header codec versus Jackson databind --------------------------------------------------------------

    /** The header as JSON bytes, plus Jackson's reader and writer, built once. */
    @State(Scope.Thread)
    public static class HeaderState {
        ByteBuffer headerOut;
        ByteBuffer headerJson;
        byte[] headerBytes;
        ObjectWriter jacksonWriter;
        ObjectReader jacksonReader;
        GoHeaderPojo pojo;
        ByteArrayOutputStream jacksonOut;

        @Setup
        public void setup() throws IOException {
            headerOut = ByteBuffer.allocate(HeaderCodec.encodedLength(HEADER));
            HeaderCodec.write(HEADER, headerOut);
            headerBytes = headerOut.array().clone();
            headerJson = ByteBuffer.wrap(headerBytes);
            ObjectMapper mapper = new ObjectMapper()
                    .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false); // Go skips unknown fields
            jacksonWriter = mapper.writerFor(GoHeaderPojo.class);
            jacksonReader = mapper.readerFor(GoHeaderPojo.class);
            pojo = jacksonReader.readValue(headerBytes);
            jacksonOut = new ByteArrayOutputStream(512);
            jacksonWriter.writeValue(jacksonOut, pojo);
            if (!new String(jacksonOut.toByteArray(), StandardCharsets.UTF_8)
                    .equals(new String(headerBytes, StandardCharsets.UTF_8))) {
                throw new IllegalStateException("Jackson does not produce the same header bytes");
            }
        }
    }

    /** Our header writer into a reused buffer. */
    @Benchmark
    public int headerWriteEipc(HeaderState s) {
        s.headerOut.clear();
        return HeaderCodec.write(HEADER, s.headerOut);
    }

    /** Jackson databind writing the same POJO into a reused stream. */
    @Benchmark
    public int headerWriteJackson(HeaderState s) throws IOException {
        s.jacksonOut.reset();
        s.jacksonWriter.writeValue(s.jacksonOut, s.pojo);
        return s.jacksonOut.size();
    }

    /** Our header parser (Go semantics) to an immutable Header. */
    @Benchmark
    public Header headerReadEipc(HeaderState s) {
        return HeaderCodec.read(s.headerJson, 0);
    }

    /** Jackson databind parsing the same bytes into the POJO. */
    @Benchmark
    public GoHeaderPojo headerReadJackson(HeaderState s) throws IOException {
        return s.jacksonReader.readValue(s.headerBytes);
    }
}
