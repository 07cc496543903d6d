package org.eipc.service.broker.impl;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;
import org.eipc.service.broker.OverflowPolicy;
import org.eipc.service.broker.SubscriberOptions;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;

/**
 * The JSON of the wire protocol's own payloads: subscribe options in, status replies out. Only these small
 * objects are parsed; published payloads are never looked at.
 */
final class WireJson {
    /** The largest subscribe payload read; more is refused before parsing. */
    static final int MAX_CONTROL_BYTES = 1024;

    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxDocumentLength(MAX_CONTROL_BYTES)
                    .maxNestingDepth(4).maxStringLength(256).maxNumberLength(12).build())
            .build();

    private WireJson() {
    }

    /**
     * Reads {@code {"queue":N,"overflow":"drop_oldest|drop_newest|disconnect"}}; both optional, other keys ignored,
     * an empty payload means defaults.
     *
     * @throws IpcException {@link ErrorCode#CODEC_ERROR} for a payload that is too long or not such an object,
     *         {@link ErrorCode#CONFIG_INVALID} for values out of range
     */
    static SubscriberOptions options(final ByteBuffer payload) {
        final int n = payload.remaining();
        if (0 == n) {
            return SubscriberOptions.defaults();
        }
        if (n > MAX_CONTROL_BYTES) {
            throw new IpcException(ErrorCode.CODEC_ERROR, "subscribe payload of " + n + " bytes, more than "
                    + MAX_CONTROL_BYTES);
        }
        final byte[] bytes = new byte[n];
        payload.get(bytes);
        final SubscriberOptions.Builder b = SubscriberOptions.builder();
        try (JsonParser p = JSON.createParser(bytes)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IpcException(ErrorCode.CODEC_ERROR, "subscribe payload is not a JSON object");
            }
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                final String key = p.currentName();
                final JsonToken v = p.nextToken();
                if ("queue".equals(key)) {
                    if (v != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != JsonParser.NumberType.INT) {
                        throw new IpcException(ErrorCode.CONFIG_INVALID, "\"queue\" is not an int");
                    }
                    b.queueDepth(p.getIntValue());
                } else if ("overflow".equals(key)) {
                    if (v != JsonToken.VALUE_STRING) {
                        throw new IpcException(ErrorCode.CONFIG_INVALID, "\"overflow\" is not a string");
                    }
                    b.overflow(OverflowPolicy.of(p.getText()));
                } else {
                    p.skipChildren(); // unknown keys: ignored, for peers of later versions
                }
            }
            if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw new IpcException(ErrorCode.CODEC_ERROR, "subscribe payload is not one JSON object");
            }
        } catch (IOException e) { // JsonProcessingException included: syntax errors and constraint violations
            throw new IpcException(ErrorCode.CODEC_ERROR, "subscribe payload: " + (e instanceof JsonProcessingException
                    ? ((JsonProcessingException) e).getOriginalMessage() : e.getMessage()), e);
        }
        return b.build();
    }

    /** {@code {"status":"ok"[,"matched":m,"enqueued":e,"dropped":d]}}; counts only when {@code matched >= 0}. */
    static byte[] ok(final int matched, final int enqueued, final int dropped) {
        return write(g -> {
            g.writeStringField("status", "ok");
            if (matched >= 0) {
                g.writeNumberField("matched", matched);
                g.writeNumberField("enqueued", enqueued);
                g.writeNumberField("dropped", dropped);
            }
        });
    }

    /** {@code {"status":"error","code":"<ErrorCode>","error":"<text>"}}. */
    static byte[] error(final IpcException e) {
        return write(g -> {
            g.writeStringField("status", "error");
            g.writeStringField("code", e.code().name());
            g.writeStringField("error", e.detail() == null ? "" : e.detail());
        });
    }

    /** {@code {"reason":"<text>"}}. */
    static byte[] reason(final String reason) {
        return write(g -> g.writeStringField("reason", reason));
    }

    @FunctionalInterface
    private interface Fields {
        void write(JsonGenerator g) throws IOException;
    }

    private static byte[] write(final Fields fields) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream(96);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            fields.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return out.toByteArray();
    }
}
