package org.eipc.service.broker.impl;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;
import org.eipc.service.broker.Broker;

/**
 * Checks and splits topics, patterns and service names (syntax in the {@code org.eipc.service.broker} package
 * comment). Every length is checked before anything is split or allocated.
 */
final class Topics {
    static final String ONE = "*";
    static final String REST = ">";

    private Topics() {
    }

    /**
     * @return the tokens of a topic (no wildcards)
     * @throws IpcException {@link ErrorCode#ADDRESS_INVALID}
     */
    static String[] topic(final String topic) {
        return split(topic, false, "topic");
    }

    /**
     * @return the tokens of a pattern ({@code *} anywhere, {@code >} last)
     * @throws IpcException {@link ErrorCode#ADDRESS_INVALID}
     */
    static String[] pattern(final String pattern) {
        return split(pattern, true, "pattern");
    }

    /**
     * Checks a service name (the topic syntax).
     *
     * @throws IpcException {@link ErrorCode#ADDRESS_INVALID}
     */
    static String service(final String name) {
        split(name, false, "service name");
        return name;
    }

    private static String[] split(final String s, final boolean wildcards, final String what) {
        if (s == null || s.isEmpty()) {
            throw invalid(what, s, "is empty");
        }
        final int length = s.length();
        if (length > Broker.MAX_TOPIC_LENGTH) {
            throw invalid(what, null, "is " + length + " characters long, more than " + Broker.MAX_TOPIC_LENGTH);
        }
        int tokens = 1;
        for (int i = 0; i < length; i++) {
            final char c = s.charAt(i);
            if ('.' == c) {
                tokens++;
            } else if (!tokenChar(c) && !(wildcards && ('*' == c || '>' == c))) {
                throw invalid(what, s, "has character " + describe(c) + " at " + i);
            }
        }
        if (tokens > Broker.MAX_TOPIC_TOKENS) {
            throw invalid(what, s, "has " + tokens + " tokens, more than " + Broker.MAX_TOPIC_TOKENS);
        }
        final String[] out = new String[tokens];
        int start = 0;
        for (int t = 0; t < tokens; t++) {
            int end = s.indexOf('.', start);
            if (end < 0) {
                end = length;
            }
            final int n = end - start;
            if (0 == n) {
                throw invalid(what, s, "has an empty token at " + start);
            }
            if (n > Broker.MAX_TOKEN_LENGTH) {
                throw invalid(what, s, "has a token of " + n + " characters at " + start + ", more than "
                        + Broker.MAX_TOKEN_LENGTH);
            }
            final String token = s.substring(start, end);
            if (wildcards && (token.indexOf('*') >= 0 || token.indexOf('>') >= 0)) {
                if (!ONE.equals(token) && !REST.equals(token)) {
                    throw invalid(what, s, "mixes a wildcard with other characters in token '" + token + "'");
                }
                if (REST.equals(token) && t != tokens - 1) {
                    throw invalid(what, s, "has '>' before its last token");
                }
            }
            out[t] = token;
            start = end + 1;
        }
        return out;
    }

    /** True when every token of {@code topic} is matched by {@code pattern} (both already split). */
    static boolean matches(final String[] pattern, final String[] topic) {
        for (int i = 0; i < pattern.length; i++) {
            final String p = pattern[i];
            if (REST.equals(p)) {
                return topic.length > i;
            }
            if (i >= topic.length || !(ONE.equals(p) || p.equals(topic[i]))) {
                return false;
            }
        }
        return pattern.length == topic.length;
    }

    private static boolean tokenChar(final char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || '_' == c || '-' == c;
    }

    private static String describe(final char c) {
        return c >= 0x20 && c < 0x7f ? "'" + c + "'" : String.format("U+%04X", (int) c);
    }

    private static IpcException invalid(final String what, final String value, final String why) {
        // the value goes into the message only when short and already known to be printable-safe enough
        final String shown = value == null ? "" : " '" + printable(value) + "'";
        return new IpcException(ErrorCode.ADDRESS_INVALID, what + shown + " " + why);
    }

    private static String printable(final String s) {
        final StringBuilder b = new StringBuilder(Math.min(s.length(), 80));
        for (int i = 0; i < s.length() && i < 80; i++) {
            final char c = s.charAt(i);
            b.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return s.length() > 80 ? b.append("...").toString() : b.toString();
    }
}
