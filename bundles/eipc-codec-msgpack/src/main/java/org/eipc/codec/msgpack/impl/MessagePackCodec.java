package org.eipc.codec.msgpack.impl;

import java.io.IOException;
import java.nio.ByteBuffer;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.jsontype.BasicPolymorphicTypeValidator;
import org.msgpack.jackson.dataformat.MessagePackFactory;
import org.msgpack.jackson.dataformat.MessagePackMapper;

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
 * error. Nesting and string lengths are checked by a bounded pre-scan ({@link NestingCheck}) because the
 * msgpack parser and generator do not enforce Jackson's stream constraints. {@code byte[]} values are
 * MessagePack bin. MessagePack has no big number type, so {@code BigInteger} and {@code BigDecimal} are written as decimal strings: a typed decode (a
 * {@code BigInteger} field) restores them exactly, an untyped ({@code Map}) decode yields the string.
 * Thread-safe.
 *
 * <p>Configuration PID {@value #PID}, optional: the defaults are safe.
 */
@Component(service = Codec.class, configurationPid = MessagePackCodec.PID,
        property = {Codec.PROP_FORMAT + ":Integer=" + Header.FORMAT_MSGPACK, Codec.PROP_NAME + "=" + MessagePackCodec.NAME})
@Designate(ocd = MessagePackCodecConfig.class)
public final class MessagePackCodec implements Codec {

    /** Configuration PID. */
    public static final String PID = "org.eipc.codec.msgpack";

    /** The value of {@link Codec#PROP_NAME}. */
    public static final String NAME = "msgpack";

    private final ObjectMapper mapper;
    private final int maxInputBytes;
    private final int maxNestingDepth;
    private final int maxStringLength;

    @Activate
    public MessagePackCodec(final MessagePackCodecConfig config) {
        this(config.maxInputBytes(), config.maxNestingDepth(), config.maxStringLength(), config.maxNumberLength());
    }

    /** A codec with the default limits (1 MiB input, depth 64, 1 Mi characters per string, 1000 digits). */
    public MessagePackCodec() {
        this(1 << 20, 64, 1 << 20, 1000);
    }

    /**
     * @throws IpcException {@link ErrorCode#CONFIG_INVALID} when a limit is not positive
     */
    public MessagePackCodec(final int maxInputBytes, final int maxNestingDepth, final int maxStringLength,
            final int maxNumberLength) {
        positive("maxInputBytes", maxInputBytes);
        positive("maxNestingDepth", maxNestingDepth);
        positive("maxStringLength", maxStringLength);
        positive("maxNumberLength", maxNumberLength);
        this.maxInputBytes = maxInputBytes;
        final MessagePackFactory factory = new MessagePackFactory();
        factory.setStreamReadConstraints(StreamReadConstraints.builder()
                .maxDocumentLength(maxInputBytes)
                .maxNestingDepth(maxNestingDepth)
                .maxStringLength(maxStringLength)
                .maxNumberLength(maxNumberLength)
                .build());
        factory.setStreamWriteConstraints(StreamWriteConstraints.builder().maxNestingDepth(maxNestingDepth).build());
        final MessagePackMapper m = new MessagePackMapper(factory).handleBigIntegerAndBigDecimalAsString();
        m.setPolymorphicTypeValidator(BasicPolymorphicTypeValidator.builder().build());
        // no FAIL_ON_TRAILING_TOKENS: this parser reports the end of input as an error; NestingCheck
        // already guarantees exactly one value
        m.disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
        this.mapper = m;
        this.maxNestingDepth = maxNestingDepth;
        this.maxStringLength = maxStringLength;
    }

    private static void positive(final String name, final int value) {
        if (value <= 0) {
            throw new IpcException(ErrorCode.CONFIG_INVALID, name + "=" + value + " must be positive");
        }
    }

    @Override
    public int payloadFormat() {
        return Header.FORMAT_MSGPACK;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public byte[] encode(final Object value) {
        try {
            final byte[] out = mapper.writeValueAsBytes(value);
            // what this codec writes, a peer with the same limits must be able to read
            NestingCheck.check("encode " + typeName(value), out, 0, out.length, maxNestingDepth, Integer.MAX_VALUE);
            return out;
        } catch (JacksonException e) {
            throw failed("encode " + typeName(value), e.getOriginalMessage(), e);
        } catch (IpcException e) {
            throw e;
        } catch (RuntimeException e) {
            throw failed("encode " + typeName(value), String.valueOf(e.getMessage()), e);
        }
    }

    @Override
    public <T> T decode(final ByteBuffer bytes, final Class<T> type) {
        final int length = bytes.remaining();
        if (length > maxInputBytes) {
            throw new IpcException(ErrorCode.CODEC_ERROR, "msgpack: payload of " + length + " bytes exceeds maxInputBytes="
                    + maxInputBytes);
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
        NestingCheck.check("decode", array, offset, length, maxNestingDepth, maxStringLength);
        try {
            return mapper.readValue(array, offset, length, type);
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
        return new IpcException(ErrorCode.CODEC_ERROR, "msgpack: cannot " + what + ": " + why, cause);
    }
}
