package org.eipc.spi.codec;

import java.nio.ByteBuffer;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A payload codec, registered as a service with {@link #PROP_FORMAT} (the header's {@code payload_format}
 * number) and {@link #PROP_NAME}. Thread-safe.
 */
@ProviderType
public interface Codec {

    /** Service property (Integer): the {@code payload_format} value this codec serves. */
    String PROP_FORMAT = "eipc.codec.format";

    /** Service property (String): the codec name, e.g. {@code "json"}. */
    String PROP_NAME = "eipc.codec.name";

    /** The {@code payload_format} value, see {@link org.eipc.api.Header#FORMAT_JSON} and friends. */
    int payloadFormat();

    /** The codec name, e.g. {@code "json"}, {@code "msgpack"}, {@code "cbor"}. */
    String name();

    /**
     * Encodes a value.
     *
     * @throws org.eipc.api.IpcException {@link org.eipc.api.ErrorCode#CODEC_ERROR}
     */
    byte[] encode(Object value);

    /**
     * Decodes the buffer's remaining bytes into a {@code type}; the buffer's position is not changed.
     *
     * @throws org.eipc.api.IpcException {@link org.eipc.api.ErrorCode#CODEC_ERROR}
     */
    <T> T decode(ByteBuffer bytes, Class<T> type);
}
