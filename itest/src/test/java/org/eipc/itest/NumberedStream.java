package org.eipc.itest;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.eipc.api.ErrorCode;
import org.eipc.api.Header;
import org.eipc.api.IpcException;
import org.eipc.api.Message;
import org.eipc.api.MessageHandler;
import org.eipc.api.MessageType;
import org.eipc.api.Priority;
import org.eipc.api.SendResult;
import org.eipc.api.Session;

/**
 * A stream of numbered messages on mixed priorities, plus request/reply calls, and its receiving side: counts
 * what arrived, duplicates and order violations within each lane, and the arrival time of each message (to measure
 * how long the session paused). Message {@code i} goes on lane {@code i % 4}; every {@code requestEvery}-th message
 * is sent as a request instead. Used inside the container by {@link HotSwapIT} and {@link KeyringSwapIT}.
 */
final class NumberedStream implements MessageHandler {
    private final int total;
    private final int requestEvery;
    private final BitSet seen = new BitSet();
    private final long[] lastInLane = {-1, -1, -1, -1};
    private final long[] arrivalNanos;
    private final AtomicInteger received = new AtomicInteger();
    private final AtomicInteger duplicates = new AtomicInteger();
    private final AtomicInteger outOfOrder = new AtomicInteger();
    private final AtomicInteger replies = new AtomicInteger();
    private final AtomicInteger deadlineErrors = new AtomicInteger();
    private final AtomicReference<Throwable> otherError = new AtomicReference<>();
    private final AtomicLong sent = new AtomicLong();
    private volatile int allowed;
    private final List<CompletableFuture<Message>> requests = new ArrayList<>();

    NumberedStream(int total, int requestEvery) {
        this.total = total;
        this.requestEvery = requestEvery;
        this.arrivalNanos = new long[total];
        this.allowed = total;
    }

    // ---- receiving side (server handler) ------------------------------------------------------------------

    @Override
    public void onMessage(Session session, Message m) {
        String[] parts = new String(m.payloadBytes(), StandardCharsets.US_ASCII).split(":");
        int i = Integer.parseInt(parts[0]);
        int lane = i % 4;
        synchronized (this) {
            if (seen.get(i)) {
                duplicates.incrementAndGet();
                return;
            }
            seen.set(i);
            arrivalNanos[i] = System.nanoTime();
            if (i < lastInLane[lane]) {
                outOfOrder.incrementAndGet();
            }
            lastInLane[lane] = i;
        }
        received.incrementAndGet();
        if (!m.header().requestId().isEmpty()) {
            session.reply(m, Message.of(MessageType.ACK, Header.builder().priority(m.header().priority()).build(),
                    ("re:" + i).getBytes(StandardCharsets.US_ASCII)));
        }
    }

    // ---- sending side ---------------------------------------------------------------------------------------

    /**
     * Lets the sender go up to (excluding) message {@code n}: the test keeps the stream ahead of its swaps, so every
     * swap happens while messages are in flight, however fast the machine is.
     */
    void allowUpTo(int n) {
        allowed = Math.min(n, total);
    }

