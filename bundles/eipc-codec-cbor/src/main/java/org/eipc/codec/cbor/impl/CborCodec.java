package org.eipc.codec.cbor.impl;

import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;

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
 * CBOR payloads ({@link Header#FORMAT_CBOR}) with jackson-dataformat-cbor.
 *
 * <p>Hardened: no default typing, and class-name based polymorphism ({@code @JsonTypeInfo(use = CLASS)}) is
 * refused by a type validator that allows nothing; input size is checked before parsing; nesting, string
 * and number lengths are bounded by {@code StreamReadConstraints}; trailing tokens after the value are an
 * error. {@code byte[]} values are CBOR byte strings; big integers are tagged bignums (tags 2/3) and
 * {@code BigDecimal}s decimal fractions (tag 4), so both come back exactly even from an untyped decode.
 * Thread-safe.
 *
 * <p>Configuration PID {@value #PID}, optional: the defaults are safe.
 */
@Component(service = Codec.class, configurationPid = CborCodec.PID,
        property = {Codec.PROP_FORMAT + ":Integer=" + Header.FORMAT_CBOR, Codec.PROP_NAME + "=" + CborCodec.NAME})
@Designate(ocd = CborCodecConfig.class)
public final class CborCodec extends CodecComponent {

    /** Configuration PID. */
    public static final String PID = "org.eipc.codec.cbor";

    /** The value of {@link Codec#PROP_NAME}. */
    public static final String NAME = "cbor";

    @Activate
    public CborCodec(final CborCodecConfig config) {
        this(config.maxInputBytes(), config.maxNestingDepth(), config.maxStringLength(), config.maxNumberLength());
    }

    /** A codec with the default limits (1 MiB input, depth 64, 1 Mi characters per string, 1000 digits). */
    public CborCodec() {
        this(CodecLimits.DEFAULTS);
    }

    /**
     * @throws IpcException {@link ErrorCode#CONFIG_INVALID} when a limit is not positive
     */
    public CborCodec(final int maxInputBytes, final int maxNestingDepth, final int maxStringLength,
            final int maxNumberLength) {
        this(new CodecLimits(maxInputBytes, maxNestingDepth, maxStringLength, maxNumberLength));
    }

    private CborCodec(final CodecLimits limits) {
        super(new JacksonCodec(NAME, Header.FORMAT_CBOR, JacksonCodec.hardened(CBORMapper.builder(CBORFactory.builder()
                .streamReadConstraints(limits.readConstraints())
                .streamWriteConstraints(limits.writeConstraints())
                .build())), limits, null));
    }
}
