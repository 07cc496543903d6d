package org.eipc.service.broker;

/**
 * What one {@link Broker#publish} did. Back-pressure is reported here, never by blocking or throwing: a
 * subscriber whose queue was full shows up in {@link #dropped()} or {@link #disconnected()}.
 *
 * @param matched subscriptions whose pattern matched the topic
 * @param enqueued of these, how many queued the message (with {@link OverflowPolicy#DROP_OLDEST} a full queue
 *        still queues it and drops its oldest message, which counts in {@link #dropped()})
 * @param dropped messages lost to full queues by this publish (the new one or an oldest one)
 * @param disconnected subscriptions cancelled by their {@link OverflowPolicy#DISCONNECT} policy
 */
public record PublishResult(int matched, int enqueued, int dropped, int disconnected) {
    /** Nobody matched. */
    public static final PublishResult NO_SUBSCRIBERS = new PublishResult(0, 0, 0, 0);
}
