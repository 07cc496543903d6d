package org.eipc.service.trace.record;

import java.util.Objects;

import org.eipc.api.Message;

/**
 * One message of a recording. Immutable.
 *
 * @param line the line of the file it was read from (1-based), or 0 when it was not read from a file
 * @param flow client to server or server to client
 * @param nanos nanoseconds since the session's first recorded message
 * @param message type byte, header as recorded (sequence, timestamp and session id as the recording side saw
 *        them) and payload
 */
public record RecordedMessage(long line, Flow flow, long nanos, Message message) {

    /** Checks that nothing is null. */
    public RecordedMessage {
        Objects.requireNonNull(flow, "flow");
        Objects.requireNonNull(message, "message");
    }
}
