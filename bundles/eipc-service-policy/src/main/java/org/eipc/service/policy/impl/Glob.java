package org.eipc.service.policy.impl;

/**
 * A pattern where {@code *} stands for any run of characters (dots included) and every other character for itself.
 * Matching does not allocate: the literal parts are found in order with {@link String#startsWith},
 * {@link String#endsWith} and {@link String#indexOf(String, int)}; leftmost placement of the middle parts is optimal,
 * so one pass decides.
 */
final class Glob {
    private final String pattern;
    private final String[] parts; // pattern split at '*'; length 1 means no '*'

    private Glob(String pattern) {
        this.pattern = pattern;
        this.parts = pattern.split("\\*", -1);
    }

    static Glob of(String pattern) {
        return new Glob(pattern);
    }

    boolean isLiteral() {
        return parts.length == 1;
    }

    boolean matchesAll() {
        for (String p : parts) {
            if (!p.isEmpty()) {
                return false;
            }
        }
        return true;
    }

    boolean matches(final String s) {
        final String[] p = parts;
        if (p.length == 1) {
            return p[0].equals(s);
        }
        final String first = p[0];
        final String last = p[p.length - 1];
        if (s.length() < first.length() + last.length() || !s.startsWith(first) || !s.endsWith(last)) {
            return false;
        }
        int from = first.length();
        final int end = s.length() - last.length();
        for (int i = 1; i < p.length - 1; i++) {
            final String part = p[i];
            if (part.isEmpty()) {
                continue;
            }
            final int at = s.indexOf(part, from);
            if (at < 0 || at + part.length() > end) {
                return false;
            }
            from = at + part.length();
        }
        return true;
    }

    @Override
    public String toString() {
        return pattern;
    }
}
