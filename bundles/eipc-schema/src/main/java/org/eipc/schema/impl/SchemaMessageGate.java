package org.eipc.schema.impl;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import org.eipc.api.ErrorCode;
import org.eipc.api.Header;
import org.eipc.api.IpcException;
import org.eipc.api.Message;
import org.eipc.api.MessageType;
import org.eipc.schema.SchemaValidator;
import org.eipc.spi.codec.Codec;
import org.eipc.spi.runtime.GateVerdict;
import org.eipc.spi.runtime.MessageContext;
import org.eipc.spi.runtime.MessageGate;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * Schema validation as a runtime {@link MessageGate}: an inbound application message whose channel has a schema is
 * delivered only if its payload matches; otherwise the gate denies it with {@link ErrorCode#SCHEMA_INVALID} and the
 * validator's message, which names the schema and every failing JSON path (never payload values). The runtime then
 * does not deliver it and answers a request with that error.
 *
 * <p>Which schema: the header's {@code route} when a schema with that id exists, else the sender's
 * {@code service_id} when one exists (the package's convention), else none and the message passes. Heartbeats and
 * acknowledgements are never validated.
 *
 * <p>Payloads: JSON ({@code payload_format} 0) is validated as it is. Another format is decoded with the
 * {@link Codec} service registered for it and validated as the JSON of the decoded value (MessagePack and CBOR
 * maps, arrays, strings, numbers, booleans and null map one to one; binary values become base64 strings). A format
 * without a codec is denied: a payload that cannot be checked is not delivered.
 */
// Same PID and policy as the schema validator: without a schema directory there is nothing to validate against.
@Component(service = MessageGate.class, configurationPid = "org.eipc.schema",
        configurationPolicy = ConfigurationPolicy.REQUIRE)
public final class SchemaMessageGate implements MessageGate {
    private final SchemaValidator schemas;
    private final ObjectMapper json = JsonMapper.builder().build();
    private final Map<Long, Codec> codecs = new ConcurrentHashMap<>();

    @Activate
    public SchemaMessageGate(@Reference(name = "schemas") final SchemaValidator schemas) {
        this.schemas = schemas;
    }

    @Override
    public GateVerdict check(final MessageContext context, final Message message) {
        final MessageType type = message.type();
        if (type == MessageType.HEARTBEAT || type == MessageType.ACK) {
            return GateVerdict.ALLOW;
        }
        final Header h = message.header();
        final String id = schemaOf(h);
        if (id == null) {
            return GateVerdict.ALLOW;
        }
        try {
            schemas.validate(id, asJson(id, h.payloadFormat(), message.payload()));
            return GateVerdict.ALLOW;
        } catch (IpcException e) {
            return GateVerdict.deny(ErrorCode.SCHEMA_INVALID, e.detail());
        }
    }

    /** The schema id for a message: its route's, else its sender's, else null. */
    String schemaOf(final Header h) {
        if (!h.route().isEmpty() && schemas.hasSchema(h.route())) {
            return h.route();
        }
        if (!h.serviceId().isEmpty() && schemas.hasSchema(h.serviceId())) {
            return h.serviceId();
        }
        return null;
    }

    private ByteBuffer asJson(final String id, final int format, final ByteBuffer payload) {
        if (Header.FORMAT_JSON == format) {
            return payload;
        }
        final Codec codec = codecFor(format);
        if (codec == null) {
            throw new IpcException(ErrorCode.SCHEMA_INVALID, "payload_format " + format
                    + " has no codec here, so the payload cannot be validated against schema '" + id + "'");
        }
        final Object value;
        try {
            value = codec.decode(payload, Object.class);
        } catch (IpcException e) {
            throw new IpcException(ErrorCode.SCHEMA_INVALID, "payload for schema '" + id + "' does not decode as "
                    + codec.name() + ": " + e.detail(), e);
        }
        try {
            return ByteBuffer.wrap(json.writeValueAsBytes(value));
        } catch (JsonProcessingException e) {
            throw new IpcException(ErrorCode.SCHEMA_INVALID, "payload for schema '" + id + "' has no JSON form: "
                    + e.getOriginalMessage(), e);
        }
    }

    /** The newest codec registered for the format. */
    private Codec codecFor(final int format) {
        Codec found = null;
        long newest = Long.MIN_VALUE;
        for (Map.Entry<Long, Codec> e : codecs.entrySet()) {
            if (e.getValue().payloadFormat() == format && e.getKey() > newest) {
                newest = e.getKey();
                found = e.getValue();
            }
        }
        return found;
    }

    @Reference(name = "codec", cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindCodec(final Codec codec, final Map<String, Object> props) {
        codecs.put(serviceId(props), codec);
    }

    void unbindCodec(final Codec codec, final Map<String, Object> props) {
        codecs.remove(serviceId(props));
    }

    private static long serviceId(final Map<String, Object> props) {
        return props.get("service.id") instanceof Long l ? l : 0L;
    }
}
