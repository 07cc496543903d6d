package org.eipc.service.trace.record;

import java.util.List;
import java.util.Objects;

/**
 * A recording as read from a file. Immutable.
 *
 * @param info the first line
 * @param messages every message in file order
 * @param dropped messages the recorder could not write (the sum of its {@code dropped} lines)
 * @param endReason the reason in the {@code end} line, or {@code null} when the file has none (the recorder was
 *        killed, or the recording is still being written)
 */
public record Recording(SessionInfo info, List<RecordedMessage> messages, long dropped, String endReason) {

    /** Copies the list. */
    public Recording {
        Objects.requireNonNull(info, "info");
        messages = List.copyOf(messages);
    }

    /** The messages of one flow, in order. */
    public List<RecordedMessage> of(Flow flow) {
        return messages.stream().filter(m -> m.flow() == flow).toList();
    }

    /** Whether the recording has its {@code end} line. */
    public boolean complete() {
        return endReason != null;
    }
}
