package org.eipc.transport.nats.impl;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Durable channel names and patterns. A channel is subject tokens {@code [A-Za-z0-9_-]} joined by dots (at most
 * {@value #MAX_LENGTH} characters); a pattern may also use {@code *} for one token and, as its last token,
 * {@code >} for one or more tokens, as NATS subjects do.
 */
final class ChannelNames {
    static final int MAX_LENGTH = 128;
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern CHANNEL = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*");
    private static final Pattern CHANNEL_PATTERN =
            Pattern.compile("([A-Za-z0-9_-]+|\\*)(\\.([A-Za-z0-9_-]+|\\*))*(\\.>)?|>");

    private final List<String> patterns;

    /** @param patterns the configured durable channel patterns, each already {@link #isPattern valid} */
    ChannelNames(List<String> patterns) {
        this.patterns = List.copyOf(patterns);
    }

    List<String> patterns() {
        return patterns;
    }

    static boolean isChannel(String s) {
        return s != null && s.length() <= MAX_LENGTH && CHANNEL.matcher(s).matches();
    }

    static boolean isPattern(String s) {
        return s != null && s.length() <= MAX_LENGTH && CHANNEL_PATTERN.matcher(s).matches();
    }

    /** True when {@code channel} (a valid channel) matches a configured pattern. */
    boolean isDurable(String channel) {
        for (String p : patterns) {
            if (matches(p, channel)) {
                return true;
            }
        }
        return false;
    }

    /**
     * True when every channel {@code pattern} (a valid pattern) can match lies within a configured pattern: what
     * a handler may subscribe to.
     */
    boolean covers(String pattern) {
        for (String p : patterns) {
            if (matches(p, pattern)) {
                return true; // tokens of the handler's pattern are taken literally: '*' only under '*' or '>'
            }
        }
        return false;
    }

    /** NATS subject matching of {@code subject} (whose '*' and '>' count as literal tokens) against a pattern. */
    static boolean matches(String pattern, String subject) {
        String[] p = pattern.split("\\.", -1);
        String[] s = subject.split("\\.", -1);
        for (int i = 0; i < p.length; i++) {
            if (">".equals(p[i])) {
                return s.length > i;
            }
            if (i >= s.length) {
                return false;
            }
            if (">".equals(s[i]) || !"*".equals(p[i]) && !p[i].equals(s[i])) {
                return false; // a '>' in the subject is wider than anything but '>'
            }
        }
        return p.length == s.length;
    }

    /**
     * The JetStream durable consumer for {@code durableName} on {@code pattern}: readable, without the characters
     * JetStream refuses ({@code . * >}), and unambiguous through a hash of the pattern.
     */
    static String consumerName(String durableName, String pattern) {
        String readable = pattern.replace('.', '_').replace("*", "any").replace(">", "all");
        if (readable.length() > 48) {
            readable = readable.substring(0, 48);
        }
        return durableName + "-" + readable + "-" + HexFormat.of().formatHex(sha256(pattern), 0, 4);
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK offers no SHA-256", e);
        }
    }
}
