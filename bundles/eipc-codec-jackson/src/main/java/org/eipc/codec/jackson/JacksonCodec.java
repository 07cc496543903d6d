package org.eipc.codec.jackson;

import java.io.IOException;
import java.nio.ByteBuffer;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;
import org.eipc.spi.codec.Codec;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A {@link Codec} over a configured {@link ObjectMapper}: the input size is checked before anything is parsed,
 * an optional {@link PayloadCheck} sees the bytes before decoding and after encoding, and every failure is one
 * {@link ErrorCode#CODEC_ERROR} saying {@code "<name>: cannot encode|decode <type>: <why>"}. Thread-safe when
 * the mapper is (a configured Jackson mapper is).
 */
public final class JacksonCodec implements Codec {

    /** A check of encoded bytes that the mapper itself cannot enforce (for example nesting in MessagePack). */
    @FunctionalInterface
    public interface PayloadCheck {
        /** @throws IpcException {@link ErrorCode#CODEC_ERROR} when the bytes break a limit */
        void check(String what, byte[] bytes, int offset, int length, boolean decoding);
    }

    private final String name;
    private final int payloadFormat;
    private final ObjectMapper mapper;
    private final int maxInputBytes;
    private final PayloadCheck check;

    /**
     * @param check null when the mapper's own stream constraints are enough
     */
    public JacksonCodec(final String name, final int payloadFormat, final ObjectMapper mapper,
            final CodecLimits limits, final PayloadCheck check) {
        this.name = name;
        this.payloadFormat = payloadFormat;
        this.mapper = mapper;
        this.maxInputBytes = limits.maxInputBytes();
        this.check = check;
    }

    /**
     * Finishes a mapper builder with the settings every codec shares: no polymorphic type accepted (class-name type
     * information is refused), trailing tokens after the value are an error, empty beans encode.
     */
    public static <M extends ObjectMapper, B extends com.fasterxml.jackson.databind.cfg.MapperBuilder<M, B>> M hardened(
            final B builder) {
        return builder.polymorphicTypeValidator(
                com.fasterxml.jackson.databind.jsontype.BasicPolymorphicTypeValidator.builder().build())
                .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(com.fasterxml.jackson.databind.SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .build();
    }

    @Override
    public int payloadFormat() {
        return payloadFormat;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public byte[] encode(final Object value) {
        final String what = "encode " + (value == null ? "null" : value.getClass().getName());
        try {
            final byte[] out = mapper.writeValueAsBytes(value);
            if (check != null) {
                check.check(what, out, 0, out.length, false);
            }
            return out;
        } catch (JacksonException e) {
            throw failed(what, e.getOriginalMessage(), e);
        } catch (IpcException e) {
            throw e;
        } catch (RuntimeException e) {
            throw failed(what, String.valueOf(e.getMessage()), e);
        }
    }

    @Override
    public <T> T decode(final ByteBuffer bytes, final Class<T> type) {
        final int length = bytes.remaining();
        if (length > maxInputBytes) {
            throw new IpcException(ErrorCode.CODEC_ERROR, name + ": payload of " + length
                    + " bytes exceeds maxInputBytes=" + maxInputBytes);
        }
        final byte[] array;
        final int offset;
        if (bytes.hasArray()) {
            array = bytes.array();
            offset = bytes.arrayOffset() + bytes.position();
        } else {
            array = new byte[length];
            offset = 0;
            bytes.duplicate().get(array);
        }
        if (check != null) {
            check.check("decode", array, offset, length, true);
        }
        try {
            return mapper.readValue(array, offset, length, type);
        } catch (JacksonException e) {
            throw failed("decode " + type.getName(), e.getOriginalMessage(), e);
        } catch (IOException | RuntimeException e) {
            throw failed("decode " + type.getName(), String.valueOf(e.getMessage()), e);
        }
    }

    private IpcException failed(final String what, final String why, final Throwable cause) {
        return new IpcException(ErrorCode.CODEC_ERROR, name + ": cannot " + what + ": " + why, cause);
    }

    @Override
    public String toString() {
        return "JacksonCodec[" + name + ", payload_format=" + payloadFormat + "]";
    }
}
