package org.eipc.runtime.impl;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import org.eipc.api.ErrorCode;
import org.eipc.api.Header;
import org.eipc.api.IpcException;
import org.eipc.api.Message;
import org.eipc.api.MessageType;
import org.eipc.api.MessageHandler;
import org.eipc.api.PeerIdentity;
import org.eipc.api.Priority;
import org.eipc.api.SendResult;
import org.eipc.api.Session;
import org.eipc.protocol.Frame;
import org.eipc.protocol.FrameEncoder;
import org.eipc.protocol.FrameFlags;
import org.eipc.protocol.ProtocolLimits;
import org.eipc.protocol.ProtocolMode;
import org.eipc.protocol.Timestamps;
import org.eipc.runtime.LaneMetrics;
import org.eipc.runtime.SessionMetrics;
import org.eipc.spi.runtime.GateVerdict;
import org.eipc.spi.runtime.MessageContext;
import org.eipc.spi.runtime.MessageTap;
import org.eipc.spi.runtime.RuntimeEvent;
import org.eipc.spi.security.FrameMac;
import org.eipc.spi.security.ReplayGuard;
import org.eipc.spi.security.ReplayVerdict;
import org.eipc.spi.transport.OfferResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A session: sequence numbers, the bounded buffer of sent-but-unacknowledged messages, the replay window, the
 * session keys and pending requests. It outlives its {@link Carrier}: in hardened mode a lost carrier is replaced
 * by a resume handshake, after which the sender retransmits what the peer did not receive, so every message
 * arrives exactly once and in order.
 *
 * <p>Locks: the send side is guarded by {@code this}, the receive side by {@link #recvLock}; a thread may take
 * {@code this} while holding {@code recvLock} (acks, handler replies), never the other way round.
 *
 * <p>Acknowledgements (hardened only) are control frames of type {@code 'k'} (0x6b) with payload
 * {@code {"ack":N,"credit":W}} (and {@code "bye":1} on close), MAC'd with the direction key and numbered in their
 * own sequence space, so retransmission never has to skip them.
 *
 * <p>Send path: {@code send} → one of four priority lanes (bounded) → sequenced at write time while the ring has
 * room and the peer's credit allows → ring of written, unacknowledged frames → carrier. Receive path: carrier →
 * order and replay checks → inbox (bounded by the credit granted) → delivery thread → handler.
 */
final class SessionImpl implements Session, FrameSink {
    static final byte CONTROL_TYPE = 'k';
    private static final Logger LOG = LoggerFactory.getLogger(SessionImpl.class);
    private static final int EXPIRED_REQUESTS_KEPT = 1024;
    /** The sequence stamped for a length bound: -1 is 2^64-1 unsigned, the longest number. */
    private static final long BOUND_SEQUENCE = -1L;
    /** As long as any timestamp {@link Timestamps#format} writes (RFC 3339 with nanoseconds, UTC). */
    private static final String LONGEST_TIMESTAMP = "9999-12-31T23:59:59.999999999Z";
    /** Set while handlers run on a transport's I/O thread ({@code deliverOnIoThread}), where call() must not block. */
    private static final ThreadLocal<Boolean> IO_THREAD_HANDLER = new ThreadLocal<>();
    /** Messages one delivery task hands out before it yields the thread to other sessions. */
    private static final int DELIVERY_TURN = 64;
    /**
     * Frames one flush offers at most (retransmissions and newly sequenced messages together) before it hands the
     * rest to a continuation on the timer thread. A flush can run on the transport's I/O thread (attach after a
     * resume, an acknowledgement, writability), which every connection of that transport shares: after a pause the
     * lanes may hold thousands of messages, and encoding them all there kept that thread (and with it the first of
     * them, and every other connection of the transport) busy for tens of milliseconds. A sender that is sending
     * drains a backlog itself, a batch per {@code send}; the continuation covers one that is not. The same size as a
     * delivery turn: the I/O thread is never held longer by one session's sending than by its receiving.
     */
    static final int FLUSH_BATCH = 64;

    private final String id;
    private final PeerIdentity peer;
    private final ProtocolMode mode;
    private final boolean hardened;
    private final String ownServiceId;
    private final EndpointSettings settings;
    private final RuntimeContext ctx;
    private final MessageHandler handler;
    private final SessionOwner owner;
    private final Supplier<FrameMac> recvMacs; // a fresh receive MAC for every carrier (FrameMac is not thread-safe)
    final byte[] resumeSecret; // hardened only
    private final MessageContext mctx;
    /** Server: the capability handles granted (name → handle); client: the handles to present. Null: none. */
    private volatile Map<String, String> capabilityHandles;
    /** Inbox bound and credit: the receive window, or the peer's queue-depth quota when smaller. */
    private final int window;
    private final Limits.Quota quota;
    private final Limits.Bucket messageBucket; // guarded by recvLock
    private final Limits.Bucket byteBucket; // guarded by recvLock

    /** A message waiting in a lane: when it was accepted and its channel's budget (0: none). */
    private static final class Queued {
        final Message message;
        final long at;
        final long budget;
        /** The frame length bound counted into queuedBytes when send() accepted it. */
        final int bound;

        Queued(Message message, long at, long budget, int bound) {
            this.message = message;
            this.at = at;
            this.budget = budget;
            this.bound = bound;
        }
    }

    /** A received message waiting for the handler, with its arrival time. */
    private static final class Inbound {
        final Message message;
        final long at;

        Inbound(Message message, long at) {
            this.message = message;
            this.at = at;
        }
    }

    // ---- send side, guarded by this ------------------------------------------------------------------------
    private final FrameEncoder encoder = new FrameEncoder();
    private final FrameMac sendMac;
    private long nextSeq;
    private long nextControlSeq = 1;
    private final long[] ringSeq;
    private final byte[][] ringBytes;
    private int head;
    private int count;
    private int written; // entries from head already offered to the current carrier
    private long bytes;
    private Carrier carrier;
    private CompletableFuture<Void> writable;
    private boolean ackOwed;
    private long ackValue;
    private boolean closing;
    private boolean sayingBye;
    /** The next acknowledgement asks the peer to move to another connection (guarded by this). */
    private boolean moveOwed;
    /** A resume handshake took the carrier away and has not attached the new one yet (guarded by this). */
    private boolean detachedForResume;
    /** Client side: the carrier a move detached without closing; attach() closes it (guarded by this). */
    private Carrier movedFrom;
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    /** Set when the session ends: messages it could not confirm as delivered. Guarded by this. */
    private int undeliveredUnacked;
    private int undeliveredQueued;
    @SuppressWarnings("unchecked")
    private final ArrayDeque<Queued>[] lanes = new ArrayDeque[] {new ArrayDeque<>(), new ArrayDeque<>(),
        new ArrayDeque<>(), new ArrayDeque<>()};
    private final long[] laneSent = new long[4];
    private final long[] laneSentBytes = new long[4];
    private final long[] laneMisses = new long[4];
    private final Histogram[] laneLatency = {new Histogram(), new Histogram(), new Histogram(), new Histogram()};
    private final long[] laneServedAt = new long[4];
    private long picks;
    private int highStreak;
    private int queued;
    private long queuedBytes;
    private boolean creditKnown;
    private long creditLimit; // highest sequence the peer lets us send (unsigned), when known
    /** Offers left to the running flush call (see FLUSH_BATCH). */
    private int flushBudget;
    /** Set by flushAll: the running flush has no batch limit (and so leaves no continuation). */
    private boolean flushUnbounded;
    /** A continuation of a flush cut at FLUSH_BATCH is scheduled. */
    private boolean flushContinues;
    private volatile boolean closed;
    private long carrierGeneration;

    // ---- receive side, guarded by recvLock ----------------------------------------------------------------
    private final Object recvLock = new Object();
    /**
     * Guards the send side: lanes, ring, sequence numbers, carrier, credit, close state ("caller holds this" in
     * the comments below means this lock). Taken by senders, which may hold it for a flush batch of encoding and
     * writing. A transport I/O thread never waits for it on the paths it takes for every few frames (an
     * acknowledgement or credit from the peer, our own acknowledgement, writability): it leaves that work in
     * {@link #deferred} and whoever holds the lock runs it before letting go (see {@link #unlockSend}). Waiting
     * there instead stopped the I/O thread, and with it every connection it serves and this session's receive
     * side, for as long as senders kept the lock (seen for tens of milliseconds at a time in HotSwapIT after a
     * resume with a backlog; {@code SendLockTest}).
     */
    private final ReentrantLock sendLock = new ReentrantLock();
    /** Send-side work left by threads that must not wait for {@link #sendLock}; run in order under it. */
    private final ConcurrentLinkedQueue<Supplier<CompletableFuture<Void>>> deferred = new ConcurrentLinkedQueue<>();
    private Carrier recvCarrier;
    private final ReplayGuard guard;
    private long lastDelivered;
    /** lastDelivered, readable without recvLock (the goodbye acknowledges everything received). */
    private volatile long receivedUpTo;
    private long lastControlSeq;
    private int sinceAck;
    private boolean ackTimerArmed;
    private final ArrayDeque<Inbound> inbox = new ArrayDeque<>();
    private long receivedMessages; // guarded by recvLock
    private long receivedBytes; // guarded by recvLock
    private final Histogram deliveryLatency = new Histogram();
    private final AtomicLong denied = new AtomicLong();
    private final AtomicLong quotaRejections = new AtomicLong();
    private final AtomicLong budgetMissesIn = new AtomicLong();
    private final AtomicLong resumes = new AtomicLong();
    private boolean everAttached; // guarded by recvLock
    private volatile boolean forwardSecret;
    private final java.util.concurrent.atomic.AtomicInteger inboxCount = new java.util.concurrent.atomic.AtomicInteger();
    private boolean draining;
    private boolean readsSuspended;
    private volatile long lastHeardNanos = System.nanoTime();
    private ScheduledFuture<?> keepalive; // guarded by this
    private long keepalivePeriod; // guarded by this
    private volatile long peerIdleMillis = -1;
    private volatile long advertisedLimit; // last ack + credit we sent; written under this, read under recvLock

    // ---- requests -------------------------------------------------------------------------------------------
    private final ConcurrentHashMap<String, ReplyFuture> pending = new ConcurrentHashMap<>();
    private final Map<String, Boolean> expired = new LinkedHashMap<>(16, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> e) {
            return size() > EXPIRED_REQUESTS_KEPT;
        }
    };
    private final AtomicLong requestCounter = new AtomicLong();
    private final AtomicLong lateReplies = new AtomicLong();
    private final AtomicLong rejectedFrames = new AtomicLong();

    SessionImpl(String id, PeerIdentity peer, ProtocolMode mode, String ownServiceId, EndpointSettings settings,
            RuntimeContext ctx, MessageHandler handler, SessionOwner owner, FrameMac sendMac,
            Supplier<FrameMac> recvMacs, byte[] resumeSecret, ReplayGuard guard, long firstSequence) {
        this.id = id;
        this.peer = peer;
        this.mode = mode;
        this.hardened = mode == ProtocolMode.STRICT;
        this.ownServiceId = ownServiceId;
        this.settings = settings;
        this.ctx = ctx;
        this.handler = handler;
        this.owner = owner;
        this.sendMac = sendMac;
        this.recvMacs = recvMacs;
        this.resumeSecret = resumeSecret;
        this.guard = guard;
        this.nextSeq = firstSequence;
        this.ringSeq = new long[settings.maxUnacked];
        this.ringBytes = new byte[settings.maxUnacked][];
        this.mctx = new MessageContext(owner.label(), id, peer, owner.serverSide());
        this.quota = Limits.quotaFor(settings.quotas, peer.serviceId());
        this.window = quota != null && quota.queueDepth > 0 ? Math.min(settings.receiveWindow, quota.queueDepth)
                : settings.receiveWindow;
        long now = System.nanoTime();
        this.messageBucket = quota == null ? null : new Limits.Bucket(quota.messagesPerSecond, now);
        this.byteBucket = quota == null ? null : new Limits.Bucket(quota.bytesPerSecond, now);
    }

    /** The session keys include an X25519 secret (set once by the full handshake). */
    void forwardSecret(boolean yes) {
        this.forwardSecret = yes;
    }

    boolean isForwardSecret() {
        return forwardSecret;
    }

    /** The endpoint, session and peer, as hooks see them. */
    MessageContext context() {
        return mctx;
    }

    /**
     * Server: the handles that prove each granted capability (see {@link CapabilityHandles}); client: the handles the
     * server issued, put in place of the capability name on every message sent.
     */
    void capabilityHandles(Map<String, String> handles) {
        this.capabilityHandles = Map.copyOf(handles);
    }

    /** Server: the handles issued for these capabilities, in their order. */
    List<String> issuedHandles(List<String> capabilities) {
        Map<String, String> h = capabilityHandles;
        List<String> out = new ArrayList<>();
        for (String c : capabilities) {
            out.add(h == null ? "" : h.get(c));
        }
        return out;
    }

    private void emit(RuntimeEvent.Kind kind, ErrorCode code, String requestId, String detail) {
        ctx.hooks.emit(RuntimeEvent.builder(kind).code(code).endpoint(mctx.endpoint()).sessionId(id).peer(peer)
                .requestId(requestId).detail(detail).build());
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public PeerIdentity peer() {
        return peer;
    }

    @Override
    public boolean isOpen() {
        return !closed;
    }

    ProtocolMode mode() {
        return mode;
    }

    /** Frames dropped by the replay check or as out of order (each also closed its carrier). */
    long rejectedFrames() {
        return rejectedFrames.get();
    }

    /** Replies that arrived after their request's deadline. */
    long lateReplies() {
        return lateReplies.get();
    }

    boolean isAttached() {
        sendLock.lock();
        try {
            return carrier != null;
        } finally {
            unlockSend();
        }
    }

    Carrier carrier() {
        sendLock.lock();
        try {
            return carrier;
        } finally {
            unlockSend();
        }
    }

    // ================================ send ===================================================================

    @Override
    public SendResult send(Message message) {
        CompletableFuture<Void> toComplete;
        sendLock.lock();
        try {
            if (closed || closing) {
                return SendResult.CLOSED;
            }
            if (!hardened && carrier == null) {
                return SendResult.CLOSED;
            }
            // upper bound of the frame: the stamped header with the longest sequence number
            int frameLength = encoder.encodedLength(stamp(message.header(), BOUND_SEQUENCE), message.payloadLength(),
                    true);
            if (frameLength > ProtocolLimits.MAX_FRAME) {
                throw new IpcException(ErrorCode.FRAME_TOO_LARGE,
                        "message of " + message.payloadLength() + " payload bytes does not fit one frame");
            }
            if (queued >= settings.maxQueued || (queued > 0 && queuedBytes + frameLength > settings.maxQueuedBytes)) {
                if (writable == null) {
                    writable = new CompletableFuture<>();
                }
                return SendResult.BACK_PRESSURE;
            }
            lanes[Priority.fromLevel(message.header().priority()).level()]
                    .add(new Queued(message, System.nanoTime(), Limits.budgetNanos(settings.budgets, message),
                            frameLength));
            queued++;
            queuedBytes += frameLength;
            toComplete = flush();
        } finally {
            unlockSend();
        }
        complete(toComplete);
        return SendResult.OK;
    }

    /**
     * The next message to sequence: the highest non-empty lane, except that after {@code starvationLimit}
     * consecutive picks while a lower lane waits, the lower lane that has waited longest goes first. Caller holds
     * this.
     */
    private Queued pickFromLanes() {
        int high = -1;
        for (int i = 0; i < lanes.length; i++) {
            if (!lanes[i].isEmpty()) {
                high = i;
                break;
            }
        }
        int lane = high;
        boolean lowerWaiting = false;
        for (int i = high + 1; i < lanes.length; i++) {
            if (!lanes[i].isEmpty()) {
                lowerWaiting = true;
                if (highStreak >= settings.starvationLimit
                        && (lane == high || laneServedAt[i] < laneServedAt[lane])) {
                    lane = i;
                }
            }
        }
        highStreak = lane == high && lowerWaiting ? highStreak + 1 : 0;
        laneServedAt[lane] = ++picks;
        return lanes[lane].poll();
    }

    /**
     * Stamps a header for the wire. With {@link #BOUND_SEQUENCE} it stamps the longest sequence and timestamp the
     * wire can carry instead, for the frame length bound {@code send} counts: no clock read or formatting for it.
     */
    private Header stamp(Header h, long seq) {
        String ts = seq == BOUND_SEQUENCE ? LONGEST_TIMESTAMP : Timestamps.format(Instant.now());
        Header.Builder b = h.toBuilder().sequence(seq).timestamp(ts).sessionId(id);
        if (h.serviceId().isEmpty()) {
            b.serviceId(ownServiceId);
        }
        Map<String, String> handles = capabilityHandles;
        if (handles != null && !mctx.server() && !h.capability().isEmpty()) {
            String handle = handles.get(h.capability());
            if (handle != null) {
                b.capability(handle); // present the server's unforgeable handle in place of the name
            }
        }
        return b.build();
    }

    @Override
    public CompletionStage<Void> whenWritable() {
        sendLock.lock();
        try {
            if (closed || writable == null) {
                return CompletableFuture.completedFuture(null);
            }
            return writable;
        } finally {
            unlockSend();
        }
    }

    @Override
    public CompletionStage<Message> request(Message message, Duration timeout) {
        return newRequest(message, timeout, false);
    }

    @Override
    public Message call(Message message, Duration timeout) {
        if (IO_THREAD_HANDLER.get() != null) {
            throw new IpcException(ErrorCode.ILLEGAL_STATE, "call() from a handler on the transport's I/O thread"
                    + " (deliverOnIoThread) would block the thread that has to read the reply; use request()");
        }
        ReplyFuture f = newRequest(message, timeout, true);
        try {
            return f.get(); // never handed out: the reply completes it on the I/O thread (see waitingRequester)
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof IpcException ? (IpcException) e.getCause()
                    : new IpcException(ErrorCode.INTERNAL, "request failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IpcException(ErrorCode.ILLEGAL_STATE, "interrupted while waiting for the reply", e);
        }
    }

    /** Sends a request; {@code call}: for {@link #call}, whose caller blocks on the future and never exposes it. */
    private ReplyFuture newRequest(Message message, Duration timeout, boolean call) {
        String rid = message.header().requestId();
        if (rid.isEmpty()) {
            // each side numbers its own requests, so the two sides' ids must differ: a peer's request carrying an id
            // of one of ours would otherwise be taken for the reply to ours
            rid = (mctx.server() ? "host-req-" : "req-") + requestCounter.incrementAndGet();
        }
        ReplyFuture f = new ReplyFuture(call);
        if (pending.putIfAbsent(rid, f) != null) {
            f.completeExceptionally(new IpcException(ErrorCode.ILLEGAL_STATE, "request id '" + rid + "' in use"));
            return f;
        }
        final String requestId = rid;
        SendResult r;
        try {
            r = send(message.withHeader(message.header().toBuilder().requestId(rid).build()));
        } catch (IpcException e) {
            pending.remove(rid);
            f.completeExceptionally(e);
            return f;
        }
        if (r != SendResult.OK) {
            pending.remove(rid);
            f.completeExceptionally(r == SendResult.CLOSED
                    ? new IpcException(ErrorCode.CONNECTION_CLOSED, "session is closed")
                    : new IpcException(ErrorCode.BACK_PRESSURE, "send queue full, nothing sent; retry after whenWritable()"));
            return f;
        }
        f.deadline(ctx.timer.schedule(() -> {
            if (pending.remove(requestId, f)) {
                synchronized (expired) {
                    expired.put(requestId, Boolean.TRUE);
                }
                // the timer thread runs no application code: what is attached runs on the delivery pool
                f.settle(null, new IpcException(ErrorCode.REQUEST_TIMEOUT,
                        "no reply to '" + requestId + "' within " + timeout.toMillis() + " ms"), ctx.delivery);
            }
        }, Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS));
        return f;
    }

    @Override
    public SendResult reply(Message request, Message reply) {
        return send(reply.withHeader(reply.header().toBuilder().requestId(request.header().requestId()).build()));
    }

    /**
     * Offers the ring's unwritten entries to the carrier, then sequences queued messages (by priority) into the ring
     * while it has room and the carrier takes them. Sequence numbers are assigned here, at write time, so priority
     * decides the wire order. Caller holds this.
     *
     * @return a writable future to complete outside the lock
     */
    private CompletableFuture<Void> flush() {
        Carrier c = carrier;
        if (c == null) {
            return releaseWritable();
        }
        flushBudget = flushUnbounded ? Integer.MAX_VALUE : FLUSH_BATCH;
        if (!offerRing(c)) {
            return finishFlush(c);
        }
        while (queued > 0 && flushBudget > 0 && count < ringSeq.length && bytes < settings.maxUnackedBytes
                && (!creditKnown || Long.compareUnsigned(nextSeq, creditLimit) <= 0)) {
            Queued q = pickFromLanes();
            Message m = q.message;
            int lane = Priority.fromLevel(m.header().priority()).level();
            long now = System.nanoTime();
            if (q.budget > 0 && now - q.at > q.budget) {
                queued--;
                queuedBytes -= q.bound;
                laneMisses[lane]++;
                missedBudget(m, now - q.at, q.budget);
                continue;
            }
            Header h = stamp(m.header(), nextSeq);
            ByteBuffer payload = m.payload();
            int total = encoder.encodedLength(h, payload.remaining(), true) + ProtocolLimits.PREFIX;
            ByteBuffer out = ByteBuffer.allocate(total);
            encoder.encodeWithPrefix(m.typeByte(), FrameFlags.HMAC, h, payload, sendMac, out);
            queued--;
            queuedBytes -= q.bound;
            laneSent[lane]++;
            laneSentBytes[lane] += total;
            laneLatency[lane].record(now - q.at);
            if (ctx.hooks.tapping()) {
                ctx.hooks.tap(MessageTap.Direction.OUTBOUND, mctx, m.withHeader(h), now);
            }
            int slot = (head + count) % ringSeq.length;
            ringSeq[slot] = nextSeq;
            ringBytes[slot] = out.array();
            count++;
            bytes += total;
            nextSeq++;
            if (!offerRing(c)) {
                break;
            }
        }
        return finishFlush(c);
    }

    /**
     * A queued message outlived its channel's budget before it could be sent: it is reported, not sent. A request
     * fails with {@code DEADLINE_EXCEEDED}; every miss is counted and raised as an event. Caller holds this.
     */
    private void missedBudget(Message m, long waited, long budget) {
        String rid = m.header().requestId();
        String why = "channel '" + Limits.channel(m) + "': waited " + waited / 1_000_000 + " ms to be sent, budget "
                + budget / 1_000_000 + " ms";
        if (!rid.isEmpty()) {
            ReplyFuture f = pending.remove(rid);
            if (f != null) {
                IpcException e = new IpcException(ErrorCode.DEADLINE_EXCEEDED, why);
                ctx.timer.execute(() -> f.settle(null, e, ctx.delivery));
            }
        }
        emit(RuntimeEvent.Kind.DEADLINE_EXCEEDED, ErrorCode.DEADLINE_EXCEEDED, rid, why);
    }

    private CompletableFuture<Void> finishFlush(Carrier c) {
        if (ackOwed) {
            flushAck(c);
        }
        if (flushCut()) {
            continueFlushLater();
        }
        return releaseWritable();
    }

    /** The last flush stopped at FLUSH_BATCH with frames still to offer. Caller holds this. */
    private boolean flushCut() {
        return flushBudget <= 0 && carrier != null && (written < count || queued > 0);
    }

    /**
     * Flushes until the carrier, the ring or the credit stops it, in one call: no batch limit, so no continuation
     * is left behind to find nothing to do. Caller holds this.
     */
    private CompletableFuture<Void> flushAll() {
        flushUnbounded = true;
        try {
            return flush();
        } finally {
            flushUnbounded = false;
        }
    }

    /** Schedules one more flush batch on the timer thread (at most one pending). Caller holds this. */
    private void continueFlushLater() {
        if (flushContinues) {
            return;
        }
        flushContinues = true;
        try {
            ctx.timer.execute(this::continueFlush);
        } catch (java.util.concurrent.RejectedExecutionException stopped) {
            flushContinues = false; // the runtime is closing: nothing will be sent any more
        }
    }

    private void continueFlush() {
        CompletableFuture<Void> w;
        sendLock.lock();
        try {
            flushContinues = false;
            if (closed) {
                return;
            }
            w = flush();
        } finally {
            unlockSend();
        }
        complete(w);
    }

    /** Offers unwritten ring entries, within the flush budget; true when all were taken. Caller holds this. */
    private boolean offerRing(Carrier c) {
        while (written < count) {
            if (flushBudget <= 0) {
                return false; // the rest goes in the next batch
            }
            flushBudget--;
            int slot = (head + written) % ringSeq.length;
            OfferResult r = c.offer(ByteBuffer.wrap(ringBytes[slot]));
            if (r != OfferResult.ACCEPTED) {
                if (r == OfferResult.CLOSED) {
                    carrierDead(c); // its close may have been reported before it was ours: do not wait for it
                }
                return false;
            }
            if (hardened) {
                written++;
            } else {
                pop(); // the reference has no acknowledgements: a written message is done
            }
        }
        return true;
    }

    /** The peer accepts sequences up to {@code ack + credit}. Caller holds this. */
    private void grant(long ack, long credit) {
        creditKnown = true;
        creditLimit = ack + Math.max(0, credit);
    }

    /** Messages on the wire and not yet acknowledged (hardened), or written but not yet taken (compat). */
    int inFlight() {
        sendLock.lock();
        try {
            return count;
        } finally {
            unlockSend();
        }
    }

    /**
     * Once closed: how many messages the session could not confirm as delivered, sent but unacknowledged (strict)
     * or written to no transport (compat) plus those still in the lanes; 0 while open.
     */
    int undelivered() {
        sendLock.lock();
        try {
            return undeliveredUnacked + undeliveredQueued;
        } finally {
            unlockSend();
        }
    }

    /** Messages accepted by send() and waiting in the priority lanes. */
    int queued() {
        sendLock.lock();
        try {
            return queued;
        } finally {
            unlockSend();
        }
    }

    private void pop() {
        int len = ringBytes[head].length;
        ringBytes[head] = null;
        head = (head + 1) % ringSeq.length;
        count--;
        bytes -= len;
    }

    private CompletableFuture<Void> releaseWritable() {
        if (writable != null && queued < settings.maxQueued && queuedBytes < settings.maxQueuedBytes) {
            CompletableFuture<Void> w = writable;
            writable = null;
            return w;
        }
        return null;
    }

    private static void complete(CompletableFuture<Void> f) {
        if (f != null) {
            f.complete(null);
        }
    }

    /**
     * Releases {@link #sendLock}; the outermost release first runs the {@link #deferred} work, and takes the lock
     * back for work that arrived while it let go (a thread that deferred work after this looked tries the lock
     * itself, so the work never waits for a later sender). A writable future released by deferred work is
     * completed after the lock is let go.
     */
    private void unlockSend() {
        if (sendLock.getHoldCount() > 1) {
            sendLock.unlock();
            return;
        }
        CompletableFuture<Void> w = null;
        while (true) {
            try {
                w = runDeferred(w);
            } finally {
                sendLock.unlock();
            }
            if (deferred.isEmpty() || !sendLock.tryLock()) {
                break;
            }
        }
        complete(w); // outside the lock, as every caller completes what its own flush released
    }

    /** Runs the deferred work in order; returns a writable future it released (or {@code w}). Caller holds this. */
    private CompletableFuture<Void> runDeferred(CompletableFuture<Void> w) {
        Supplier<CompletableFuture<Void>> task;
        while ((task = deferred.poll()) != null) {
            try {
                CompletableFuture<Void> released = task.get();
                w = w != null ? w : released;
            } catch (RuntimeException e) {
                LOG.warn("session {}: deferred send work failed", id, e);
            }
        }
        return w;
    }

    /**
     * Runs {@code task} under {@link #sendLock} now if the lock is free, else leaves it to the holder (see
     * {@link #unlockSend}); never waits. Tasks run in the order they were given.
     */
    private void runOrDefer(Supplier<CompletableFuture<Void>> task) {
        deferred.add(task);
        if (sendLock.tryLock()) {
            unlockSend();
        }
    }

    /** Drops entries the peer has received (cumulative). Caller holds this. */
    private void acknowledged(long upTo) {
        while (count > 0 && Long.compareUnsigned(ringSeq[head], upTo) <= 0) {
            pop();
            if (written > 0) {
                written--;
            }
        }
    }

    private void flushAck(Carrier c) {
        Header h = Header.builder().serviceId(ownServiceId).sessionId(id).sequence(nextControlSeq)
                .timestamp(Timestamps.format(Instant.now())).build();
        long credit = availableCredit();
        FlatJson.Writer w = new FlatJson.Writer().num("ack", ackValue).num("credit", credit);
        if (sayingBye) { // only the last ack: acks sent while draining must not end the peer's session early
            w.num("bye", 1);
        }
        if (moveOwed) {
            w.num("move", 1);
        }
        byte[] payload = w.bytes();
        int total = encoder.encodedLength(h, payload.length, true) + ProtocolLimits.PREFIX;
        ByteBuffer out = ByteBuffer.allocate(total);
        encoder.encodeWithPrefix(CONTROL_TYPE, FrameFlags.HMAC, h, ByteBuffer.wrap(payload), sendMac, out);
        out.flip();
        OfferResult r = c.offer(out);
        if (r == OfferResult.ACCEPTED) {
            nextControlSeq++;
            ackOwed = false;
            moveOwed = false;
            advertisedLimit = ackValue + credit;
        } else if (r == OfferResult.CLOSED) {
            carrierDead(c);
        }
    }

    /** Acknowledges up to {@code upTo} now, or as soon as a sender lets go of the send lock; never waits. */
    private void sendAck(long upTo) {
        runOrDefer(() -> {
            ackValue = upTo;
            ackOwed = true;
            if (carrier != null) {
                flushAck(carrier);
            }
            return null;
        });
    }

    // ================================ receive ================================================================

    @Override
    public void onFrame(Carrier from, Frame frame) {
        try {
            receive(from, frame);
        } catch (IpcException e) {
            emit(RuntimeEvent.Kind.FRAME_REJECTED, e.code(), frame.header().requestId(), e.getMessage());
            throw e;
        }
    }

    @Override
    public void onDecodeFailure(Carrier c, IpcException cause) {
        emit(RuntimeEvent.Kind.FRAME_REJECTED, cause.code(), "", cause.getMessage());
    }

    private void receive(Carrier from, Frame frame) {
        boolean deliverHere;
        ReplyFuture waiter = null;
        Message reply = null;
        synchronized (recvLock) {
            deliverHere = false;
            if (from != recvCarrier) {
                return; // a carrier this session already replaced
            }
            lastHeardNanos = System.nanoTime();
            long seq = frame.header().sequence();
            if (hardened && frame.typeByte() == CONTROL_TYPE) {
                if (Long.compareUnsigned(seq, lastControlSeq) <= 0) {
                    rejectedFrames.incrementAndGet();
                    throw new IpcException(ErrorCode.REPLAY_DUPLICATE, "control frame " + Long.toUnsignedString(seq)
                            + " not after " + Long.toUnsignedString(lastControlSeq));
                }
                lastControlSeq = seq;
                onControl(FlatJson.parse(frame.payload()));
                return;
            }
            if (hardened && seq != lastDelivered + 1) {
                rejectedFrames.incrementAndGet();
                ReplayVerdict v = Long.compareUnsigned(seq, lastDelivered) <= 0 ? ReplayVerdict.DUPLICATE : null;
                throw v != null
                        ? new IpcException(ErrorCode.REPLAY_DUPLICATE, "sequence " + Long.toUnsignedString(seq)
                                + " already delivered")
                        : new IpcException(ErrorCode.PROTOCOL_VIOLATION, "sequence " + Long.toUnsignedString(seq)
                                + " after " + Long.toUnsignedString(lastDelivered) + " (gap)");
            }
            ReplayVerdict v = guard.check(seq);
            if (v != ReplayVerdict.ACCEPT) {
                rejectedFrames.incrementAndGet();
                throw new IpcException(v == ReplayVerdict.ZERO ? ErrorCode.SEQUENCE_INVALID
                        : v == ReplayVerdict.DUPLICATE ? ErrorCode.REPLAY_DUPLICATE : ErrorCode.REPLAY_OUTSIDE_WINDOW,
                        "replay detected: sequence " + Long.toUnsignedString(seq));
            }
            lastDelivered = seq;
            receivedUpTo = seq;
            ByteBuffer p = frame.payload();
            byte[] copy = new byte[p.remaining()];
            p.get(copy);
            receivedMessages++;
            receivedBytes += copy.length;
            Message m = admit(Message.ofWire(frame.typeByte(), frame.header(), ByteBuffer.wrap(copy)));
            if (m != null && (waiter = waitingRequester(m)) == null) {
                deliverHere = enqueue(m);
            } else if (m != null) {
                reply = m;
            }
            if (hardened) {
                sinceAck++;
                if (sinceAck >= settings.ackEvery) {
                    sinceAck = 0;
                    sendAck(lastDelivered);
                } else if (!ackTimerArmed) {
                    ackTimerArmed = true;
                    ctx.timer.schedule(this::delayedAck, settings.ackDelay.toMillis(), TimeUnit.MILLISECONDS);
                }
            }
        }
        if (deliverHere) {
            drainOnIoThread(); // deliverOnIoThread: the handler runs here, outside the receive lock
        } else if (waiter != null) {
            completeWaiter(waiter, reply);
        }
    }

    /**
     * The pending request {@code m} answers when its caller can be woken right here, on the I/O thread, without a
     * hand-off to the delivery pool: a {@link #call} always (its caller may be a handler of this session, which the
     * reply must not wait behind); a {@link #request} future when only threads blocked on it wait for it (nothing
     * attached, see {@link ReplyFuture}) and no earlier message of this session is still waiting for or in its
     * handler (so the reply does not overtake one). Null otherwise: the reply goes through the inbox like any
     * message. Caller holds recvLock.
     */
    private ReplyFuture waitingRequester(Message m) {
        String rid = m.header().requestId();
        if (rid.isEmpty()) {
            return null;
        }
        ReplyFuture f = pending.get(rid);
        if (f == null || !f.onlyWaited() || (!f.blockingCall() && (draining || !inbox.isEmpty()))) {
            return null;
        }
        return f;
    }

    /** Completes {@code f} with {@code reply} here if nothing got attached meanwhile; else queues the reply. */
    private void completeWaiter(ReplyFuture f, Message reply) {
        long now = System.nanoTime();
        String rid = reply.header().requestId();
        if (pending.remove(rid, f)) {
            if (f.completeIfOnlyWaited(reply, notice(reply))) {
                deliveryLatency.record(0); // it waited for no handler
                if (ctx.hooks.tapping()) {
                    ctx.hooks.tap(MessageTap.Direction.INBOUND, mctx, reply, now);
                }
                return;
            }
            pending.putIfAbsent(rid, f); // something was attached in between: the usual path, in order
        }
        boolean deliverHere;
        synchronized (recvLock) {
            deliverHere = enqueue(reply);
        }
        if (deliverHere) {
            drainOnIoThread();
        }
    }

    /** {@link #drain()} on the transport's I/O thread ({@code deliverOnIoThread}), where call() must not block. */
    private void drainOnIoThread() {
        IO_THREAD_HANDLER.set(Boolean.TRUE);
        try {
            drain();
        } finally {
            IO_THREAD_HANDLER.remove();
        }
    }

    /**
     * Hands a received message to the delivery thread (by default handlers never run on the transport's I/O thread).
     * The inbox is bounded by the credit this side grants; if a peer overruns it (a compat peer knows no credit),
     * reads are suspended until the handlers catch up. Caller holds recvLock.
     *
     * @return true when the caller is to run {@link #drain()} itself, after releasing recvLock ({@code
     *         deliverOnIoThread}: no thread hand-off; a turn of at most {@code DELIVERY_TURN} messages, the rest on the
     *         delivery pool)
     */
    private boolean enqueue(Message m) {
        inbox.add(new Inbound(m, System.nanoTime()));
        inboxCount.incrementAndGet();
        boolean deliverHere = false;
        if (!draining) {
            draining = true;
            if (settings.deliverOnIoThread) {
                deliverHere = true;
            } else {
                ctx.delivery.execute(this::drain);
            }
        }
        if (inboxCount.get() >= window && !readsSuspended && recvCarrier != null) {
            readsSuspended = true;
            recvCarrier.connection().suspendReads();
        }
        return deliverHere;
    }

    /**
     * Checks a received message before it is queued for the handler (I/O thread, caller holds recvLock): the
     * capability it presents (server side) and the peer's quotas. A refused message is answered with an error
     * notice and counted; the sequence still counts as received, so nothing is retransmitted.
     *
     * @return the message to queue (capability shown by name), or null when refused
     */
    private Message admit(Message m) {
        String cap = m.header().capability();
        if (!cap.isEmpty() && mctx.server()) {
            if (hardened) {
                int hash = cap.lastIndexOf('#');
                String name = hash < 0 ? cap : cap.substring(0, hash);
                Map<String, String> granted = capabilityHandles;
                String expected = granted == null ? null : granted.get(name);
                if (hash < 0) {
                    return refuse(m, ErrorCode.CAPABILITY_DENIED, "capability \"" + CapabilityHandles.shown(name)
                            + "\" is not presented as a handle of this session");
                }
                if (expected == null || !CapabilityHandles.same(expected, cap)) {
                    return refuse(m, ErrorCode.CAPABILITY_DENIED, "capability handle for \""
                            + CapabilityHandles.shown(name) + "\" is forged, not granted or another session's");
                }
                m = m.withHeader(m.header().toBuilder().capability(name).build());
            } else if (!peer.capabilities().contains(cap)) {
                return refuse(m, ErrorCode.CAPABILITY_DENIED, "eipc: capability check failed: peer lacks capability \""
                        + CapabilityHandles.shown(cap) + "\"");
            }
        }
        if (quota != null) {
            long now = System.nanoTime();
            if (!messageBucket.take(1, now)) {
                return refuse(m, ErrorCode.QUOTA_EXCEEDED, "more than " + quota.messagesPerSecond
                        + " messages per second from " + peer.serviceId());
            }
            if (!byteBucket.take(m.payloadLength(), now)) {
                return refuse(m, ErrorCode.QUOTA_EXCEEDED, "more than " + quota.bytesPerSecond
                        + " bytes per second from " + peer.serviceId());
            }
            if (quota.queueDepth > 0 && inboxCount.get() >= quota.queueDepth) {
                return refuse(m, ErrorCode.QUOTA_EXCEEDED, "more than " + quota.queueDepth
                        + " messages from " + peer.serviceId() + " waiting for the handler");
            }
        }
        return m;
    }

    /**
     * Does not deliver {@code m}: counts it, raises an event and tells the sender with an error notice (type
     * {@code a}, {@code {"request_id","status":"error","error","code"}}, the request id of {@code m}), unless
     * {@code m} is itself such a notice.
     *
     * @return null
     */
    private Message refuse(Message m, ErrorCode code, String reason) {
        RuntimeEvent.Kind kind;
        if (code == ErrorCode.QUOTA_EXCEEDED) {
            quotaRejections.incrementAndGet();
            kind = RuntimeEvent.Kind.QUOTA_EXCEEDED;
        } else if (code == ErrorCode.DEADLINE_EXCEEDED) {
            budgetMissesIn.incrementAndGet();
            kind = RuntimeEvent.Kind.DEADLINE_EXCEEDED;
        } else {
            denied.incrementAndGet();
            kind = RuntimeEvent.Kind.MESSAGE_DENIED;
        }
        String rid = m.header().requestId();
        emit(kind, code, rid, reason);
        if (m.type() != MessageType.ACK) {
            byte[] payload = new FlatJson.Writer().str("request_id", rid).str("status", "error").str("error", reason)
                    .str("code", code.name()).num("sequence", m.header().sequence()).bytes();
            Header h = Header.builder().requestId(rid).route(m.header().route()).priority(0).build();
            SendResult r = send(Message.of(MessageType.ACK, h, payload));
            if (r != SendResult.OK) {
                LOG.debug("session {}: error notice for '{}' not sent ({})", id, rid, r);
            }
        }
        return null;
    }

    /** A reply that is one of our runtime's error notices: the failure it reports, else null. */
    private static IpcException notice(Message m) {
        if (m.type() != MessageType.ACK) {
            return null;
        }
        try {
            Map<String, Object> p = FlatJson.parse(m.payload());
            String code = FlatJson.optString(p, "code");
            if (!"error".equals(p.get("status")) || code == null) {
                return null;
            }
            String error = FlatJson.optString(p, "error");
            return new IpcException(ErrorCode.valueOf(code), "refused by the peer: " + (error == null ? code : error));
        } catch (IpcException | IllegalArgumentException notOurs) {
            return null; // an application's own acknowledgement
        }
    }

    /** Delivery thread: runs the handlers for queued messages, in order, one session at a time. */
    private void drain() {
        int sinceCredit = 0;
        for (int turn = 0;; turn++) {
            Inbound m;
            synchronized (recvLock) {
                if (turn == DELIVERY_TURN && !inbox.isEmpty()) {
                    ctx.delivery.execute(this::drain); // let other sessions' handlers run; still draining
                    return;
                }
                m = inbox.poll();
                if (m == null) {
                    draining = false;
                    return;
                }
            }
            deliver(m);
            int left = inboxCount.decrementAndGet();
            boolean resume;
            long upTo = -1;
            synchronized (recvLock) {
                resume = readsSuspended && left <= window / 2 && recvCarrier != null;
                if (resume) {
                    readsSuspended = false;
                    recvCarrier.connection().resumeReads();
                }
                sinceCredit++;
                // the sender may be waiting for credit: re-advertise once a quarter of the window is free again
                if (hardened && (left == 0 || sinceCredit >= Math.max(1, window / 4))) {
                    sinceCredit = 0;
                    if (Long.compareUnsigned(advertisedLimit - lastDelivered, window / 2) < 0) {
                        upTo = lastDelivered;
                    }
                }
            }
            if (upTo != -1) {
                sendAck(upTo);
            }
        }
    }

    /** Credit this side can grant now: free inbox places. */
    long availableCredit() {
        return Math.max(0, window - inboxCount.get());
    }

    /** Messages sequenced so far in this direction (hardened: the highest sequence written). */
    long sequenced() {
        sendLock.lock();
        try {
            return nextSeq - 1;
        } finally {
            unlockSend();
        }
    }

    private void delayedAck() {
        long upTo;
        synchronized (recvLock) {
            ackTimerArmed = false;
            if (sinceAck == 0 || closed) {
                return;
            }
            sinceAck = 0;
            upTo = lastDelivered;
        }
        sendAck(upTo);
    }

    /**
     * Server side, strict: asks the peer to move the session off {@code c} (its transport is leaving) while
     * {@code c} still carries traffic. Returns false when the session is not on {@code c} or cannot be asked.
     */
    boolean askToMove(Carrier c) {
        if (!hardened) {
            return false;
        }
        long upTo;
        synchronized (recvLock) {
            upTo = lastDelivered;
        }
        sendLock.lock();
        try {
            if (closed || carrier != c) {
                return false;
            }
            moveOwed = true;
            ackValue = upTo;
            ackOwed = true;
            flushAck(c);
            return true;
        } finally {
            unlockSend();
        }
    }

    /**
     * True while the session is still on {@code c}, or between a resume handshake taking it off {@code c} and
     * attaching the new carrier: what a server draining a leaving transport waits for.
     */
    boolean stillMovingOff(Carrier c) {
        sendLock.lock();
        try {
            return !closed && (carrier == c || (carrier == null && detachedForResume));
        } finally {
            unlockSend();
        }
    }

    private void onControl(Map<String, Object> m) {
        boolean bye = m.containsKey("bye");
        boolean move = m.containsKey("move");
        boolean hasAck = m.containsKey("ack");
        boolean hasCredit = hasAck && m.containsKey("credit");
        long ack = hasAck ? FlatJson.number(m, "ack") : 0;
        long credit = hasCredit ? FlatJson.number(m, "credit") : 0;
        Supplier<CompletableFuture<Void>> apply = () -> {
            if (hasAck) {
                acknowledged(ack);
                if (hasCredit) {
                    grant(ack, credit);
                }
            }
            CompletableFuture<Void> w = flush(); // the ring has room again: sequence what waits in the lanes
            if (closing && count == 0 && queued == 0) {
                finishClose(null);
            }
            return w;
        };
        if (!bye && !move) {
            runOrDefer(apply); // the usual acknowledgement: never wait for a sender's batch on the I/O thread
            return;
        }
        CompletableFuture<Void> w;
        sendLock.lock();
        try {
            w = apply.get();
        } finally {
            unlockSend();
        }
        complete(w);
        if (bye) {
            terminate(null);
        } else if (move) {
            owner.moveRequested(this);
        }
    }

    private void deliver(Inbound in) {
        Message m = in.message;
        long now = System.nanoTime();
        long budget = Limits.budgetNanos(settings.budgets, m);
        if (budget > 0 && now - in.at > budget) {
            refuse(m, ErrorCode.DEADLINE_EXCEEDED, "channel '" + Limits.channel(m) + "': waited "
                    + (now - in.at) / 1_000_000 + " ms for the handler, budget " + budget / 1_000_000 + " ms");
            return;
        }
        deliveryLatency.record(now - in.at);
        // a reply to this side's own request goes to its requester; gates govern what reaches the handlers
        String rid = m.header().requestId();
        if (!rid.isEmpty()) {
            ReplyFuture f = pending.remove(rid);
            if (f != null) {
                if (ctx.hooks.tapping()) {
                    ctx.hooks.tap(MessageTap.Direction.INBOUND, mctx, m, now);
                }
                f.settle(m, notice(m), null); // the delivery thread: what is attached may run here
                return;
            }
            boolean late;
            synchronized (expired) {
                late = expired.remove(rid) != null;
            }
            if (late) {
                lateReplies.incrementAndGet();
                ctx.hooks.lateReplies.increment();
                return;
            }
        }
        GateVerdict v = ctx.hooks.check(mctx, m);
        if (!v.allowed()) {
            refuse(m, v.code(), v.reason());
            return;
        }
        if (ctx.hooks.tapping()) {
            ctx.hooks.tap(MessageTap.Direction.INBOUND, mctx, m, now);
        }
        try {
            handler.onMessage(this, m);
        } catch (RuntimeException e) {
            LOG.warn("message handler of session {} failed", id, e);
        }
    }

    @Override
    public void onWritable(Carrier c) {
        runOrDefer(() -> c == carrier ? flush() : null); // on the I/O thread: never wait for a sender's batch
    }

    @Override
    public void onClosed(Carrier c, IpcException cause) {
        boolean lost;
        synchronized (recvLock) {
            if (recvCarrier == c) {
                recvCarrier = null;
            }
            sendLock.lock();
            try {
                lost = carrier == c;
                if (lost) {
                    carrier = null;
                    carrierGeneration++;
                }
            } finally {
                unlockSend();
            }
        }
        if (!lost || closed) {
            return;
        }
        if (!hardened) {
            terminate(cause);
            return;
        }
        LOG.debug("session {} lost its carrier ({}); waiting for resume", id, cause == null ? "closed" : cause.code());
        long gen;
        sendLock.lock();
        try {
            gen = carrierGeneration;
        } finally {
            unlockSend();
        }
        try {
            ctx.timer.schedule(() -> resumeDeadline(gen), settings.resumeTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException stopped) {
            terminate(new IpcException(ErrorCode.CONNECTION_CLOSED, "runtime closed")); // no one left to resume it
            return;
        }
        owner.carrierLost(this, cause);
    }

    private void resumeDeadline(long gen) {
        sendLock.lock();
        try {
            if (carrier != null || gen != carrierGeneration) {
                return;
            }
        } finally {
            unlockSend();
        }
        terminate(new IpcException(ErrorCode.CONNECTION_CLOSED, "session " + id + " was not resumed in time"));
    }

    // ================================ carriers ===============================================================

    /** The highest sequence delivered so far; the value the peer retransmits after. */
    long lastDelivered() {
        synchronized (recvLock) {
            return lastDelivered;
        }
    }

    /**
     * Takes the current carrier away (a resume is replacing it) and returns the highest sequence delivered, which
     * no frame of the old carrier can change any more.
     */
    long detachForResume() {
        return detach(true);
    }

    private long detach(boolean closeOld) {
        Carrier old;
        long last;
        synchronized (recvLock) {
            old = recvCarrier;
            recvCarrier = null;
            sendLock.lock();
            try {
                if (carrier != null) {
                    old = carrier;
                }
                carrier = null;
                carrierGeneration++;
                detachedForResume = true;
                if (!closeOld) {
                    movedFrom = old;
                }
            } finally {
                unlockSend();
            }
            last = lastDelivered;
        }
        if (old != null && closeOld) {
            old.close(new IpcException(ErrorCode.CONNECTION_CLOSED, "replaced by a resumed connection"));
        }
        return last;
    }

    /**
     * Client side of a resume, when the handshake reports what it received: a session still attached (it is moving
     * because the server asked) stops taking frames from its old carrier now, so the value reported is final and the
     * server's retransmission starts right after it. The session is then detached like after a loss (with the
     * resume deadline armed) until the handshake attaches the new carrier.
     */
    long detachForMove() {
        if (!isAttached()) {
            return lastDelivered();
        }
        // the old connection stays open: the server closes it when it takes the session off it; closing it here could
        // reach the server first and look like a loss to it. attach() closes it once the new carrier is in place.
        long last = detach(false);
        long gen;
        sendLock.lock();
        try {
            gen = carrierGeneration;
        } finally {
            unlockSend();
        }
        ctx.timer.schedule(() -> resumeDeadline(gen), settings.resumeTimeout.toMillis(), TimeUnit.MILLISECONDS);
        return last;
    }

    /**
     * Makes {@code c} the session's carrier: frames from it are delivered, unacknowledged messages after
     * {@code peerLastReceived} are retransmitted on it in order. Call on {@code c}'s I/O thread.
     */
    void attach(Carrier c, long peerLastReceived, long peerCredit) {
        CompletableFuture<Void> w;
        Carrier replacedRecv;
        Carrier replacedSend;
        synchronized (recvLock) {
            c.switchVerifier(recvMacs.get());
            c.sink(this);
            replacedRecv = recvCarrier;
            recvCarrier = c;
            lastHeardNanos = System.nanoTime();
            if (everAttached) {
                resumes.incrementAndGet();
                emit(RuntimeEvent.Kind.SESSION_RESUMED, null, "", "over " + c.transport().kind());
            }
            everAttached = true;
            if (readsSuspended) {
                if (inboxCount.get() > window / 2) {
                    c.connection().suspendReads(); // the handlers have not caught up yet; drain() resumes
                } else {
                    readsSuspended = false; // drained while no carrier was attached
                }
            }
            sendLock.lock();
            try {
                if (closed) {
                    c.close(new IpcException(ErrorCode.CONNECTION_CLOSED, "session closed"));
                    return;
                }
                replacedSend = carrier != null ? carrier : movedFrom;
                movedFrom = null;
                carrier = c;
                carrierGeneration++;
                detachedForResume = false;
                acknowledged(peerLastReceived);
                if (peerCredit >= 0) {
                    grant(peerLastReceived, peerCredit);
                }
                written = 0;
                if (hardened) {
                    ackOwed = true;
                    ackValue = lastDelivered;
                }
                w = flush();
            } finally {
                unlockSend();
            }
        }
        if (c.closeReported()) {
            carrierDead(c); // closed while the handshake ran: its close went to the handshake, not to us
        }
        // a session has one carrier: one still attached here (two resumes that overlapped) is closed, so the peer
        // notices and both ends settle on the same connection
        IpcException replaced = new IpcException(ErrorCode.CONNECTION_CLOSED, "replaced by a resumed connection");
        if (replacedRecv != null && replacedRecv != c) {
            replacedRecv.close(replaced);
        }
        if (replacedSend != null && replacedSend != c && replacedSend != replacedRecv) {
            replacedSend.close(replaced);
        }
        complete(w);
        startKeepalive();
    }

    /**
     * Strict mode with an idle timeout: every third of it, an acknowledgement goes out as a keepalive, and a carrier
     * that brought nothing for the whole timeout is closed (a half-open connection never reports itself), which
     * makes the client resume.
     */
    private void startKeepalive() {
        long tick = keepaliveMillis(settings.idleTimeout.toMillis(), peerIdleMillis);
        if (!hardened || tick <= 0) {
            return;
        }
        sendLock.lock();
        try {
            if (closed || (keepalive != null && keepalivePeriod == tick)) {
                return;
            }
            if (keepalive != null) {
                keepalive.cancel(false); // the peer's timeout (learnt on a resume) asks for another rate
            }
            keepalivePeriod = tick;
            keepalive = ctx.timer.scheduleAtFixedRate(this::keepaliveTick, tick, tick, TimeUnit.MILLISECONDS);
        } finally {
            unlockSend();
        }
    }

    /**
     * Keepalives go out every third of the smaller positive idle timeout of the two sides, so a peer with a shorter
     * timeout than ours never closes a healthy connection; 0 when neither side has one.
     */
    static long keepaliveMillis(long ownIdle, long peerIdle) {
        long idle = ownIdle > 0 && peerIdle > 0 ? Math.min(ownIdle, peerIdle) : Math.max(ownIdle, peerIdle);
        return idle <= 0 ? 0 : Math.max(1, idle / 3);
    }

    /**
     * The carrier's connection is closed, whether or not its close reached this session: handled like a reported
     * close (off the caller's locks; a no-op when the session has moved on to another carrier).
     */
    private void carrierDead(Carrier c) {
        try {
            // report why we closed it when we did (an idle timeout is TRANSPORT_IO, not a plain close)
            IpcException why = c.closeCause();
            ctx.timer.execute(() -> onClosed(c, why != null ? why
                    : new IpcException(ErrorCode.CONNECTION_CLOSED, "connection " + c + " is closed")));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // the runtime is shutting down
        }
    }

    /** The idle timeout the peer announced in the handshake ({@code idle_ms}; -1: not announced, 0: off). */
    void peerIdleTimeout(long millis) {
        this.peerIdleMillis = millis;
    }

    private void keepaliveTick() {
        Carrier c;
        sendLock.lock();
        try {
            c = carrier;
        } finally {
            unlockSend();
        }
        if (c == null) {
            return;
        }
        if (!settings.idleTimeout.isZero() && System.nanoTime() - lastHeardNanos > settings.idleTimeout.toNanos()) {
            c.close(new IpcException(ErrorCode.TRANSPORT_IO, "nothing heard for " + settings.idleTimeout.toMillis()
                    + " ms"));
            carrierDead(c); // even if the connection was already closed and reports nothing more
            return;
        }
        long upTo;
        synchronized (recvLock) {
            upTo = lastDelivered;
        }
        sendAck(upTo);
    }

    // ================================ close ==================================================================

    @Override
    public void close() {
        sendLock.lock();
        try {
            if (closed || closing) {
                return;
            }
            closing = true;
            if (!hardened && carrier != null) {
                flushAll(); // compat: hand over what the transport takes now; nothing is acknowledged anyway
            }
            // hardened: what waits (unacknowledged or still in the lanes) gets up to closeDrainTimeout, also while
            // the session is detached: a resume in that time still delivers it
            if ((count == 0 && queued == 0) || !hardened || settings.closeDrainTimeout.isZero()) {
                finishClose(null);
                return;
            }
        } finally {
            unlockSend();
        }
        ctx.timer.schedule(() -> {
            sendLock.lock();
            try {
                finishClose(null);
            } finally {
                unlockSend();
            }
        }, settings.closeDrainTimeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Caller holds this. Says goodbye on the carrier (hardened) and ends the session. */
    private void finishClose(IpcException cause) {
        if (closed) {
            return;
        }
        Carrier c = carrier;
        if (c != null && hardened) {
            ackValue = receivedUpTo; // the goodbye acknowledges all that arrived, so the peer reports nothing lost
            ackOwed = true;
            sayingBye = true;
            flushAck(c);
        }
        if (c != null) {
            c.closeAfterFlush(null);
        }
        ctx.timer.execute(() -> terminate(cause));
    }

    /** Ends the session without goodbye: fails pending requests, tells the owner. Idempotent. */
    void terminate(IpcException cause) {
        Carrier c;
        CompletableFuture<Void> w;
        sendLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            c = carrier;
            carrier = null;
            if (keepalive != null) {
                keepalive.cancel(false);
            }
            w = writable;
            writable = null;
            undeliveredUnacked = count;
            undeliveredQueued = queued;
            for (ArrayDeque<Queued> lane : lanes) {
                lane.clear();
            }
            queued = 0;
            queuedBytes = 0;
        } finally {
            unlockSend();
        }
        if (c != null) {
            c.closeAfterFlush(cause);
        }
        complete(w);
        if (undeliveredUnacked + undeliveredQueued > 0) {
            LOG.warn("session {} closed with {} messages not confirmed as delivered ({} sent but unacknowledged, {}"
                    + " never sent){}", id, undeliveredUnacked + undeliveredQueued, undeliveredUnacked,
                    undeliveredQueued, cause == null ? "" : ": " + cause.getMessage());
        }
        IpcException why = cause != null ? cause : new IpcException(ErrorCode.CONNECTION_CLOSED, "session closed");
        List<ReplyFuture> fs = new ArrayList<>(pending.values());
        pending.clear();
        for (ReplyFuture f : fs) {
            f.settle(null, why, ctx.delivery); // possibly an I/O thread: attached code runs on the delivery pool
        }
        owner.sessionClosed(this, cause);
        emit(RuntimeEvent.Kind.SESSION_CLOSED, cause == null ? null : cause.code(), "",
                cause == null ? "closed" : cause.getMessage());
        terminated.complete(null);
    }

    /** A snapshot for {@link org.eipc.runtime.RuntimeMetrics}. */
    SessionMetrics metrics() {
        List<LaneMetrics> ls = new ArrayList<>(4);
        int unacked;
        String transport;
        sendLock.lock();
        try {
            for (int i = 0; i < 4; i++) {
                ls.add(new LaneMetrics(Priority.fromLevel(i), lanes[i].size(), laneSent[i], laneSentBytes[i],
                        laneMisses[i], laneLatency[i].snapshot()));
            }
            unacked = count;
            transport = carrier == null ? "" : carrier.transport().kind();
        } finally {
            unlockSend();
        }
        long rm;
        long rb;
        synchronized (recvLock) {
            rm = receivedMessages;
            rb = receivedBytes;
        }
        return new SessionMetrics(id, peer.serviceId(), transport, !transport.isEmpty(), ls, unacked, inboxCount.get(),
                rm, rb, rejectedFrames.get(), denied.get(), quotaRejections.get(), lateReplies.get(), resumes.get(),
                deliveryLatency.snapshot());
    }

    /** Completes once the session has ended for good. */
    CompletableFuture<Void> terminated() {
        return terminated;
    }

    @Override
    public String toString() {
        sendLock.lock();
        try {
            return "Session[" + id + ", " + peer.serviceId() + ", " + mode + (closed ? ", closed" : closing ? ", closing" : "")
                    + ", carrier=" + carrier + ", nextSeq=" + Long.toUnsignedString(nextSeq) + ", unacked=" + count
                    + ", written=" + written + ", queued=" + queued
                    + (creditKnown ? ", creditLimit=" + Long.toUnsignedString(creditLimit) : "")
                    + ", received=" + Long.toUnsignedString(receivedUpTo) + ", advertised="
                    + Long.toUnsignedString(advertisedLimit) + "]";
        } finally {
            unlockSend();
        }
    }
}
