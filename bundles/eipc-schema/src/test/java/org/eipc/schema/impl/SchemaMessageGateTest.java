package org.eipc.schema.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

import org.eipc.api.ErrorCode;
import org.eipc.api.Header;
import org.eipc.api.IpcException;
import org.eipc.api.Message;
import org.eipc.api.MessageType;
import org.eipc.api.PeerIdentity;
import org.eipc.spi.codec.Codec;
import org.eipc.spi.runtime.GateVerdict;
import org.eipc.spi.runtime.MessageContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchemaMessageGateTest {
    private static final MessageContext CONTEXT = new MessageContext("unix:///run/host.sock", "s1",
            new PeerIdentity("app", Set.of(), OptionalInt.empty(), OptionalInt.empty(), ""), true);

    @TempDir
    Path dir;

    private JsonSchemaService service;
    private SchemaMessageGate gate;

    @BeforeEach
    void open() throws IOException {
        Files.writeString(dir.resolve("intent.json"), JsonSchemaServiceTest.INTENT);
        Files.writeString(dir.resolve("common.json"), JsonSchemaServiceTest.COMMON);
        Files.writeString(dir.resolve("app.json"), """
                {"$schema": "https://json-schema.org/draft/2020-12/schema",
                 "type": "object", "required": ["op"], "properties": {"op": {"type": "string"}}}
                """);
        service = new JsonSchemaService(dir, Duration.ofSeconds(1), 1 << 16, 32, 1 << 16, 10, false);
        gate = new SchemaMessageGate(service);
    }

    @AfterEach
    void close() {
        service.close();
    }

    private static Message message(MessageType type, String route, String serviceId, int format, String payload) {
        return Message.of(type, Header.builder().route(route).serviceId(serviceId).requestId("r1")
                .payloadFormat(format).build(), payload.getBytes(StandardCharsets.UTF_8));
    }

    private static Message json(String route, String serviceId, String payload) {
        return message(MessageType.INTENT, route, serviceId, Header.FORMAT_JSON, payload);
    }

    @Test
    void shouldDenyAnInvalidPayloadNamingTheSchemaAndTheFailingPaths() {
        GateVerdict v = gate.check(CONTEXT, json("intent", "app",
                "{\"intent\":\"jump\",\"confidence\":1.5,\"secret\":\"s3cr3t-value\"}"));
        assertFalse(v.allowed());
        assertEquals(ErrorCode.SCHEMA_INVALID, v.code());
        String reason = v.reason();
        assertTrue(reason.contains("schema 'intent'"), reason);
        assertTrue(reason.contains("$.confidence") && reason.contains("maximum"), reason);
        assertTrue(reason.contains("$.intent"), reason);
        assertFalse(reason.contains("s3cr3t-value"), "payload values never appear: " + reason);
    }

    @Test
    void shouldAllowAValidPayloadAndMessagesWithoutASchema() {
        assertSame(GateVerdict.ALLOW, gate.check(CONTEXT, json("intent", "app",
                "{\"intent\":\"move_left\",\"confidence\":0.5}")));
        assertSame(GateVerdict.ALLOW, gate.check(CONTEXT, json("orders", "billing", "not json at all")));
        assertSame(GateVerdict.ALLOW, gate.check(CONTEXT, json("", "", "not json at all")));
    }

    @Test
    void shouldUseTheRouteBeforeTheSendersServiceId() {
        Message byRoute = json("intent", "app", "{\"intent\":\"move_left\",\"confidence\":0.5}");
        assertEquals("intent", gate.schemaOf(byRoute.header()));
        assertSame(GateVerdict.ALLOW, gate.check(CONTEXT, byRoute), "valid for 'intent', though 'app' needs op");
        Message bySender = json("unknown-route", "app", "{\"x\":1}");
        assertEquals("app", gate.schemaOf(bySender.header()));
        GateVerdict v = gate.check(CONTEXT, bySender);
        assertEquals(ErrorCode.SCHEMA_INVALID, v.code());
        assertTrue(v.reason().contains("schema 'app'") && v.reason().contains("op"), v.reason());
    }

    @Test
    void shouldDenyAPayloadThatIsNotJson() {
        GateVerdict v = gate.check(CONTEXT, json("intent", "", "{\"intent\":"));
        assertEquals(ErrorCode.SCHEMA_INVALID, v.code());
        assertTrue(v.reason().contains("is not JSON"), v.reason());
    }

    @Test
    void shouldNeverValidateHeartbeatsAndAcks() {
        assertSame(GateVerdict.ALLOW, gate.check(CONTEXT, message(MessageType.HEARTBEAT, "", "app", 0, "{\"ping\":true}")));
        assertSame(GateVerdict.ALLOW, gate.check(CONTEXT, message(MessageType.ACK, "", "app", 0, "{}")));
    }

    @Test
    void shouldValidateOtherFormatsThroughTheirCodecAndDenyFormatsWithoutOne() {
        Message valid = message(MessageType.INTENT, "app", "", Header.FORMAT_MSGPACK, "op=start");
        Message invalid = message(MessageType.INTENT, "app", "", Header.FORMAT_MSGPACK, "other=1");
        GateVerdict none = gate.check(CONTEXT, valid);
        assertEquals(ErrorCode.SCHEMA_INVALID, none.code());
        assertTrue(none.reason().contains("payload_format 1 has no codec"), none.reason());

        gate.bindCodec(new KeyValueCodec(), Map.of("service.id", 7L));
        assertSame(GateVerdict.ALLOW, gate.check(CONTEXT, valid));
        GateVerdict v = gate.check(CONTEXT, invalid);
        assertEquals(ErrorCode.SCHEMA_INVALID, v.code());
        assertTrue(v.reason().contains("op"), v.reason());
        GateVerdict broken = gate.check(CONTEXT, message(MessageType.INTENT, "app", "", Header.FORMAT_MSGPACK, "??"));
        assertTrue(broken.reason().contains("does not decode as kv"), broken.reason());

        gate.unbindCodec(null, Map.of("service.id", 7L));
        assertEquals(ErrorCode.SCHEMA_INVALID, gate.check(CONTEXT, valid).code());
    }

    /** A stand-in binary codec: {@code k=v;k=v} text into a map, as format 1. */
    private static final class KeyValueCodec implements Codec {
        @Override
        public int payloadFormat() {
            return Header.FORMAT_MSGPACK;
        }

        @Override
        public String name() {
            return "kv";
        }

        @Override
        public byte[] encode(Object value) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <T> T decode(ByteBuffer bytes, Class<T> type) {
            String text = StandardCharsets.UTF_8.decode(bytes.duplicate()).toString();
            Map<String, Object> m = new LinkedHashMap<>();
            for (String pair : text.split(";")) {
                int eq = pair.indexOf('=');
                if (eq < 1) {
                    throw new IpcException(ErrorCode.CODEC_ERROR, "not k=v");
                }
                m.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
            return type.cast(m);
        }
    }
}