    /** Sends everything from the calling thread, waiting on back-pressure (never dropping, never re-sending). */
    void sendAll(Session s) throws Exception {
        for (int i = 0; i < total; i++) {
            while (i >= allowed) {
                Thread.sleep(1);
            }
            Priority p = Priority.values()[i % 4];
            Message m = Message.of(MessageType.INTENT, Header.builder().priority(p).build(),
                    (i + ":" + p).getBytes(StandardCharsets.US_ASCII));
            if (requestEvery > 0 && i % requestEvery == requestEvery - 1) {
                CompletableFuture<Message> f;
                while (true) {
                    f = s.request(m, Duration.ofSeconds(20)).toCompletableFuture();
                    if (!refusedForBackPressure(f)) {
                        break;
                    }
                    // the lanes were full: request() failed at once with BACK_PRESSURE and sent nothing; wait for
                    // room and ask again, as for a send
                    s.whenWritable().toCompletableFuture().get(60, TimeUnit.SECONDS);
                }
                synchronized (requests) {
                    requests.add(f);
                }
                f.whenComplete((r, e) -> {
                    if (e == null) {
                        replies.incrementAndGet();
                    } else {
                        Throwable c = e instanceof java.util.concurrent.CompletionException ? e.getCause() : e;
                        if (c instanceof IpcException && ((IpcException) c).code() == ErrorCode.REQUEST_TIMEOUT) {
                            deadlineErrors.incrementAndGet();
                        } else {
                            otherError.compareAndSet(null, c);
                        }
                    }
                });
            } else {
                while (true) {
                    SendResult r = s.send(m);
                    if (r == SendResult.OK) {
                        break;
                    }
                    if (r == SendResult.CLOSED) {
                        throw new AssertionError("session closed at message " + i);
                    }
                    s.whenWritable().toCompletableFuture().get(60, TimeUnit.SECONDS);
                }
            }
            sent.incrementAndGet();
        }
    }

    /**
     * True when {@code request()} refused the request at once because the session's lanes were full (the future is
     * already failed with {@code BACK_PRESSURE} on return; a peer's refusal would come back later, as a
     * notice). The message was not sent.
     */
    private static boolean refusedForBackPressure(CompletableFuture<Message> f) {
        if (!f.isCompletedExceptionally()) {
            return false;
        }
        try {
            f.getNow(null);
            return false;
        } catch (java.util.concurrent.CompletionException e) {
            return e.getCause() instanceof IpcException
                    && ((IpcException) e.getCause()).code() == ErrorCode.BACK_PRESSURE;
        } catch (java.util.concurrent.CancellationException e) {
            return false;
        }
    }

    /** Waits until every request completed (reply or error). */
    void awaitRequests(long timeoutMillis) throws Exception {
        List<CompletableFuture<Message>> all;
        synchronized (requests) {
            all = new ArrayList<>(requests);
        }
        CompletableFuture.allOf(all.stream().map(f -> f.handle((r, e) -> null)).toArray(CompletableFuture[]::new))
                .get(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    int total() {
        return total;
    }

    int requestsSent() {
        synchronized (requests) {
            return requests.size();
        }
    }

    int received() {
        return received.get();
    }

    long sent() {
        return sent.get();
    }

    int duplicates() {
        return duplicates.get();
    }

    int outOfOrder() {
        return outOfOrder.get();
    }

    int replies() {
        return replies.get();
    }

    int deadlineErrors() {
        return deadlineErrors.get();
    }

    Throwable otherError() {
        return otherError.get();
    }

    synchronized int missing() {
        return total - seen.cardinality();
    }

    /** Waits until {@code n} messages arrived or the time is up. */
    boolean awaitReceived(int n, long timeoutMillis) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (received.get() < n) {
            if (System.nanoTime() > end) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }

    /**
     * The longest gap between arrivals in {@code [from, to)} (nanoTime; the gap before the first arrival counts
     * from {@code from}): its length and where it starts and ends, in ms after {@code from}.
     */
    synchronized double[] longestGap(long from, long to) {
        long[] ts = java.util.Arrays.stream(arrivalNanos).filter(t -> t != 0).sorted().toArray();
        long prev = from;
        long gap = 0;
        long start = from;
        for (long t : ts) {
            if (t < from) {
                continue;
            }
            if (t >= to) {
                break;
            }
            if (t - prev > gap) {
                gap = t - prev;
                start = prev;
            }
            prev = t;
        }
        return new double[] {gap / 1e6, (start - from) / 1e6, (start + gap - from) / 1e6};
    }

    static String summary(List<Double> pausesMillis) {
        List<Double> s = new ArrayList<>(pausesMillis);
        s.sort(null);
        if (s.isEmpty()) {
            return "no swaps";
        }
        return String.format("p50=%.1f ms max=%.1f ms all=%s", s.get((s.size() - 1) / 2), s.get(s.size() - 1),
                pausesMillis.stream().map(d -> String.format("%.1f", d)).toList());
    }

}
