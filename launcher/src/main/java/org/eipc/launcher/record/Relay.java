package org.eipc.launcher.record;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.eipc.api.ErrorCode;
import org.eipc.api.Header;
import org.eipc.api.IpcException;
import org.eipc.api.Message;
import org.eipc.api.SendResult;
import org.eipc.api.Session;

/** Sending a recorded or relayed message again on another session. */
final class Relay {
    private Relay() {
    }

    /**
     * {@code m} as a new message: type, request id, priority, capability, route, payload format and payload kept;
     * sequence, timestamp and session id left for the sending session to stamp.
     *
     * @param keepServiceId whether to keep {@code service_id} (a proxy is transparent) or let the session stamp its
     *        own (a replay speaks for itself)
     */
    static Message fresh(Message m, boolean keepServiceId) {
        Header h = m.header();
        Header.Builder b = Header.builder().requestId(h.requestId()).priority(h.priority())
                .capability(h.capability()).route(h.route()).payloadFormat(h.payloadFormat());
        if (keepServiceId) {
            b.serviceId(h.serviceId());
        }
        return m.withHeader(b.build());
    }

    /**
     * Sends, waiting out back-pressure up to {@code timeout}.
     *
     * @throws IpcException {@link ErrorCode#CONNECTION_CLOSED} when the session closed,
     *         {@link ErrorCode#REQUEST_TIMEOUT} when back-pressure did not clear
     */
    static void send(Session s, Message m, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            SendResult r = s.send(m);
            if (r == SendResult.OK) {
                return;
            }
            if (r == SendResult.CLOSED) {
                throw new IpcException(ErrorCode.CONNECTION_CLOSED, "session " + s.id() + " closed while sending");
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new IpcException(ErrorCode.REQUEST_TIMEOUT, "back-pressure on session " + s.id()
                        + " did not clear within " + timeout.toMillis() + " ms");
            }
            CompletableFuture<Void> w = s.whenWritable().toCompletableFuture();
            try {
                w.get(left, TimeUnit.NANOSECONDS);
            } catch (TimeoutException | ExecutionException e) {
                // checked again above
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IpcException(ErrorCode.INTERNAL, "interrupted");
            }
        }
    }
}
