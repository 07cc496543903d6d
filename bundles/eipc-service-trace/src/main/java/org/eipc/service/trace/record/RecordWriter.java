package org.eipc.service.trace.record;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.eipc.api.Header;
import org.eipc.api.Message;
import org.eipc.api.MessageType;

/**
 * Writes a recording (format in the package comment): the line builders are static, so a caller can measure a
 * line before it decides to write it. Not thread-safe: one writer thread owns an instance.
 */
public final class RecordWriter implements Closeable, Flushable {
    /** Value of {@code "eipc_record"} in the first line: the format version this writer writes. */
    public static final int FORMAT = 1;

    private final OutputStream out;
    private long bytes;
    private long messages;

    /** @param out where the lines go; buffered here and closed by {@link #close()} */
    public RecordWriter(OutputStream out) {
        this.out = new BufferedOutputStream(out, 1 << 16);
    }

    /** The first line. */
    public static String sessionLine(SessionInfo s) {
        StringBuilder b = new StringBuilder(256).append("{\"eipc_record\":").append(FORMAT);
        member(b, "kind", "session");
        member(b, "recorder", s.recorder());
        member(b, "started", s.started().toString());
        member(b, "endpoint", s.endpoint());
        member(b, "session_id", s.sessionId());
        member(b, "side", s.side());
        member(b, "peer_service_id", s.peerServiceId());
        return b.append('}').toString();
    }

    /**
     * A message line.
     *
     * @param n the message's number in the file, from 1
     */
    public static String messageLine(long n, Flow flow, long nanos, Message m) {
        Header h = m.header();
        MessageType t = m.type();
        StringBuilder b = new StringBuilder(160 + m.payloadLength() * 4 / 3).append("{\"kind\":\"message\"");
        b.append(",\"n\":").append(n);
        member(b, "flow", flow.text());
        b.append(",\"t_ns\":").append(nanos);
        member(b, "type", t == null ? String.format("0x%02x", m.typeByte() & 0xff) : t.wireName());
        b.append(",\"type_byte\":").append(m.typeByte() & 0xff);
        b.append(",\"header\":{\"service_id\":");
        Json.quote(b, h.serviceId());
        member(b, "session_id", h.sessionId());
        member(b, "request_id", h.requestId());
        b.append(",\"sequence\":").append(h.sequenceText());
        member(b, "timestamp", h.timestamp());
        b.append(",\"priority\":").append(h.priority());
        member(b, "capability", h.capability());
        member(b, "route", h.route());
        b.append(",\"payload_format\":").append(h.payloadFormat()).append('}');
        member(b, "payload_base64", Base64.getEncoder().encodeToString(m.payloadBytes()));
        return b.append('}').toString();
    }

    /** A note that {@code count} messages were dropped since the last note ({@code total} in this session). */
    public static String droppedLine(long nanos, long count, long total) {
        return "{\"kind\":\"dropped\",\"t_ns\":" + nanos + ",\"count\":" + count + ",\"total\":" + total + "}";
    }

    /** The last line. */
    public static String endLine(long nanos, long messages, long dropped, String reason) {
        StringBuilder b = new StringBuilder(128).append("{\"kind\":\"end\",\"t_ns\":").append(nanos)
                .append(",\"messages\":").append(messages).append(",\"dropped\":").append(dropped);
        member(b, "reason", reason);
        return b.append('}').toString();
    }

    private static void member(StringBuilder b, String key, String value) {
        b.append(",\"").append(key).append("\":");
        Json.quote(b, value);
    }

    /** Writes the first line. */
    public void session(SessionInfo s) throws IOException {
        write(sessionLine(s));
    }

    /** Writes a message line, numbering it. */
    public void message(Flow flow, long nanos, Message m) throws IOException {
        write(messageLine(messages + 1, flow, nanos, m));
        messages++;
    }

    /**
     * Writes a message line unless the file would then be larger than {@code limit} bytes.
     *
     * @return whether the line was written
     */
    public boolean message(Flow flow, long nanos, Message m, long limit) throws IOException {
        byte[] b = messageLine(messages + 1, flow, nanos, m).getBytes(StandardCharsets.UTF_8);
        if (bytes + b.length + 1 > limit) {
            return false;
        }
        write(b);
        messages++;
        return true;
    }

    /** Writes a dropped note. */
    public void dropped(long nanos, long count, long total) throws IOException {
        write(droppedLine(nanos, count, total));
    }

    /** Writes the last line with the count of message lines written. */
    public void end(long nanos, long dropped, String reason) throws IOException {
        write(endLine(nanos, messages, dropped, reason));
    }

    /** Writes one line (a newline is added). */
    public void write(String line) throws IOException {
        write(line.getBytes(StandardCharsets.UTF_8));
    }

    private void write(byte[] b) throws IOException {
        out.write(b);
        out.write('\n');
        bytes += b.length + 1;
    }

    /** Bytes written so far, newlines included. */
    public long bytes() {
        return bytes;
    }

    /** Message lines written so far. */
    public long messages() {
        return messages;
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
