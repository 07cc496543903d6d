package org.eipc.codec.json.impl;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.json.JsonMapper;

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
 * JSON payloads ({@link Header#FORMAT_JSON}) with Jackson databind.
 *
 * <p>Hardened: no default typing, and class-name based polymorphism ({@code @JsonTypeInfo(use = CLASS)}) is
 * refused by a type validator that allows nothing; input size is checked before parsing; nesting, string
 * and number lengths are bounded by {@code StreamReadConstraints}; trailing tokens after the value are an
 * error. {@code byte[]} values are written as base64 strings (JSON has no binary type), so an untyped
 * ({@code Map}) decode yields the string and a typed decode restores the bytes. Thread-safe.
 *
 * <p>Configuration PID {@value #PID}, optional: the defaults are safe.
 */
@Component(service = Codec.class, configurationPid = JsonCodec.PID,
        property = {Codec.PROP_FORMAT + ":Integer=" + Header.FORMAT_JSON, Codec.PROP_NAME + "=" + JsonCodec.NAME})
@Designate(ocd = JsonCodecConfig.class)
public final class JsonCodec extends CodecComponent {

    /** Configuration PID. */
    public static final String PID = "org.eipc.codec.json";

    /** The value of {@link Codec#PROP_NAME}. */
    public static final String NAME = "json";

    @Activate
    public JsonCodec(final JsonCodecConfig config) {
        this(config.maxInputBytes(), config.maxNestingDepth(), config.maxStringLength(), config.maxNumberLength());
    }

    /** A codec with the default limits (1 MiB input, depth 64, 1 Mi characters per string, 1000 digits). */
    public JsonCodec() {
        this(CodecLimits.DEFAULTS);
    }

    /**
     * @throws IpcException {@link ErrorCode#CONFIG_INVALID} when a limit is not positive
     */
    public JsonCodec(final int maxInputBytes, final int maxNestingDepth, final int maxStringLength,
            final int maxNumberLength) {
        this(new CodecLimits(maxInputBytes, maxNestingDepth, maxStringLength, maxNumberLength));
    }

    private JsonCodec(final CodecLimits limits) {
        super(new JacksonCodec(NAME, Header.FORMAT_JSON, JacksonCodec.hardened(JsonMapper.builder(JsonFactory.builder()
                .streamReadConstraints(limits.readConstraints())
                .streamWriteConstraints(limits.writeConstraints())
                .build())), limits, null));
    }
}
