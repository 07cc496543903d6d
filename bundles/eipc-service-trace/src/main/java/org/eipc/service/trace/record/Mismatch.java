package org.eipc.service.trace.record;

/**
 * One difference between the recorded replies and the replies a replay got. Immutable.
 *
 * @param kind what kind of difference
 * @param requestId the request id both messages carry (or the recorded one), {@code ""} for none
 * @param line the recorded message's line in the file, or 0 for an {@link Kind#UNEXPECTED} message
 * @param field the header field that differs ({@code type}, {@code service_id}, {@code priority},
 *        {@code capability}, {@code route}, {@code payload_format}, {@code payload}), or {@code ""}
 * @param expected the recorded value, as text ({@code ""} when there is none)
 * @param actual the value the replay got, as text ({@code ""} when there is none)
 */
public record Mismatch(Kind kind, String requestId, long line, String field, String expected, String actual) {

    /** What kind of difference. */
    public enum Kind {
        /** A recorded reply that the replay did not get. */
        MISSING,
        /** The replay got a message the recording does not have. */
        UNEXPECTED,
        /** The replay got the reply, but a compared field differs. */
        DIFFERENT
    }

    /** One line for people: {@code DIFFERENT payload of request r-1 (line 7): expected {..}, got {..}}. */
    public String describe() {
        String where = (requestId.isEmpty() ? "message without request id" : "request " + requestId)
                + (line > 0 ? " (line " + line + ")" : "");
        return switch (kind) {
            case MISSING -> "MISSING reply to " + where + ": expected " + expected;
            case UNEXPECTED -> "UNEXPECTED " + where + ": got " + actual;
            case DIFFERENT -> "DIFFERENT " + field + " of " + where + ": expected " + expected + ", got " + actual;
        };
    }
}
