package org.eipc.launcher.record;

import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;
import org.eipc.api.Message;
import org.eipc.api.Session;
import org.eipc.runtime.EipcRuntime;
import org.eipc.runtime.EndpointOptions;
import org.eipc.service.trace.record.Comparison;
import org.eipc.service.trace.record.Flow;
import org.eipc.service.trace.record.RecordedMessage;
import org.eipc.service.trace.record.Recording;
import org.eipc.service.trace.record.ReplyComparator;

/**
 * Plays the client-to-server messages of a recording into a host as a new client session and collects what the
 * host sends back.
 *
 * <p>Order is causal in both timings: a message is not sent before as many server-to-client messages have arrived
 * as the recording shows before it (waiting at most {@code timeout} for them), so a client that waited for a reply
 * before its next request is replayed the same way. {@link Timing#ASRECORDED} also keeps the recorded gaps between
 * sends; {@link Timing#FAST} sends as soon as order allows. After the last send the replayer waits until every
 * recorded reply has a counterpart or nothing has arrived for {@code timeout}.
 */
public final class Replayer {

    /** How fast to send. */
    public enum Timing {
        /** Keep the recorded gaps between client messages. */
        ASRECORDED,
        /** No gaps. */
        FAST
    }

    /** What a replay did. */
    public record Result(int sent, Comparison comparison) {
    }

    private final List<Message> received = new ArrayList<>(); // guarded by itself

    private Replayer() {
    }

    /**
     * Replays {@code recording} into the host at {@code to}.
     *
     * @throws IpcException when the host cannot be reached ({@link ErrorCode#CONNECT_FAILED}) or refuses the session
     */
    public static Result replay(Recording recording, EipcRuntime runtime, URI to, EndpointOptions options,
            Timing timing, Duration timeout, ReplyComparator comparator) throws InterruptedException {
        return new Replayer().run(recording, runtime, to, options, timing, timeout, comparator);
    }

    private Result run(Recording recording, EipcRuntime runtime, URI to, EndpointOptions options, Timing timing,
            Duration timeout, ReplyComparator comparator) throws InterruptedException {
        Session session = runtime.connect(List.of(to), options, (s, m) -> {
            synchronized (received) {
                received.add(Message.ofWire(m.typeByte(), m.header(), ByteBuffer.wrap(m.payloadBytes())));
                received.notifyAll();
            }
        }, timeout);
        int sent = 0;
        try {
            int repliesBefore = 0;
            long firstNanos = -1;
            long start = System.nanoTime();
            for (RecordedMessage r : recording.messages()) {
                if (r.flow() == Flow.S2C) {
                    repliesBefore++;
                    continue;
                }
                awaitReceived(repliesBefore, timeout);
                if (timing == Timing.ASRECORDED) {
                    if (firstNanos < 0) {
                        firstNanos = r.nanos();
                        start = System.nanoTime();
                    }
                    long due = start + (r.nanos() - firstNanos);
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait); // pacing, as recorded
                    }
                }
                Relay.send(session, Relay.fresh(r.message(), false), timeout);
                sent++;
            }
            awaitReceived(repliesBefore, timeout);
        } finally {
            close(session, timeout);
        }
        List<Message> got;
        synchronized (received) {
            got = List.copyOf(received);
        }
        return new Result(sent, comparator.compare(recording.of(Flow.S2C), got));
    }

    /** Waits until {@code n} messages arrived, or none arrived for {@code timeout}. */
    private void awaitReceived(int n, Duration timeout) throws InterruptedException {
        synchronized (received) {
            long deadline = System.nanoTime() + timeout.toNanos();
            int seen = received.size();
            while (received.size() < n) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                TimeUnit.NANOSECONDS.timedWait(received, left);
                if (received.size() > seen) { // progress: the host is still answering
                    seen = received.size();
                    deadline = System.nanoTime() + timeout.toNanos();
                }
            }
        }
    }

    /** Closes in order and waits (up to the drain timeout and a second) until the session has ended. */
    private static void close(Session session, Duration timeout) throws InterruptedException {
        session.close();
        long deadline = System.nanoTime() + timeout.plusSeconds(1).toNanos();
        while (session.isOpen() && System.nanoTime() - deadline < 0) {
            Thread.sleep(5);
        }
    }
}
