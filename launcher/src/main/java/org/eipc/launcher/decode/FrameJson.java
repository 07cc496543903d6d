package org.eipc.launcher.decode;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.Base64;

import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;

import org.eipc.api.Header;
import org.eipc.api.IpcException;
import org.eipc.protocol.Frame;
import org.eipc.protocol.MacStatus;

/** The JSON lines {@code eipc decode} prints: one per frame, or one per bad frame. */
public final class FrameJson {
    private FrameJson() {
    }

    /**
     * A decoded frame.
     *
     * @param keyed whether a key was given: {@code mac_ok} is then true/false, else null
     */
    public static String frame(String file, int index, long offset, Frame f, boolean keyed) {
        Header h = f.header();
        JsonObjectBuilder o = Json.createObjectBuilder()
                .add("file", file)
                .add("index", index)
                .add("offset", offset)
                .add("version", f.version());
        if (f.type() != null) {
            o.add("type", f.type().wireName());
        } else {
            o.addNull("type");
        }
        o.add("type_byte", f.typeByte() & 0xFF)
                .add("flags", f.flags())
                .add("header_length", f.headerLength())
                .add("payload_length", f.payloadLength())
                .add("service_id", h.serviceId())
                .add("session_id", h.sessionId())
                .add("request_id", h.requestId())
                .add("sequence", new BigInteger(h.sequenceText()))
                .add("timestamp", h.timestamp())
                .add("priority", h.priority())
                .add("capability", h.capability())
                .add("route", h.route())
                .add("payload_format", h.payloadFormat())
                .add("payload_base64", base64(f.payload()))
                .add("trailing_bytes", f.trailingBytes());
        if (keyed) {
            o.add("mac_ok", f.macStatus() == MacStatus.VERIFIED);
        } else {
            o.addNull("mac_ok");
        }
        return o.build().toString();
    }

    /** A frame that failed; {@code fileOffset} is the byte offset in the file, or -1. */
    public static String error(String file, int index, IpcException e, long fileOffset) {
        JsonObjectBuilder o = Json.createObjectBuilder()
                .add("file", file)
                .add("index", index)
                .add("error", e.code().name())
                .add("error_id", e.code().id())
                .add("message", rawMessage(e));
        if (fileOffset >= 0) {
            o.add("error_offset", fileOffset);
        } else {
            o.addNull("error_offset");
        }
        return o.build().toString();
    }

    /** The exception's text without the code and offset {@link IpcException#getMessage()} puts in front. */
    public static String rawMessage(IpcException e) {
        String m = e.getMessage();
        String prefix = e.code().toString();
        int colon = m.indexOf(": ");
        return m.startsWith(prefix) && colon >= 0 ? m.substring(colon + 2) : m;
    }

    private static String base64(ByteBuffer payload) {
        ByteBuffer p = payload.duplicate();
        byte[] bytes = new byte[p.remaining()];
        p.get(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }
}
