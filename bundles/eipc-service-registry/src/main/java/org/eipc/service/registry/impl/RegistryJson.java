package org.eipc.service.registry.impl;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Map;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;
import org.eipc.service.registry.ServiceEntry;
import org.eipc.service.registry.ServiceVersion;
import org.eipc.service.registry.federation.RegistryFederation;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The JSON of the remote registry: request payloads in, replies out. Input is bounded (64 KiB, depth 8, strings of 4
 * Ki characters) before any tree is built, and every field is checked; a bad payload is an {@link IpcException}
 * ({@link ErrorCode#CODEC_ERROR} when it is not JSON, {@link ErrorCode#SCHEMA_INVALID} when a field is wrong).
 */
final class RegistryJson {
    static final int MAX_NAME = 256;
    static final int MAX_CAPABILITIES = 64;
    static final int MAX_TRANSPORTS = 16;
    static final int MAX_PROPERTIES = 32;
    static final int MAX_VALUE = 1024;

    private final ObjectMapper mapper = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxDocumentLength(64 << 10).maxNestingDepth(8)
                    .maxStringLength(4096).maxNumberLength(32).build())
            .build());

    ObjectNode parse(byte[] payload) {
        JsonNode n;
        try {
            n = mapper.readTree(payload);
        } catch (JsonProcessingException e) {
            throw new IpcException(ErrorCode.CODEC_ERROR, "payload is not JSON within the limits: "
                    + e.getOriginalMessage());
        } catch (IOException | RuntimeException e) {
            throw new IpcException(ErrorCode.CODEC_ERROR, "payload is not JSON within the limits: " + e.getMessage());
        }
        if (!(n instanceof ObjectNode)) {
            throw new IpcException(ErrorCode.SCHEMA_INVALID, "payload must be a JSON object");
        }
        return (ObjectNode) n;
    }

    /** A {@code registry.register} payload as an entry (owner unset). */
    ServiceEntry entry(ObjectNode o) {
        ServiceVersion version;
        try {
            version = ServiceVersion.parse(string(o, "version", 64));
        } catch (IllegalArgumentException e) {
            throw schema(e.getMessage());
        }
        ServiceEntry.Builder b = ServiceEntry.builder(string(o, "name", MAX_NAME), version);
        for (JsonNode c : array(o, "capabilities", MAX_CAPABILITIES)) {
            b.capability(text(c, "capabilities[]", MAX_NAME));
        }
        for (JsonNode t : array(o, "transports", MAX_TRANSPORTS)) {
            String s = text(t, "transports[]", MAX_VALUE);
            try {
                URI u = new URI(s);
                if (u.getScheme() == null) {
                    throw schema("transport " + s + " has no scheme");
                }
                b.transport(u);
            } catch (URISyntaxException e) {
                throw schema("transport " + s + " is not a URI");
            }
        }
        JsonNode props = o.get("properties");
        if (props != null && !props.isNull()) {
            if (!props.isObject() || props.size() > MAX_PROPERTIES) {
                throw schema("properties must be an object of at most " + MAX_PROPERTIES + " strings");
            }
            for (Map.Entry<String, JsonNode> p : props.properties()) {
                if (p.getKey().isEmpty() || p.getKey().length() > MAX_NAME) {
                    throw schema("property names are 1 to " + MAX_NAME + " characters");
                }
                if (RegistryFederation.ORIGIN.equals(p.getKey())) {
                    throw schema("property " + RegistryFederation.ORIGIN + " is reserved for entries of other hosts");
                }
                b.property(p.getKey(), text(p.getValue(), "properties." + p.getKey(), MAX_VALUE));
            }
        }
        return b.build();
    }

    static String string(ObjectNode o, String field, int max) {
        JsonNode n = o.get(field);
        if (n == null) {
            throw schema("missing \"" + field + "\"");
        }
        return text(n, field, max);
    }

    private static String text(JsonNode n, String field, int max) {
        if (!n.isTextual() || n.textValue().isEmpty() || n.textValue().length() > max) {
            throw schema("\"" + field + "\" must be a string of 1 to " + max + " characters");
        }
        return n.textValue();
    }

    private static Iterable<JsonNode> array(ObjectNode o, String field, int max) {
        JsonNode n = o.get(field);
        if (n == null || n.isNull()) {
            return List.of();
        }
        if (!n.isArray() || n.size() > max) {
            throw schema("\"" + field + "\" must be an array of at most " + max + " strings");
        }
        return n;
    }

    private static IpcException schema(String what) {
        return new IpcException(ErrorCode.SCHEMA_INVALID, what);
    }

    byte[] ok(long id) {
        return bytes(mapper.createObjectNode().put("status", "ok").put("id", Long.toString(id)));
    }

    byte[] ok() {
        return bytes(mapper.createObjectNode().put("status", "ok"));
    }

    byte[] entries(List<ServiceEntry> entries) {
        ObjectNode root = mapper.createObjectNode().put("status", "ok");
        ArrayNode list = root.putArray("entries");
        for (ServiceEntry e : entries) {
            ObjectNode o = list.addObject().put("name", e.name()).put("version", e.version().toString());
            ArrayNode caps = o.putArray("capabilities");
            e.capabilities().forEach(caps::add);
            ArrayNode ts = o.putArray("transports");
            e.transports().forEach(t -> ts.add(t.toString()));
            o.put("owner", e.owner());
            ObjectNode props = o.putObject("properties");
            e.properties().forEach(props::put);
        }
        return bytes(root);
    }

    /** The same shape as the runtime's gate denials: {@code {"status":"error","code":CODE,"error":text}}. */
    byte[] error(ErrorCode code, String text) {
        return bytes(mapper.createObjectNode().put("status", "error").put("code", code.name()).put("error", text));
    }

    private byte[] bytes(ObjectNode n) {
        try {
            return mapper.writeValueAsBytes(n);
        } catch (IOException e) {
            throw new IpcException(ErrorCode.INTERNAL, "cannot write a registry reply", e);
        }
    }
}
