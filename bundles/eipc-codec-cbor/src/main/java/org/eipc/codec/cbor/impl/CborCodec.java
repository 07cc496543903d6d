package org.eipc.codec.cbor.impl;

import java.io.IOException;
import java.nio.ByteBuffer;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.jsontype.BasicPolymorphicTypeValidator;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;

import org.eipc.api.ErrorCode;
import org.eipc.api.Header;
import org.eipc.api.IpcException;
import org.eipc.spi.codec.Codec;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.Designate;

/**
 * JSON payloads ({@link Header#FORMAT_JSON}) with Jackson databind.
 *
 * <p>Hardened: no default typing, and class-name based polymorphism ({@code @JsonTypeInfo(use = CLASS)}) is
 * refused by a type validator that allows nothing; input size is checked before parsing; nesting, string
 * and number lengths are bounded by {@link StreamReadConstraints}; trailing tokens after the value are an
 * error. {@code byte[]} values are CBOR byte strings; big integers are tagged bignums (tags 2/3) and
 * {@code BigDecimal}s decimal fractions (tag 4), so both come back exactly even from an untyped decode.
 * Thread-safe.
 *
 * <p>Configuration PID {@value #PID}, optional: the defaults are safe.
 */
@Component(service = Codec.class, configurationPid = CborCodec.PID,
        property = {Codec.PROP_FORMAT + ":Integer=" + Header.FORMAT_CBOR, Codec.PROP_NAME + "=" + CborCodec.NAME})
@Designate(ocd = CborCodecConfig.class)
public final class CborCodec implements Codec {

    /** Configuration PID. */
    public static final String PID = "org.eipc.codec.cbor";

    /** The value of {@link Codec#PROP_NAME}. */
    public static final String NAME = "cbor";

    private final ObjectMapper mapper;
    private final int maxInputBytes;

    @Activate
    public CborCodec(final CborCodecConfig config) {
        this(config.maxInputBytes(), config.maxNestingDepth(), config.maxStringLength(), config.maxNumberLength());
    }

    /** A codec with the default limits (1 MiB input, depth 64, 1 Mi characters per string, 1000 digits). */
    public CborCodec() {
        this(1 << 20, 64, 1 << 20, 1000);
    }

    /**
     * @throws IpcException {@link ErrorCode#CONFIG_INVALID} when a limit is not positive
     */
    public CborCodec(final int maxInputBytes, final int maxNestingDepth, final int maxStringLength,
            final int maxNumberLength) {
        positive("maxInputBytes", maxInputBytes);
        positive("maxNestingDepth", maxNestingDepth);
        positive("maxStringLength", maxStringLength);
        positive("maxNumberLength", maxNumberLength);
        this.maxInputBytes = maxInputBytes;
        CBORFactory factory = CBORFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxDocumentLength(maxInputBytes)
                        .maxNestingDepth(maxNestingDepth)
                        .maxStringLength(maxStringLength)
                        .maxNumberLength(maxNumberLength)
                        .build())
                .streamWriteConstraints(StreamWriteConstraints.builder().maxNestingDepth(maxNestingDepth).build())
                .build();
        this.mapper = CBORMapper.builder(factory)
                .polymorphicTypeValidator(BasicPolymorphicTypeValidator.builder().build())
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .build();
    }

    private static void positive(final String name, final int value) {
        if (value <= 0) {
            throw new IpcException(ErrorCode.CONFIG_INVALID, name + "=" + value + " must be positive");
        }
    }

    @Override
    public int payloadFormat() {
        return Header.FORMAT_CBOR;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public byte[] encode(final Object value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (JacksonException e) {
            throw failed("encode " + typeName(value), e.getOriginalMessage(), e);
        } catch (RuntimeException e) {
            throw failed("encode " + typeName(value), String.valueOf(e.getMessage()), e);
        }
    }

    @Override
    public <T> T decode(final ByteBuffer bytes, final Class<T> type) {
        final int length = bytes.remaining();
        if (length > maxInputBytes) {
            throw new IpcException(ErrorCode.CODEC_ERROR, "cbor: payload of " + length + " bytes exceeds maxInputBytes="
                    + maxInputBytes);
        }
        try {
            if (bytes.hasArray()) {
                return mapper.readValue(bytes.array(), bytes.arrayOffset() + bytes.position(), length, type);
            }
            final byte[] copy = new byte[length];
            bytes.duplicate().get(copy);
            return mapper.readValue(copy, type);
        } catch (JacksonException e) {
            throw failed("decode " + type.getName(), e.getOriginalMessage(), e);
        } catch (IOException | RuntimeException e) {
            throw failed("decode " + type.getName(), String.valueOf(e.getMessage()), e);
        }
    }

    private static String typeName(final Object value) {
        return value == null ? "null" : value.getClass().getName();
    }

    private static IpcException failed(final String what, final String why, final Throwable cause) {
        return new IpcException(ErrorCode.CODEC_ERROR, "cbor: cannot " + what + ": " + why, cause);
    }
}
