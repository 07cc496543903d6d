package org.eipc.service.trace.record;

import java.math.BigDecimal;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.eipc.api.Header;
import org.eipc.api.Message;
import org.eipc.api.MessageType;

/**
 * Compares the server-to-client messages of a recording with those a replay received.
 *
 * <p>Matching: messages with a request id are paired by request id (several with the same id in order); messages
 * without one are paired in order. Compared: the type byte, {@code service_id}, {@code priority},
 * {@code capability}, {@code route}, {@code payload_format} and the payload. Never compared, because a new session
 * legitimately changes them: {@code sequence}, {@code timestamp}, {@code session_id}. A JSON payload
 * ({@code payload_format} 0) equals another when the bytes are equal or both parse to the same JSON value (member
 * order and white space aside). Immutable and thread-safe.
 */
public final class ReplyComparator {
    /** The fields that can be compared, and so named in {@link #ReplyComparator(Set)}. */
    public static final Set<String> FIELDS = Set.of("type", "service_id", "priority", "capability", "route",
            "payload_format", "payload");

    private static final int SHOWN = 200;

    private final Set<String> ignored;

    /**
     * @param ignored fields of {@link #FIELDS} not to compare (e.g. {@code service_id} when replaying into a host
     *        with another name)
     * @throws IllegalArgumentException for a name outside {@link #FIELDS}
     */
    public ReplyComparator(Set<String> ignored) {
        for (String f : ignored) {
            if (!FIELDS.contains(f)) {
                throw new IllegalArgumentException("ignored=" + f + " is not one of " + FIELDS);
            }
        }
        this.ignored = Set.copyOf(ignored);
    }

    /**
     * @param expected the recording's server-to-client messages, in order
     * @param actual what the replay received, in arrival order
     */
    public Comparison compare(List<RecordedMessage> expected, List<Message> actual) {
        Map<String, Deque<Message>> got = new LinkedHashMap<>();
        for (Message m : actual) {
            got.computeIfAbsent(m.header().requestId(), k -> new ArrayDeque<>()).add(m);
        }
        List<Mismatch> out = new ArrayList<>();
        int matched = 0;
        for (RecordedMessage r : expected) {
            String rid = r.message().header().requestId();
            Deque<Message> q = got.get(rid);
            Message a = q == null ? null : q.poll();
            if (a == null) {
                out.add(new Mismatch(Mismatch.Kind.MISSING, rid, r.line(), "", summary(r.message()), ""));
                continue;
            }
            int before = out.size();
            diff(r, a, out);
            if (out.size() == before) {
                matched++;
            }
        }
        for (Deque<Message> q : got.values()) {
            for (Message m : q) {
                out.add(new Mismatch(Mismatch.Kind.UNEXPECTED, m.header().requestId(), 0, "", "", summary(m)));
            }
        }
        return new Comparison(expected.size(), actual.size(), matched, out);
    }

    private void diff(RecordedMessage r, Message a, List<Mismatch> out) {
        Message e = r.message();
        Header eh = e.header();
        Header ah = a.header();
        String rid = eh.requestId();
        field(out, r, "type", type(e), type(a));
        field(out, r, "service_id", eh.serviceId(), ah.serviceId());
        field(out, r, "priority", Integer.toString(eh.priority()), Integer.toString(ah.priority()));
        field(out, r, "capability", eh.capability(), ah.capability());
        field(out, r, "route", eh.route(), ah.route());
        field(out, r, "payload_format", Integer.toString(eh.payloadFormat()), Integer.toString(ah.payloadFormat()));
        if (!ignored.contains("payload") && !samePayload(e, a)) {
            out.add(new Mismatch(Mismatch.Kind.DIFFERENT, rid, r.line(), "payload", payload(e), payload(a)));
        }
    }

    private void field(List<Mismatch> out, RecordedMessage r, String name, String expected, String actual) {
        if (!ignored.contains(name) && !expected.equals(actual)) {
            out.add(new Mismatch(Mismatch.Kind.DIFFERENT, r.message().header().requestId(), r.line(), name,
                    quoted(expected), quoted(actual)));
        }
    }

    private static boolean samePayload(Message e, Message a) {
        byte[] x = e.payloadBytes();
        byte[] y = a.payloadBytes();
        if (Arrays.equals(x, y)) {
            return true;
        }
        if (e.header().payloadFormat() != Header.FORMAT_JSON || a.header().payloadFormat() != Header.FORMAT_JSON) {
            return false;
        }
        String sx = utf8(x);
        String sy = utf8(y);
        if (sx == null || sy == null) {
            return false;
        }
        try {
            return jsonEquals(Json.parse(sx), Json.parse(sy));
        } catch (IllegalArgumentException notJson) {
            return false;
        }
    }

    /** Equal JSON values: numbers by value (1.0 equals 1), objects regardless of member order. */
    private static boolean jsonEquals(Object x, Object y) {
        if (x instanceof BigDecimal bx && y instanceof BigDecimal by) {
            return bx.compareTo(by) == 0;
        }
        if (x instanceof Map<?, ?> mx && y instanceof Map<?, ?> my) {
            if (!mx.keySet().equals(my.keySet())) {
                return false;
            }
            for (Map.Entry<?, ?> en : mx.entrySet()) {
                if (!jsonEquals(en.getValue(), my.get(en.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        if (x instanceof List<?> lx && y instanceof List<?> ly) {
            if (lx.size() != ly.size()) {
                return false;
            }
            for (int i = 0; i < lx.size(); i++) {
                if (!jsonEquals(lx.get(i), ly.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return Objects.equals(x, y);
    }

    private static String type(Message m) {
        MessageType t = m.type();
        return t == null ? String.format(Locale.ROOT, "0x%02x", m.typeByte() & 0xff) : t.wireName();
    }

    private static String summary(Message m) {
        return type(m) + " " + payload(m);
    }

    /** The payload for people: UTF-8 text quoted, else base64; cut after 200 characters. */
    private static String payload(Message m) {
        byte[] b = m.payloadBytes();
        String text = utf8(b);
        String shown = text != null ? quoted(text) : "base64:" + Base64.getEncoder().encodeToString(b);
        return shown.length() > SHOWN ? shown.substring(0, SHOWN) + "... (" + b.length + " bytes)" : shown;
    }

    private static String quoted(String s) {
        return Json.quote(new StringBuilder(), s).toString();
    }

    private static String utf8(byte[] b) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
