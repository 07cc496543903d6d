package org.eipc.codec.cbor.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

import org.eipc.codec.json.impl.JsonCodec;
import org.eipc.codec.msgpack.impl.MessagePackCodec;
import org.eipc.spi.codec.Codec;
import org.eipc.codec.jackson.CodecContract;
import org.junit.jupiter.api.Test;

/**
 * The same objects through all three codecs: encode with one and decode (typed for records, untyped for plain
 * maps), re-encode the result with another and decode; the result equals the original. Untyped decoding is not
 * lossless for every type in every format (JSON reads fractions as double and bytes as base64 strings,
 * MessagePack reads big numbers as strings), so big numbers and bytes are compared through a typed target.
 */
class CrossCodecTest {
    private final List<Codec> codecs = List.of(new JsonCodec(), new MessagePackCodec(), new CborCodec());

    @Test
    void shouldCarryTheSameRecordThroughEveryPairOfCodecs() {
        final CodecContract.Outer original = CodecContract.sample();
        for (Codec from : codecs) {
            for (Codec to : codecs) {
                CodecContract.Outer converted = from.decode(ByteBuffer.wrap(from.encode(original)), CodecContract.Outer.class);
                CodecContract.Outer back = to.decode(ByteBuffer.wrap(to.encode(converted)), CodecContract.Outer.class);
                assertEquals(original, back, from.name() + " -> " + to.name());
            }
        }
    }

    @Test
    void shouldAgreeOnPlainMapsAcrossCodecs() {
        final Map<String, Object> original = Map.of("intent", "move_left", "confidence", 0.91, "n", 7,
                "tags", List.of("ü", "日本", "\uD83D\uDE00"), "nested", Map.of("ok", true));
        for (Codec from : codecs) {
            for (Codec to : codecs) {
                Object untyped = from.decode(ByteBuffer.wrap(from.encode(original)), Map.class);
                assertEquals(original, to.decode(ByteBuffer.wrap(to.encode(untyped)), Map.class),
                        from.name() + " -> " + to.name());
            }
        }
    }

    @Test
    void shouldServeDistinctPayloadFormats() {
        assertEquals(List.of(0, 1, 2), codecs.stream().map(Codec::payloadFormat).toList());
        assertEquals(List.of("json", "msgpack", "cbor"), codecs.stream().map(Codec::name).toList());
    }
}
