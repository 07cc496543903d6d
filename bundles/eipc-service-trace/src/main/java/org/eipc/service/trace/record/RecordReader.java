package org.eipc.service.trace.record;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.eipc.api.Header;
import org.eipc.api.IpcException;
import org.eipc.api.Message;

/**
 * Reads a recording (format in the package comment). Strict: every line must be a complete JSON object of a known
 * kind with the fields of its kind; the first failure is a {@link RecordFileException} naming the line. A file
 * without its {@code end} line is accepted (see {@link Recording#complete()}), but a last line cut short is not.
 */
public final class RecordReader {
    private static final BigInteger MAX_U64 = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    private final String name;
    private long line;

    private RecordReader(String name) {
        this.name = name;
    }

    /**
     * Reads a whole recording.
     *
     * @throws RecordFileException when the file is not a readable recording (exit code 60)
     * @throws IOException when the file cannot be read
     */
    public static Recording read(Path file) throws IOException {
        try (var in = Files.newInputStream(file)) {
            return read(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT))),
                    file.toString());
        }
    }

    /**
     * Reads a whole recording from {@code in} (UTF-8 text).
     *
     * @param name the file's name for error messages
     */
    public static Recording read(BufferedReader in, String name) throws IOException {
        return new RecordReader(name).readAll(in);
    }

    private Recording readAll(BufferedReader in) throws IOException {
        SessionInfo info = null;
        List<RecordedMessage> messages = new ArrayList<>();
        long dropped = 0;
        String end = null;
        String text;
        while ((text = nextLine(in)) != null) {
            if (end != null) {
                throw error("a line after the end line");
            }
            Map<String, Object> o = object(text);
            if (info == null) {
                info = session(o);
                continue;
            }
            String kind = string(o, "kind");
            switch (kind) {
                case "message" -> messages.add(message(o));
                case "dropped" -> dropped += number(o, "count");
                case "end" -> {
                    end = string(o, "reason");
                    if (number(o, "messages") != messages.size()) {
                        throw error("the end line counts " + number(o, "messages") + " messages, the file has "
                                + messages.size());
                    }
                }
                case "session" -> throw error("a second session line");
                default -> throw error("unknown kind \"" + kind + "\"");
            }
        }
        if (info == null) {
            line = 1;
            throw error("the file is empty");
        }
        return new Recording(info, messages, dropped, end);
    }

    /** The next line; one that does not end with a newline was cut short (a crash or a copy in progress). */
    private String nextLine(BufferedReader in) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        try {
            while ((c = in.read()) != -1 && c != '\n') {
                b.append((char) c);
            }
        } catch (CharacterCodingException e) {
            line++;
            throw error("not UTF-8 text");
        }
        if (c == -1 && b.isEmpty()) {
            return null;
        }
        line++;
        if (c == -1) {
            throw error("truncated: the last line has no newline (the file was cut short)");
        }
        return b.toString();
    }

    private Map<String, Object> object(String text) {
        Object v;
        try {
            v = Json.parse(text);
        } catch (IllegalArgumentException e) {
            throw error("not JSON: " + e.getMessage());
        }
        if (!(v instanceof Map)) {
            throw error("not a JSON object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) v;
        return m;
    }

    private SessionInfo session(Map<String, Object> o) {
        if (!(o.get("eipc_record") instanceof BigDecimal)) {
            throw error("not an EIPC recording (the first line has no \"eipc_record\" format number)");
        }
        long format = number(o, "eipc_record");
        if (format != RecordWriter.FORMAT) {
            throw error("recording format " + format + " is not supported (this reader reads "
                    + RecordWriter.FORMAT + ")");
        }
        if (!"session".equals(string(o, "kind"))) {
            throw error("the first line is not a session line");
        }
        Instant started;
        try {
            started = Instant.parse(string(o, "started"));
        } catch (DateTimeParseException e) {
            throw error("\"started\" is not an ISO-8601 instant");
        }
        return new SessionInfo(string(o, "recorder"), started, string(o, "endpoint"), string(o, "session_id"),
                string(o, "side"), string(o, "peer_service_id"));
    }

    private RecordedMessage message(Map<String, Object> o) {
        Flow flow = Flow.ofText(string(o, "flow"));
        if (flow == null) {
            throw error("\"flow\" is neither c2s nor s2c");
        }
        long type = number(o, "type_byte");
        if (type < 0 || type > 255) {
            throw error("\"type_byte\" " + type + " is outside 0..255");
        }
        Object ho = o.get("header");
        if (!(ho instanceof Map)) {
            throw error("\"header\" is missing or not an object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> h = (Map<String, Object>) ho;
        Header header;
        try {
            header = Header.builder().serviceId(string(h, "service_id")).sessionId(string(h, "session_id"))
                    .requestId(string(h, "request_id")).sequence(unsigned(h, "sequence"))
                    .timestamp(string(h, "timestamp")).priority((int) number(h, "priority"))
                    .capability(string(h, "capability")).route(string(h, "route"))
                    .payloadFormat((int) number(h, "payload_format")).build();
        } catch (IpcException e) {
            throw error("bad header: " + e.detail());
        }
        byte[] payload;
        try {
            payload = Base64.getDecoder().decode(string(o, "payload_base64"));
        } catch (IllegalArgumentException e) {
            throw error("\"payload_base64\" is not base64: " + e.getMessage());
        }
        return new RecordedMessage(line, flow, number(o, "t_ns"),
                Message.ofWire((byte) type, header, ByteBuffer.wrap(payload)));
    }

    private String string(Map<String, Object> o, String key) {
        Object v = o.get(key);
        if (!(v instanceof String)) {
            throw error("\"" + key + "\" is missing or not a string");
        }
        return (String) v;
    }

    private long number(Map<String, Object> o, String key) {
        Object v = o.get(key);
        if (!(v instanceof BigDecimal)) {
            throw error("\"" + key + "\" is missing or not a number");
        }
        try {
            return ((BigDecimal) v).longValueExact();
        } catch (ArithmeticException e) {
            throw error("\"" + key + "\" is not a 64-bit integer");
        }
    }

    private long unsigned(Map<String, Object> o, String key) {
        Object v = o.get(key);
        if (!(v instanceof BigDecimal)) {
            throw error("\"" + key + "\" is missing or not a number");
        }
        try {
            BigInteger b = ((BigDecimal) v).toBigIntegerExact();
            if (b.signum() < 0 || b.compareTo(MAX_U64) > 0) {
                throw error("\"" + key + "\" is outside the unsigned 64-bit range");
            }
            return b.longValue();
        } catch (ArithmeticException e) {
            throw error("\"" + key + "\" is not an integer");
        }
    }

    private RecordFileException error(String reason) {
        return new RecordFileException(name, line, reason);
    }
}
