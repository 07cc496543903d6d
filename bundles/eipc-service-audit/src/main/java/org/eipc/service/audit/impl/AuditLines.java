package org.eipc.service.audit.impl;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;

import org.eipc.service.audit.AuditEvent;

/**
 * The audit line format (described in the {@code org.eipc.service.audit} package comment): writing lines and
 * reading back the chain fields. Public only so the exported verifier can use it; not exported.
 */
public final class AuditLines {
    /** The action of the first line of every file. */
    public static final String GENESIS_ACTION = "audit_genesis";
    /** The action of the line noting dropped events. */
    public static final String DROPPED_ACTION = "audit_dropped";
    /** The previous-file hash of the first file ever. */
    public static final String ZERO_HASH = "0".repeat(64);

    private static final byte[] SEQ = "{\"seq\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PREV = ",\"prev\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] GENESIS = "\",\"genesis\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HASH = ",\"hash\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final int HEX = 64;
    /** {@code ,"hash":"} + 64 hex + {@code "}}. */
    private static final int HASH_SUFFIX = HASH.length + HEX + 2;
    private static final char[] DIGITS = "0123456789abcdef".toCharArray();

    private AuditLines() {
    }

    /** The chain fields of one line, or why the line is not in the format. */
    public record Parsed(long seq, String prev, String genesis, boolean selfHashOk, String lineHash) {
        /** Whether this is a genesis (first-of-file) line. */
        public boolean isGenesis() {
            return genesis != null;
        }
    }

    /** The line of one event, without the newline. */
    public static byte[] event(final long seq, final String prev, final AuditEvent e) {
        return line(seq, prev, null, e.timestamp(), e.requestId(), e.source(), e.target(), e.action(), e.decision(),
                e.result(), e.details());
    }

    /** The first line of a file, without the newline. */
    public static byte[] genesis(final long seq, final String previousFileHash, final Instant now) {
        return line(seq, genesisPrev(previousFileHash), previousFileHash, now, "", "audit", "", GENESIS_ACTION, "",
                "chain start", Map.of());
    }

    /** The {@code prev} of a genesis line. */
    public static String genesisPrev(final String previousFileHash) {
        return sha256(("eipc-audit-genesis-v1:" + previousFileHash).getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] line(final long seq, final String prev, final String genesis, final Instant ts,
            final String requestId, final String source, final String target, final String action,
            final String decision, final String result, final Map<String, String> details) {
        final StringBuilder sb = new StringBuilder(256);
        sb.append("{\"seq\":").append(seq).append(",\"prev\":\"").append(prev).append('"');
        if (genesis != null) {
            sb.append(",\"genesis\":\"").append(genesis).append('"');
        }
        sb.append(",\"timestamp\":");
        string(sb, ts.toString());
        member(sb, "request_id", requestId);
        member(sb, "source", source);
        member(sb, "target", target);
        member(sb, "action", action);
        member(sb, "decision", decision);
        member(sb, "result", result);
        sb.append(",\"details\":{");
        boolean first = true;
        for (Map.Entry<String, String> d : details.entrySet()) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            string(sb, d.getKey());
            sb.append(':');
            string(sb, d.getValue());
        }
        sb.append('}');
        final byte[] body = sb.append('}').toString().getBytes(StandardCharsets.UTF_8);
        final String hash = sha256(body);
        final ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + HASH_SUFFIX);
        out.write(body, 0, body.length - 1);
        out.writeBytes(HASH);
        out.writeBytes(hash.getBytes(StandardCharsets.US_ASCII));
        out.write('"');
        out.write('}');
        return out.toByteArray();
    }

    private static void member(final StringBuilder sb, final String key, final String value) {
        sb.append(",\"").append(key).append("\":");
        string(sb, value);
    }

    /**
     * Appends a JSON string literal: quotes, backslash, control characters and U+2028/2029 escaped, a lone
     * surrogate replaced by U+FFFD, the rest as is.
     */
    static void string(final StringBuilder sb, final String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            final char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c == '\n') {
                sb.append("\\n");
            } else if (c == '\r') {
                sb.append("\\r");
            } else if (c == '\t') {
                sb.append("\\t");
            } else if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                sb.append("\\u").append(DIGITS[c >> 12 & 0xf]).append(DIGITS[c >> 8 & 0xf])
                        .append(DIGITS[c >> 4 & 0xf]).append(DIGITS[c & 0xf]);
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                sb.append(c).append(s.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                sb.append('\uFFFD'); // a lone surrogate has no UTF-8 form; parsers reject it even escaped
            } else {
                sb.append(c);
            }
        }
        sb.append('"');
    }

    /**
     * Reads the chain fields of one line (without its newline).
     *
     * @return null when the line is not in the audit format
     */
    public static Parsed parse(final byte[] line) {
        if (line.length < SEQ.length + 1 + PREV.length + HEX + 1 + HASH_SUFFIX || !startsWith(line, 0, SEQ)) {
            return null;
        }
        int i = SEQ.length;
        long seq = 0;
        final int digitsStart = i;
        while (i < line.length && line[i] >= '0' && line[i] <= '9' && i - digitsStart < 18) {
            seq = seq * 10 + (line[i++] - '0');
        }
        if (i == digitsStart || !startsWith(line, i, PREV)) {
            return null;
        }
        i += PREV.length;
        final String prev = hex(line, i);
        if (prev == null) {
            return null;
        }
        i += HEX;
        String genesis = null;
        if (startsWith(line, i, GENESIS)) {
            genesis = hex(line, i + GENESIS.length);
            if (genesis == null) {
                return null;
            }
        }
        final int suffix = line.length - HASH_SUFFIX;
        if (!startsWith(line, suffix, HASH) || line[line.length - 2] != '"' || line[line.length - 1] != '}') {
            return null;
        }
        final String hash = hex(line, suffix + HASH.length);
        if (hash == null) {
            return null;
        }
        final byte[] body = Arrays.copyOf(line, suffix + 1);
        body[suffix] = '}';
        return new Parsed(seq, prev, genesis, hash.equals(sha256(body)), sha256(line));
    }

    private static boolean startsWith(final byte[] b, final int at, final byte[] prefix) {
        if (at < 0 || at + prefix.length > b.length) {
            return false;
        }
        for (int k = 0; k < prefix.length; k++) {
            if (b[at + k] != prefix[k]) {
                return false;
            }
        }
        return true;
    }

    private static String hex(final byte[] b, final int at) {
        if (at + HEX > b.length) {
            return null;
        }
        for (int k = at; k < at + HEX; k++) {
            if (!(b[k] >= '0' && b[k] <= '9' || b[k] >= 'a' && b[k] <= 'f')) {
                return null;
            }
        }
        return new String(b, at, HEX, StandardCharsets.US_ASCII);
    }

    /** Lowercase hex SHA-256. */
    public static String sha256(final byte[] bytes) {
        final MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
        final byte[] d = md.digest(bytes);
        final char[] out = new char[d.length * 2];
        for (int k = 0; k < d.length; k++) {
            out[2 * k] = DIGITS[d[k] >> 4 & 0xf];
            out[2 * k + 1] = DIGITS[d[k] & 0xf];
        }
        return new String(out);
    }
}
