package org.eipc.transport.nats.impl;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;
import org.eipc.spi.transport.Connection;
import org.eipc.spi.transport.ConnectionHandler;
import org.eipc.spi.transport.OfferResult;
import org.eipc.spi.transport.PeerCredentials;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One byte stream over two NATS subjects. NATS core delivers at most once, in order per publisher; so every
 * sequenced packet is numbered and the receiver accepts exactly the next number. A gap (NATS dropped a slow
 * consumer's messages, a node died with messages in flight, someone injected one) closes the connection with
 * an {@link IpcException} instead of passing on a stream with a hole, and the session above resumes and
 * retransmits. A lost tail is caught by the sequence in the next heartbeat, a vanished peer by silence.
 *
 * <p><b>Flow control.</b> A sender may have {@link NatsSettings#window()} bytes published and not yet consumed
 * by the receiving handler ({@link #pendingBytes()}); beyond that {@code offer} answers {@code BACK_PRESSURE}.
 * Receivers report what their handler consumed in every packet they send and, when they send nothing, in an
 * acknowledgement after a quarter window or {@code ackDelay}. So {@link #suspendReads()} stops the peer after
 * one window, and a receiver never buffers more than a window (plus one oversized offer).
 *
 * <p><b>Coalescing.</b> While the NATS client has more than a few messages queued, small offers are collected
 * into one data packet of up to {@link #COALESCE_BYTES}, published by the transport's event thread; an idle
 * connection publishes each offer at once. Received packets and handler calls are the {@link Inbox}'s.
 */
final class StreamConnection implements Connection {
    private static final Logger LOG = LoggerFactory.getLogger(StreamConnection.class);
    /** Largest message that small offers are collected into while the NATS client is behind. */
    static final int COALESCE_BYTES = 32 * 1024;

    private final NatsLink link;
    private final NatsSettings settings;
    private final String id;
    private final String inSubject;
    private final URI localAddress;
    private final URI remoteAddress;
    private final Runnable onRelease;
    private volatile String outSubject;
    private volatile long peerWindow;

    // ---- sending, guarded by sendLock
    private final Object sendLock = new Object();
    private long sendSeq;
    private long sentBytes;
    private long lastSendNanos;
    private long ackSeqSent;
    private long ackBytesSent;
    private boolean outputShut;
    private boolean writableWanted;
    private boolean finalSent;
    private byte[] batch;
    private int batchLength;
    private boolean flushScheduled;
    private volatile long peerConsumed;

    // ---- receiving
    private final Inbox inbox;
    private volatile long rxSeq;
    private volatile long lastHeardNanos;
    private volatile boolean closed;

    StreamConnection(NatsLink link, NatsSettings settings, String id, String inSubject, URI localAddress,
            URI remoteAddress, Runnable onRelease) {
        this.link = link;
        this.settings = settings;
        this.id = id;
        this.inSubject = inSubject;
        this.localAddress = localAddress;
        this.remoteAddress = remoteAddress;
        this.onRelease = onRelease;
        this.inbox = new Inbox(this, settings, id);
        long now = System.nanoTime();
        this.lastHeardNanos = now;
        this.lastSendNanos = now;
    }

    String inSubject() {
        return inSubject;
    }

    /** The peer's subject and window are known: the connection may send. */
    void peer(String outSubject, long peerWindow, ConnectionHandler handler) {
        inbox.handler(handler);
        this.peerWindow = Math.max(4096, Math.min(peerWindow, 1L << 30));
        this.outSubject = outSubject;
    }

    /** Lets onOpen be delivered; returns a future completed once it returned. */
    CompletableFuture<Void> open(boolean inline) {
        CompletableFuture<Void> done = inbox.openReady();
        if (inline) {
            inbox.drain();
        } else {
            link.execute(inbox::drain);
        }
        return done;
    }

    // ---- Connection -----------------------------------------------------------------------------------------

    @Override
    public String id() {
        return id;
    }

    @Override
    public String scheme() {
        return "nats";
    }

    @Override
    public URI localAddress() {
        return localAddress;
    }

    @Override
    public URI remoteAddress() {
        return remoteAddress;
    }

    @Override
    public PeerCredentials peerCredentials() {
        return PeerCredentials.UNKNOWN; // NATS tells nothing trustworthy about the publisher
    }

    @Override
    public OfferResult offer(ByteBuffer bytes) {
        final int length = bytes.remaining();
        synchronized (sendLock) {
            if (closed || outputShut || outSubject == null) {
                return OfferResult.CLOSED;
            }
            if (0 == length) {
                return OfferResult.ACCEPTED;
            }
            final long inFlight = sentBytes - peerConsumed;
            final long limit = Math.min(settings.window(), peerWindow);
            if ((inFlight > 0 && inFlight + length > limit) || length > NatsSettings.MAX_OFFER) {
                writableWanted = true;
                return OfferResult.BACK_PRESSURE;
            }
            final int chunk = link.chunkLimit(settings.chunkLimit());
            try {
                if (batchLength > 0) {
                    if (batchLength + length <= batch.length - Packet.HEADER_LENGTH) {
                        bytes.get(batch, Packet.HEADER_LENGTH + batchLength, length);
                        batchLength += length;
                        sentBytes += length;
                        return OfferResult.ACCEPTED;
                    }
                    flushBatch();
                }
                if (length <= COALESCE_BYTES / 4 && link.congested()) {
                    // the NATS client is behind: collect small offers into one message until the event thread
                    // publishes it, instead of one NATS message each
                    if (batch == null) {
                        batch = new byte[Packet.HEADER_LENGTH + Math.min(COALESCE_BYTES, chunk)];
                    }
                    bytes.get(batch, Packet.HEADER_LENGTH, length);
                    batchLength = length;
                    sentBytes += length;
                    if (!flushScheduled) {
                        flushScheduled = true;
                        link.execute(this::flushLater);
                    }
                    return OfferResult.ACCEPTED;
                }
            } catch (IpcException e) {
                fail(e, false);
                return OfferResult.CLOSED;
            }
            final long ackSeq = rxSeq;
            final long ackBytes = inbox.consumed();
            try {
                while (bytes.hasRemaining()) {
                    int n = Math.min(bytes.remaining(), chunk);
                    byte[] m = Packet.allocate(Packet.DATA, ++sendSeq, ackSeq, ackBytes, n);
                    bytes.get(m, Packet.HEADER_LENGTH, n);
                    link.publish(outSubject, null, m);
                }
            } catch (IpcException e) {
                fail(e, false);
                return OfferResult.CLOSED;
            }
            sentBytes += length;
            lastSendNanos = System.nanoTime();
            ackSeqSent = ackSeq;
            ackBytesSent = ackBytes;
            return OfferResult.ACCEPTED;
        }
    }

    @Override
    public long pendingBytes() {
        synchronized (sendLock) {
            return sentBytes - peerConsumed;
        }
    }

    @Override
    public long writeQueueLimit() {
        return settings.window();
    }

    @Override
    public void suspendReads() {
        inbox.suspend();
    }

    @Override
    public void resumeReads() {
        if (inbox.resume()) {
            link.execute(inbox::drain);
        }
    }

    @Override
    public void shutdownOutput() {
        boolean both;
        synchronized (sendLock) {
            if (closed || outputShut || outSubject == null) {
                return;
            }
            outputShut = true;
            sendSequenced(Packet.FIN);
        }
        both = inbox.inputShutDelivered();
        if (both) {
            close();
        }
    }

    @Override
    public boolean isOpen() {
        return !closed;
    }

    @Override
    public void close() {
        terminate(null, Packet.CLOSE);
    }

    /** Closes without a word to the peer, as a crashed process would (tests: the abrupt-loss check). */
    void vanish() {
        terminate(null, (byte) 0);
    }

    /** Closes with a cause: onClose reports it, and the peer gets a reset unless it is the one who reset. */
    void fail(IpcException cause, boolean peerKnows) {
        terminate(cause, peerKnows ? 0 : Packet.RST);
    }

    private void terminate(IpcException cause, byte farewell) {
        if (!inbox.beginClose(cause)) {
            return;
        }
        closed = true;
        if (cause != null) {
            LOG.debug("NATS connection {} closing: {}", id, cause.getMessage());
        }
        synchronized (sendLock) {
            if (outSubject != null && !finalSent && farewell != 0) {
                if (Packet.CLOSE == farewell) {
                    sendSequenced(Packet.CLOSE);
                } else {
                    sendControl(Packet.RST);
                }
            }
            finalSent = true;
        }
        link.unregister(this);
        if (onRelease != null) {
            onRelease.run();
        }
        link.execute(inbox::drain);
    }

    /** True once {@link #shutdownOutput()} (or close) sent the end of this side's stream. */
    boolean outputShut() {
        synchronized (sendLock) {
            return outputShut;
        }
    }

    // ---- sending helpers (sendLock held) ---------------------------------------------------------------------

    /** Publishes the collected small offers as one sequenced data packet. */
    private void flushBatch() {
        if (batchLength == 0) {
            return;
        }
        final long ackSeq = rxSeq;
        final long ackBytes = inbox.consumed();
        byte[] m = Packet.allocate(Packet.DATA, ++sendSeq, ackSeq, ackBytes, batchLength);
        System.arraycopy(batch, Packet.HEADER_LENGTH, m, Packet.HEADER_LENGTH, batchLength);
        batchLength = 0;
        link.publish(outSubject, null, m);
        lastSendNanos = System.nanoTime();
        ackSeqSent = ackSeq;
        ackBytesSent = ackBytes;
    }

    /** Event thread: publishes what offers collected while the NATS client was behind. */
    private void flushLater() {
        synchronized (sendLock) {
            flushScheduled = false;
            if (closed || finalSent) {
                batchLength = 0;
                return;
            }
            try {
                flushBatch();
            } catch (IpcException e) {
                fail(e, false);
            }
        }
    }

    private void sendSequenced(byte kind) {
        try {
            flushBatch();
            link.publish(outSubject, null, Packet.allocate(kind, ++sendSeq, rxSeq, inbox.consumed(), 0));
            lastSendNanos = System.nanoTime();
        } catch (IpcException e) {
            LOG.debug("NATS connection {}: {} not sent: {}", id, (char) kind, e.getMessage());
        }
        finalSent |= Packet.CLOSE == kind;
    }

    private void sendControl(byte kind) {
        long ackSeq = rxSeq;
        long ackBytes = inbox.consumed();
        try {
            if (Packet.RST == kind) {
                batchLength = 0; // the stream is broken anyway
            }
            flushBatch();
            // the reply subject lets a peer that no longer knows this connection answer with a reset
            link.publish(outSubject, inSubject, Packet.allocate(kind, sendSeq, ackSeq, ackBytes, 0));
            lastSendNanos = System.nanoTime();
            ackSeqSent = ackSeq;
            ackBytesSent = ackBytes;
        } catch (IpcException e) {
            LOG.debug("NATS connection {}: {} not sent: {}", id, (char) kind, e.getMessage());
        }
    }

    /** Called by the link's timer: delayed acknowledgements, heartbeats, peer silence. */
    void tick(long now) {
        if (closed) {
            return;
        }
        if (now - lastHeardNanos > TimeUnit.MILLISECONDS.toNanos(settings.peerTimeoutMillis())) {
            fail(new IpcException(ErrorCode.TRANSPORT_IO, "NATS connection " + id + ": nothing heard from the peer for "
                    + settings.peerTimeoutMillis() + " ms; the peer or its NATS path is gone"), false);
            return;
        }
        synchronized (sendLock) {
            if (outSubject == null || finalSent) {
                return;
            }
            long idle = now - lastSendNanos;
            boolean owe = inbox.consumed() != ackBytesSent || rxSeq != ackSeqSent;
            if ((owe && idle >= TimeUnit.MILLISECONDS.toNanos(settings.ackDelayMillis()))
                    || idle >= TimeUnit.MILLISECONDS.toNanos(settings.heartbeatMillis())) {
                sendControl(Packet.ACK);
            }
        }
    }

    // ---- receiving (NATS dispatcher thread) ------------------------------------------------------------------

    /** A NATS message arrived on this connection's subject. */
    void onPacket(byte[] p) {
        if (closed) {
            return;
        }
        lastHeardNanos = System.nanoTime();
        if (!Packet.isValid(p)) {
            fail(new IpcException(ErrorCode.PROTOCOL_VIOLATION, "NATS connection " + id + ": message of "
                    + (p == null ? 0 : p.length) + " bytes is shorter than the " + Packet.HEADER_LENGTH
                    + "-byte packet header"), false);
            return;
        }
        if (!peerAck(Packet.ackSeq(p), Packet.ackBytes(p))) {
            return;
        }
        final byte kind = Packet.kind(p);
        final long seq = Packet.seq(p);
        if (Packet.DATA == kind || Packet.FIN == kind || Packet.CLOSE == kind) {
            if (!inSequence(seq)) {
                return;
            }
            int r;
            try {
                r = inbox.accept(kind, p);
            } catch (IpcException e) {
                fail(e, false);
                return;
            }
            if (Inbox.CLOSE_NOW == r) {
                close();
                return;
            }
            if (Inbox.IGNORED == r) {
                return;
            }
        } else if (Packet.ACK == kind) {
            if (seq != rxSeq) {
                // the peer sent more than arrived: the tail was lost (or a bogus ack was injected)
                fail(gap(rxSeq + 1, seq, "the peer's acknowledgement says it sent up to packet " + seq), false);
                return;
            }
        } else if (Packet.RST == kind) {
            fail(new IpcException(ErrorCode.CONNECTION_CLOSED, "NATS connection " + id
                    + ": the peer reset the connection (it lost its NATS connection or closed on an error)"), true);
            return;
        } else {
            fail(new IpcException(ErrorCode.PROTOCOL_VIOLATION, "NATS connection " + id + ": unknown packet kind "
                    + (kind & 0xFF)), false);
            return;
        }
        inbox.drain();
    }

    private boolean inSequence(long seq) {
        long expected = rxSeq + 1;
        if (seq != expected) {
            fail(gap(expected, seq, "got packet " + seq), false);
            return false;
        }
        rxSeq = seq;
        return true;
    }

    private IpcException gap(long expected, long got, String what) {
        String why = link.slowConsumerReported()
                ? "; the NATS client reported a slow consumer and dropped messages"
                : "; NATS lost messages (node failure, slow consumer) or a message was injected";
        return new IpcException(ErrorCode.TRANSPORT_IO, "NATS connection " + id + ": expected packet " + expected
                + ", " + what + why);
    }

    /** Updates what the peer consumed; false if the connection failed. */
    private boolean peerAck(long ackSeq, long ackBytes) {
        boolean writable = false;
        synchronized (sendLock) {
            if (Long.compareUnsigned(ackSeq, sendSeq) > 0 || ackBytes > sentBytes || ackBytes < 0) {
                // outside the lock below: fail takes it
                writable = false;
                ackBytes = -1;
            } else if (ackBytes > peerConsumed) {
                peerConsumed = ackBytes;
                if (writableWanted && sentBytes - ackBytes < Math.min(settings.window(), peerWindow)) {
                    writableWanted = false;
                    writable = true;
                }
            }
        }
        if (ackBytes < 0) {
            fail(new IpcException(ErrorCode.PROTOCOL_VIOLATION, "NATS connection " + id
                    + ": the peer acknowledged data that was never sent"), false);
            return false;
        }
        if (writable) {
            inbox.writable();
        }
        return true;
    }

    /** Acknowledges at once after a quarter window; the timer sends the rest after ackDelay. */
    void maybeAck() {
        long threshold = Math.min(settings.window(), peerWindow) / 4;
        synchronized (sendLock) {
            if (!finalSent && outSubject != null && inbox.consumed() - ackBytesSent >= threshold) {
                sendControl(Packet.ACK);
            }
        }
    }

    @Override
    public String toString() {
        return "NatsConnection[" + id + " " + remoteAddress + (closed ? " closed" : "") + "]";
    }
}
