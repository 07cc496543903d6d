package org.eipc.codec.jackson;

import java.nio.ByteBuffer;

import org.eipc.spi.codec.Codec;

/**
 * The base of the codec DS components: each subclass builds its {@link JacksonCodec} (format, mapper, limits) and
 * this class serves the {@link Codec} service from it.
 */
public abstract class CodecComponent implements Codec {
    private final Codec codec;

    protected CodecComponent(final Codec codec) {
        this.codec = codec;
    }

    @Override
    public final int payloadFormat() {
        return codec.payloadFormat();
    }

    @Override
    public final String name() {
        return codec.name();
    }

    @Override
    public final byte[] encode(final Object value) {
        return codec.encode(value);
    }

    @Override
    public final <T> T decode(final ByteBuffer bytes, final Class<T> type) {
        return codec.decode(bytes, type);
    }
}
