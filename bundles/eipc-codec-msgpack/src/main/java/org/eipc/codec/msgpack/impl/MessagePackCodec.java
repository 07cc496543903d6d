package org.eipc.codec.msgpack.impl;

import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.jsontype.BasicPolymorphicTypeValidator;
import org.msgpack.jackson.dataformat.MessagePackFactory;
import org.msgpack.jackson.dataformat.MessagePackMapper;

import org.eipc.api.ErrorCode;
import org.eipc.api.Header;
import org.eipc.api.IpcException;
import org.eipc.codec.jackson.CodecComponent;
import org.eipc.codec.jackson.CodecLimits;
import org.eipc.codec.jackson.JacksonCodec;
import org.eipc.spi.codec.Codec;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.Designate;

/**
 * MessagePack payloads ({@link Header#FORMAT_MSGPACK}) with msgpack-jackson.
 *
 * <p>Hardened: no default typing, and class-name based polymorphism ({@code @JsonTypeInfo(use = CLASS)}) is
 * refused by a type validator that allows nothing; input size is checked before parsing; nesting, string
 * and number lengths are bounded by {@code StreamReadConstraints}; trailing tokens after the value are an
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
public final class MessagePackCodec extends CodecComponent {

    /** Configuration PID. */
    public static final String PID = "org.eipc.codec.msgpack";

    /** The value of {@link Codec#PROP_NAME}. */
    public static final String NAME = "msgpack";

    @Activate
    public MessagePackCodec(final MessagePackCodecConfig config) {
        this(config.maxInputBytes(), config.maxNestingDepth(), config.maxStringLength(), config.maxNumberLength());
    }

    /** A codec with the default limits (1 MiB input, depth 64, 1 Mi characters per string, 1000 digits). */
    public MessagePackCodec() {
        this(CodecLimits.DEFAULTS);
    }

    /**
     * @throws IpcException {@link ErrorCode#CONFIG_INVALID} when a limit is not positive
     */
    public MessagePackCodec(final int maxInputBytes, final int maxNestingDepth, final int maxStringLength,
            final int maxNumberLength) {
        this(new CodecLimits(maxInputBytes, maxNestingDepth, maxStringLength, maxNumberLength));
    }

    private MessagePackCodec(final CodecLimits limits) {
        super(new JacksonCodec(NAME, Header.FORMAT_MSGPACK, mapper(limits), limits,
                // the msgpack parser and generator ignore Jackson's stream constraints: a bounded pre-scan enforces
                // them on what we read, and on what we write (a peer with the same limits must be able to read it)
                (what, bytes, offset, length, decoding) -> NestingCheck.check(what, bytes, offset, length,
                        limits.maxNestingDepth(), decoding ? limits.maxStringLength() : Integer.MAX_VALUE)));
    }

    private static MessagePackMapper mapper(final CodecLimits limits) {
        final MessagePackFactory factory = new MessagePackFactory();
        factory.setStreamReadConstraints(limits.readConstraints());
        factory.setStreamWriteConstraints(limits.writeConstraints());
        final MessagePackMapper mapper = new MessagePackMapper(factory).handleBigIntegerAndBigDecimalAsString();
        mapper.setPolymorphicTypeValidator(BasicPolymorphicTypeValidator.builder().build());
        // no FAIL_ON_TRAILING_TOKENS: this parser reports the end of input as an error; NestingCheck
        // already guarantees exactly one value
        mapper.disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
        return mapper;
    }
}
