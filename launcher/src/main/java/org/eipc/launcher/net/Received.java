package org.eipc.launcher.net;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.Base64;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

/**
 * A message a command received: protocol-specific fields ({@code type}, {@code channel}, header fields, ...) and
 * the payload.
 *
 * @param fields what the protocol says about the message, for printing
 * @param payload the payload bytes (a copy)
 */
public record Received(JsonObject fields, byte[] payload) {

    /** The fields plus the payload: {@code payload} as text when it is UTF-8, otherwise {@code payload_base64}. */
    public JsonObject toJson() {
        JsonObjectBuilder b = Json.createObjectBuilder(fields).add("payload_length", payload.length);
        String text = utf8(payload);
        if (text != null) {
            b.add("payload", text);
        } else {
            b.add("payload_base64", Base64.getEncoder().encodeToString(payload));
        }
        return b.build();
    }

    /** {@code bytes} as a string when they are valid UTF-8, otherwise null. */
    public static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
