package org.eipc.transport.nio;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.security.Principal;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;
import org.eipc.spi.transport.Connection;
import org.eipc.spi.transport.ConnectionHandler;
import org.eipc.spi.transport.OfferResult;
import org.eipc.spi.transport.PeerCredentials;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A non-blocking socket connection.
 *
 * <p><b>Writes.</b> {@link #offer} copies into a chain of 64 KiB direct chunks under {@link #wlock}; the loop
 * drains the whole chain with one gathering {@code write} (TLS: one {@code wrap} of up to 16 KiB of plaintext per
 * record), so many small offers coalesce into few system calls; drained chunks are reused for the tail, so a busy
 * queue allocates no memory. The write happens under wlock: offers that come meanwhile wait and then find the
 * next batch already queued, which keeps the batches big when the sender is faster than the socket. On the
 * latency path (plain socket, nothing queued) the offering thread writes straight to the socket and only queues
 * what the kernel did not take: no thread hop, no copy.
 *
 * <p><b>Reads.</b> On the loop thread, into a pooled direct buffer; bytes the handler leaves in the buffer are
 * kept and delivered again in front of newer bytes. {@link #suspendReads()} drops read interest, so the
 * kernel buffers fill and the peer's offers end in back-pressure.
 *
 * <p><b>Handler calls</b> all happen on the loop thread, so they are never concurrent; {@code onClose} is
 * always queued as a loop task so it never nests inside another handler call.
 */
public final class NioConnection implements Connection, IoLoop.Selectable {
    private static final Logger LOG = LoggerFactory.getLogger(NioConnection.class);
    static final int CHUNK = 64 * 1024;
    /** Gathering writes take at most this many chunks (well under IOV_MAX). */
    private static final int MAX_GATHER = 64;
    /**
     * Offers closer together than this count as a burst (a 64 B write system call takes about 1 us). The gap is
     * the caller's own time between two offers: from the end of one (after any system call it made) to the start
     * of the next.
     */
    private static final long BURST_GAP_NANOS = 2_000;
    private static final int BURST_LENGTH = 8;
    /** In a burst, the offering thread writes the queue itself once this much is queued. */
    private static final long SELF_FLUSH = 32 * 1024;
    /** A handler that keeps more than this unconsumed is broken; the connection is closed. */
    private static final int MAX_READ_BUFFER = 64 << 20;

    private final NioEngine engine;
    private final IoLoop loop;
    private final SocketChannel channel;
    private final ChannelAdapter adapter;
    private final String id;
    private final boolean client;
    private final long limit;
    private final URI local;
    private final URI remote;
    private volatile PeerCredentials credentials;

    // ---- write side, guarded by wlock ----
    private final Object wlock = new Object();
    private final ArrayDeque<Chunk> queue = new ArrayDeque<>();
    private final ByteBuffer[] gather = new ByteBuffer[MAX_GATHER];
    /**
     * Drained chunks kept for the tail, a stack linked through {@link Chunk#next} (the most recently drained is
     * reused first). While bytes are queued every drained chunk is kept, so a sender that keeps the queue busy (a
     * burst, or a peer slower than the sender) reuses the same chunks instead of allocating and zeroing 64 KiB of
     * direct memory per 64 KiB sent; the chunks never outnumber the most the queue held at once (at most
     * {@link #limit} plus one offer), the bound the queue has anyway. When the queue drains, all but one are
     * dropped, so an idle connection keeps one chunk as before.
     */
    private Chunk free;
    /** Chunks allocated over the connection's life. */
    private int chunksMade;
    private volatile long pending;
    /** A flush task is queued or OP_WRITE is set: offers must not write directly (order). */
    private boolean flushScheduled;
    private boolean wantWritable;
    private boolean outputShutdown;
    /** The kernel refused bytes at the last write; only the loop (OP_WRITE) writes until it drains. */
    private boolean socketFull;
    /** System.nanoTime() when the previous accepted offer returned (after its system call, if it made one). */
    private long lastOfferEnd;
    private int burstRun;
    private boolean writable; // open (handshake done): direct writes allowed
    private volatile boolean closed;

    // ---- loop-thread state ----
    private final Tls tls;
    private SelectionKey key;
    private ConnectionHandler handler;
    private Function<Connection, ConnectionHandler> handlers;
    private CompletableFuture<NioConnection> opening;
    private boolean open;
    private ByteBuffer in; // write mode: [0, position) are bytes not yet consumed by the handler
    private volatile boolean readSuspended;
    private boolean inputShut;
    private boolean outputDone;
    private boolean writeInterest;
    private IpcException closeCause;
    private boolean finished;
    private final Runnable flushTask = this::flush;
    private long handshakeDeadline;

    NioConnection(NioEngine engine, IoLoop loop, SocketChannel channel, ChannelAdapter adapter, SSLEngine ssl,
            boolean client) throws IOException {
        this.engine = engine;
        this.loop = loop;
        this.channel = channel;
        this.adapter = adapter;
        this.client = client;
        this.id = engine.nextId();
        this.limit = engine.writeQueueLimit();
        this.local = adapter.localUri(channel);
        this.remote = adapter.remoteUri(channel);
        this.credentials = adapter.credentials(channel);
        this.tls = ssl == null ? null : new Tls(ssl);
    }

    /** Registers with the loop; completes when onOpen was called (or fails). */
    CompletableFuture<NioConnection> start(ConnectionHandler h, Function<Connection, ConnectionHandler> factory) {
        this.handler = h;
        this.handlers = factory;
        this.opening = new CompletableFuture<>();
        try {
            loop.execute(this::register);
        } catch (IllegalStateException stopped) {
            NioEngine.closeQuietly(channel);
            opening.completeExceptionally(new IpcException(ErrorCode.CONNECTION_CLOSED, "transport stopped"));
        }
        return opening;
    }

    private void register() {
        try {
            key = channel.register(loop.selector(), 0, this);
            if (tls != null) {
                if (!client) {
                    handshakeDeadline = System.nanoTime() + engine.handshakeTimeoutNanos();
                    loop.watchHandshake(this);
                }
                tls.engine.beginHandshake();
                handshake();
            } else {
                opened();
            }
        } catch (ClosedChannelException e) {
            fail(new IpcException(ErrorCode.CONNECTION_CLOSED, "closed before registration", e));
        } catch (SSLException e) {
            fail(new IpcException(ErrorCode.TLS_FAILED, "TLS handshake failed: " + e.getMessage(), e));
        }
    }

    long handshakeDeadline() {
        return handshakeDeadline;
    }

    /** Loop thread: true once the handshake finished or the connection closed. */
    boolean handshakeSettled() {
        return open || finished;
    }

    /** Loop thread: an accepted connection did not finish its handshake in time (a stalled or hostile peer). */
    void handshakeExpired() {
        if (!handshakeSettled()) {
            LOG.debug("TLS handshake from {} timed out", remote);
            fail(new IpcException(ErrorCode.HANDSHAKE_TIMEOUT, "TLS handshake from " + remote + " timed out"));
        }
    }

    /** Handshake done: pick the handler, call onOpen, start reading. Loop thread. */
    private void opened() {
        if (closed) {
            return;
        }
        if (tls != null) {
            credentials = tls.withPrincipal(credentials);
        }
        if (handler == null) {
            try {
                handler = handlers.apply(this);
            } catch (RuntimeException e) {
                LOG.warn("handler factory failed for {}: {}", id, e.toString());
            }
            if (handler == null) {
                fail(new IpcException(ErrorCode.INTERNAL, "no handler for accepted connection"));
                return;
            }
        }
        open = true;
        boolean flushNow;
        synchronized (wlock) {
            writable = true;
            flushNow = pending > 0;
        }
        try {
            handler.onOpen(this);
        } catch (RuntimeException e) {
            opening.complete(this);
            handlerFailed(e);
            return;
        }
        opening.complete(this);
        if (flushNow) {
            flush();
        }
        updateInterest();
        if (tls != null && tls.netIn.position() > 0) {
            readTls(); // application data that came with the last handshake flight
        }
    }

    // ---- Connection ------------------------------------------------------------------------------------------

    @Override
    public String id() {
        return id;
    }

    @Override
    public String scheme() {
        return adapter.scheme();
    }

    @Override
    public URI localAddress() {
        return local;
    }

    @Override
    public URI remoteAddress() {
        return remote;
    }

    @Override
    public PeerCredentials peerCredentials() {
        return credentials;
    }

    @Override
    public OfferResult offer(ByteBuffer src) {
        int len = src.remaining();
        boolean schedule = false;
        IOException failure = null;
        synchronized (wlock) {
            if (closed || outputShutdown) {
                return OfferResult.CLOSED;
            }
            long p = pending;
            if (p != 0 && p + len > limit) {
                wantWritable = true;
                return OfferResult.BACK_PRESSURE;
            }
            if (len == 0) {
                return OfferResult.ACCEPTED;
            }
            boolean plain = writable && tls == null;
            boolean burst = burst();
            boolean syscall = false;
            ByteBuffer rest = src;
            if (p == 0 && !flushScheduled && plain && !burst) {
                // Latency path: straight to the kernel from the caller's thread. Write from a view and give the
                // caller its buffer back first: once the kernel has the bytes the peer can answer, and the
                // caller may reuse the buffer for the next message on another thread before this call returns.
                // channel.write(src) would move src's position after the bytes left, over that next message.
                rest = src.duplicate();
                int start = src.position();
                src.position(src.limit());
                syscall = true;
                try {
                    channel.write(rest);
                } catch (IOException e) {
                    failure = e;
                    src.position(start);
                }
            }
            if (failure == null && rest.hasRemaining()) {
                append(rest);
                if (!flushScheduled && writable) {
                    flushScheduled = true;
                    schedule = true;
                } else if (plain && pending >= SELF_FLUSH && !socketFull) {
                    // a burst: write big batches from here rather than wait for the loop
                    syscall = true;
                    try {
                        writeQueued();
                    } catch (IOException e) {
                        failure = e;
                    }
                }
            }
            if (syscall) {
                // the system call's time is ours, not the caller's: it must not hide a burst (a sender that
                // encodes a frame in 0.7 us and then waits 1.5 us for its own write would never look busy, and
                // would keep paying one system call per frame)
                lastOfferEnd = System.nanoTime();
            }
        }
        if (failure != null) {
            fail(new IpcException(ErrorCode.TRANSPORT_IO, "write failed: " + failure.getMessage(), failure));
            return OfferResult.CLOSED;
        }
        if (schedule) {
            runOnLoop(flushTask); // may wake the loop with a system call: again not the caller's time
            synchronized (wlock) {
                lastOfferEnd = System.nanoTime();
            }
        }
        return OfferResult.ACCEPTED;
    }

    /**
     * True when offers come faster than one system call each can carry: {@link #BURST_LENGTH} offers in a row,
     * each within {@link #BURST_GAP_NANOS} of the end of the previous one. Then offers are queued and written in
     * batches (throughput); isolated offers, and short runs such as a request's two frames, keep the direct write
     * (latency). Caller holds wlock.
     */
    private boolean burst() {
        long now = System.nanoTime();
        boolean close = now - lastOfferEnd < BURST_GAP_NANOS;
        lastOfferEnd = now;
        if (close) {
            burstRun = Math.min(burstRun + 1, BURST_LENGTH);
        } else {
            // one late offer inside a burst (the sender was preempted, or took a GC pause) only steps back by
            // one, so the next close offer resumes batching; a second late offer in a row ends the burst
            burstRun = burstRun == BURST_LENGTH ? BURST_LENGTH - 1 : 0;
        }
        return burstRun >= BURST_LENGTH;
    }

    /** Copies src's remaining bytes to the tail of the queue. Caller holds wlock. */
    private void append(ByteBuffer src) {
        while (src.hasRemaining()) {
            Chunk t = queue.peekLast();
            if (t == null || t.w == CHUNK) {
                t = takeChunk();
                queue.add(t);
            }
            int n = Math.min(src.remaining(), CHUNK - t.w);
            t.buf.limit(CHUNK);
            t.buf.put(t.w, src, src.position(), n);
            src.position(src.position() + n);
            t.w += n;
            pending += n;
        }
    }

    /** An empty chunk for the tail: a drained one if there is one. Caller holds wlock. */
    private Chunk takeChunk() {
        Chunk c = free;
        if (c == null) {
            chunksMade++;
            return new Chunk();
        }
        free = c.next;
        c.next = null;
        c.r = 0;
        c.w = 0;
        return c;
    }

    /** How many 64 KiB chunks the write queue allocated so far (tests: drained chunks are reused). */
    int chunksAllocated() {
        synchronized (wlock) {
            return chunksMade;
        }
    }

    @Override
    public long pendingBytes() {
        return pending;
    }

    @Override
    public long writeQueueLimit() {
        return limit;
    }

    @Override
    public void suspendReads() {
        if (readSuspended) {
            return;
        }
        readSuspended = true;
        if (loop.inLoop()) {
            updateInterest();
        } else {
            runOnLoop(this::updateInterest);
        }
    }

    @Override
    public void resumeReads() {
        if (!readSuspended) {
            return;
        }
        readSuspended = false;
        // always a task: resuming delivers buffered bytes, which must not nest in a running handler call
        runOnLoop(this::resumed);
    }

    private void resumed() {
        if (closed || readSuspended || !open) {
            return;
        }
        updateInterest();
        if (tls != null) {
            readTls();
        } else if (in != null && in.position() > 0) {
            deliver();
            if (!closed && !readSuspended && !inputShut) {
                readPlain();
            }
        }
    }

    @Override
    public void shutdownOutput() {
        boolean now;
        synchronized (wlock) {
            if (closed || outputShutdown) {
                return;
            }
            outputShutdown = true;
            now = writable && pending == 0 && !flushScheduled;
            if (!now && writable && !flushScheduled) {
                flushScheduled = true;
            }
        }
        runOnLoop(now ? this::shutdownNow : flushTask);
    }

    /** Sends end-of-stream (after TLS close_notify). Loop thread; the queue is empty. */
    private void shutdownNow() {
        if (closed || outputDone) {
            return;
        }
        try {
            if (tls != null) {
                tls.engine.closeOutbound();
                synchronized (wlock) {
                    tls.wrapAndWrite(null);
                }
            }
            channel.shutdownOutput();
            outputDone = true;
        } catch (IOException e) {
            fail(new IpcException(ErrorCode.TRANSPORT_IO, "shutdown failed: " + e.getMessage(), e));
            return;
        }
        if (inputShut) {
            close();
        }
    }

    @Override
    public boolean isOpen() {
        return !closed;
    }

    @Override
    public void close() {
        closeWith(null);
    }

    /** Closes with a reset instead of an orderly FIN (SO_LINGER 0): the peer sees the connection vanish. */
    public void abort() {
        try {
            channel.setOption(StandardSocketOptions.SO_LINGER, 0);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.debug("SO_LINGER not supported on {}", id);
        }
        closeWith(null);
    }

    /** Closes with {@code cause} reported to the handler. Any thread. */
    void fail(IpcException cause) {
        closeWith(cause);
    }

    private void closeWith(IpcException cause) {
        synchronized (wlock) {
            if (closed) {
                return;
            }
            closed = true;
            queue.clear();
            free = null;
            pending = 0;
        }
        closeCause = cause;
        runOnLoop(this::finish);
    }

    /** Loop thread: release everything and tell the handler. */
    private void finish() {
        if (finished) {
            return;
        }
        finished = true;
        if (key != null) {
            key.cancel();
        }
        if (tls != null && closeCause == null && !outputDone) {
            try {
                tls.engine.closeOutbound();
                synchronized (wlock) {
                    tls.wrapAndWrite(null); // best effort close_notify
                }
            } catch (IOException | RuntimeException ignored) {
                // closing anyway
            }
        }
        NioEngine.closeQuietly(channel);
        if (in != null) {
            loop.releaseReadBuffer(in);
            in = null;
        }
        IpcException cause = closeCause;
        if (open) {
            try {
                handler.onClose(this, cause);
            } catch (RuntimeException e) {
                LOG.warn("onClose of {} threw", id, e);
            }
        } else if (opening != null && !opening.isDone()) {
            opening.completeExceptionally(cause != null ? cause
                    : new IpcException(ErrorCode.CONNECTION_CLOSED, "closed before open"));
        }
    }

    @Override
    public void forceClose() {
        closeWith(new IpcException(ErrorCode.CONNECTION_CLOSED, "transport stopped"));
        finish();
    }

    private void runOnLoop(Runnable r) {
        try {
            loop.execute(r);
        } catch (IllegalStateException stopped) {
            if (loop.inLoop()) {
                r.run(); // loop shutdown closing what is registered
            } else {
                NioEngine.closeQuietly(channel); // the loop is gone; it closed its connections already
            }
        }
    }

    // ---- loop events -----------------------------------------------------------------------------------------

    @Override
    public void ready(SelectionKey k) {
        int ops;
        try {
            ops = k.readyOps();
        } catch (RuntimeException cancelled) {
            return;
        }
        if ((ops & SelectionKey.OP_WRITE) != 0) {
            if (open) {
                flush();
            } else if (tls != null) {
                handshake();
            }
        }
        if ((ops & SelectionKey.OP_READ) != 0 && !closed) {
            if (!open) {
                handshake();
            } else if (tls != null) {
                readTls();
            } else {
                readPlain();
            }
        }
    }

    private void updateInterest() {
        if (key == null || !key.isValid()) {
            return;
        }
        int ops = 0;
        if (!open) {
            ops = tls != null && tls.handshakeWantsWrite ? SelectionKey.OP_WRITE : SelectionKey.OP_READ;
        } else {
            if (!readSuspended && !inputShut) {
                ops |= SelectionKey.OP_READ;
            }
            if (writeInterest) {
                ops |= SelectionKey.OP_WRITE;
            }
        }
        try {
            if (key.interestOps() != ops) {
                key.interestOps(ops);
            }
        } catch (RuntimeException cancelled) {
            // closing
        }
    }

    private void readPlain() {
        // a few rounds at most: other connections on this loop want their turn
        for (int round = 0; round < 8; round++) {
            if (closed || readSuspended || inputShut) {
                return;
            }
            if (!ensureRoom()) {
                return;
            }
            int n;
            try {
                n = channel.read(in);
            } catch (IOException e) {
                fail(new IpcException(ErrorCode.TRANSPORT_IO, "read failed: " + e.getMessage(), e));
                return;
            }
            if (n < 0) {
                endOfInput();
                return;
            }
            if (n == 0) {
                return;
            }
            boolean full = !in.hasRemaining();
            deliver();
            if (!full) {
                return; // the socket is drained for now
            }
        }
    }

    /** Makes sure {@link #in} exists and has free space. False if the connection was closed. */
    private boolean ensureRoom() {
        if (in == null) {
            in = loop.acquireReadBuffer(tls == null ? 0 : tls.engine.getSession().getApplicationBufferSize());
            return true;
        }
        int need = tls == null ? 1 : tls.engine.getSession().getApplicationBufferSize();
        if (in.remaining() >= need) {
            return true;
        }
        // the handler keeps a partial message bigger than the buffer: grow
        int size = Math.max(in.capacity() * 2, in.position() + need);
        if (size > MAX_READ_BUFFER) {
            fail(new IpcException(ErrorCode.TRANSPORT_IO, "handler left more than " + MAX_READ_BUFFER
                    + " bytes unconsumed"));
            return false;
        }
        ByteBuffer bigger = ByteBuffer.allocateDirect(size);
        in.flip();
        bigger.put(in);
        loop.releaseReadBuffer(in);
        in = bigger;
        return true;
    }

    /** Hands buffered bytes to the handler while it consumes them. Loop thread. */
    private void deliver() {
        if (in == null || in.position() == 0) {
            return;
        }
        // The handler may close the connection from inside onData; on this thread that releases the read buffer
        // at once, so work on a local reference and stop touching it as soon as it is no longer ours.
        final ByteBuffer buf = in;
        buf.flip();
        try {
            while (buf.hasRemaining() && !readSuspended && !closed) {
                int before = buf.remaining();
                handler.onData(this, buf);
                if (in != buf || buf.remaining() == before) {
                    break; // closed by the handler, or waits for more bytes
                }
            }
        } catch (RuntimeException e) {
            if (in == buf) {
                buf.clear();
            }
            handlerFailed(e);
            return;
        }
        if (in == buf) {
            buf.compact();
        }
    }

    private void handlerFailed(RuntimeException e) {
        if (e instanceof IpcException) {
            fail((IpcException) e);
        } else {
            LOG.warn("handler of {} threw", id, e);
            fail(new IpcException(ErrorCode.INTERNAL, "handler failed: " + e, e));
        }
    }

    private void endOfInput() {
        if (inputShut) {
            return;
        }
        inputShut = true;
        updateInterest();
        try {
            handler.onInputShutdown(this);
        } catch (RuntimeException e) {
            handlerFailed(e);
            return;
        }
        if (outputDone) {
            close();
        }
    }

    /** Writes what is queued. Loop thread. */
    private void flush() {
        if (!open) {
            return;
        }
        boolean fireWritable = false;
        boolean shutdown = false;
        IOException failure = null;
        synchronized (wlock) {
            if (closed) {
                return;
            }
            try {
                if (tls == null) {
                    writeQueued();
                } else {
                    tls.wrapAndWrite(queue);
                }
            } catch (IOException e) {
                failure = e;
            }
            if (failure == null) {
                boolean drained = pending == 0 && (tls == null || tls.netOut.position() == 0);
                socketFull = !drained;
                writeInterest = !drained;
                if (drained) {
                    flushScheduled = false;
                    shutdown = outputShutdown && !outputDone;
                }
                if (wantWritable && pending <= limit / 2) {
                    wantWritable = false;
                    fireWritable = true;
                }
            }
        }
        if (failure != null) {
            fail(new IpcException(ErrorCode.TRANSPORT_IO, "write failed: " + failure.getMessage(), failure));
            return;
        }
        updateInterest();
        if (shutdown) {
            shutdownNow();
        }
        if (fireWritable && !closed) {
            try {
                handler.onWritable(this);
            } catch (RuntimeException e) {
                handlerFailed(e);
            }
        }
    }

    /** One gathering write of as much of the queue as the kernel takes. Caller holds wlock. */
    private void writeQueued() throws IOException {
        while (pending > 0) {
            int n = 0;
            long offered = 0;
            for (Chunk c : queue) {
                if (n == MAX_GATHER) {
                    break;
                }
                c.buf.limit(c.w).position(c.r);
                gather[n++] = c.buf;
                offered += c.w - c.r;
            }
            long w = channel.write(gather, 0, n);
            consumed(w);
            if (w < offered) {
                socketFull = true; // the kernel buffer is full; OP_WRITE tells when it drains
                return;
            }
        }
    }

    /** Drops {@code bytes} written bytes from the head of the queue. Caller holds wlock. */
    private void consumed(long bytes) {
        pending -= bytes;
        while (bytes > 0) {
            Chunk c = queue.peekFirst();
            int n = (int) Math.min(bytes, c.w - c.r);
            c.r += n;
            bytes -= n;
            if (c.r == c.w) {
                queue.pollFirst();
                c.next = free;
                free = c;
            }
        }
        if (pending == 0 && free != null) {
            free.next = null; // idle: keep one chunk for the next message, let the GC have the rest
        }
        java.util.Arrays.fill(gather, null);
    }

    // ---- TLS -------------------------------------------------------------------------------------------------

    /** Drives the handshake as far as the socket allows. Loop thread. */
    private void handshake() {
        try {
            while (!closed) {
                SSLEngineResult.HandshakeStatus hs = tls.engine.getHandshakeStatus();
                switch (hs) {
                    case NEED_TASK:
                        runTasks();
                        break;
                    case NEED_WRAP:
                        synchronized (wlock) {
                            if (!tls.wrapAndWrite(null)) {
                                tls.handshakeWantsWrite = true;
                                updateInterest();
                                return;
                            }
                        }
                        if (tls.engine.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING) {
                            finishHandshake();
                            return;
                        }
                        break;
                    case NEED_UNWRAP:
                    case NEED_UNWRAP_AGAIN:
                        tls.handshakeWantsWrite = false;
                        int r = tls.unwrapHandshake(channel);
                        if (r < 0) {
                            throw new SSLException("connection closed during TLS handshake");
                        }
                        if (r == 0) {
                            updateInterest();
                            return;
                        }
                        break;
                    default: // FINISHED, NOT_HANDSHAKING
                        finishHandshake();
                        return;
                }
            }
        } catch (IOException e) {
            IpcException ie = new IpcException(ErrorCode.TLS_FAILED, "TLS handshake with " + remote + " failed: "
                    + e.getMessage(), e);
            LOG.debug("{}", ie.getMessage());
            fail(ie);
        }
    }

    private void finishHandshake() {
        tls.handshakeWantsWrite = false;
        opened();
    }

    private void runTasks() {
        Runnable t;
        while ((t = tls.engine.getDelegatedTask()) != null) {
            t.run(); // certificate checks: short, and keeping them here keeps the connection single-threaded
        }
    }

    private void readTls() {
        for (int round = 0; round < 8; round++) {
            if (closed || readSuspended || inputShut) {
                return;
            }
            int n = 0;
            try {
                if (!tls.netIn.hasRemaining()) {
                    tls.growNetIn();
                }
                n = channel.read(tls.netIn);
            } catch (IOException e) {
                fail(new IpcException(ErrorCode.TRANSPORT_IO, "read failed: " + e.getMessage(), e));
                return;
            }
            boolean eof = n < 0;
            boolean full = !tls.netIn.hasRemaining();
            tls.netIn.flip();
            boolean peerClosed = false;
            try {
                while (tls.netIn.hasRemaining() && !closed) {
                    if (!ensureRoom()) {
                        return;
                    }
                    SSLEngineResult res = tls.engine.unwrap(tls.netIn, in);
                    if (res.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_TASK) {
                        runTasks();
                    }
                    if (res.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_WRAP) {
                        // a post-handshake message (key update) to answer
                        synchronized (wlock) {
                            tls.wrapAndWrite(null);
                        }
                    }
                    SSLEngineResult.Status st = res.getStatus();
                    if (st == SSLEngineResult.Status.CLOSED) {
                        peerClosed = true;
                        break;
                    }
                    if (st == SSLEngineResult.Status.BUFFER_UNDERFLOW) {
                        break;
                    }
                    if (st == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                        deliver();
                        if (readSuspended) {
                            break;
                        }
                        continue;
                    }
                    if (readSuspended) {
                        break;
                    }
                    if (in.position() > 0 && in.remaining() < tls.engine.getSession().getApplicationBufferSize()) {
                        deliver();
                    }
                }
            } catch (SSLException e) {
                tls.netIn.compact();
                fail(new IpcException(ErrorCode.TLS_FAILED, "TLS record failed: " + e.getMessage(), e));
                return;
            } catch (IOException e) {
                tls.netIn.compact();
                fail(new IpcException(ErrorCode.TRANSPORT_IO, "write failed: " + e.getMessage(), e));
                return;
            }
            tls.netIn.compact();
            deliver();
            if (closed) {
                return;
            }
            if (peerClosed || eof) {
                // end of stream without close_notify is truncation; the protocol layer's length prefixes
                // detect a cut frame, so report it as end of input like plain TCP does
                endOfInput();
                return;
            }
            if (!full || n == 0) {
                return;
            }
        }
    }

    /** One chunk of the write queue: bytes [r, w) of buf are queued. */
    private static final class Chunk {
        final ByteBuffer buf = ByteBuffer.allocateDirect(CHUNK);
        int r;
        int w;
        /** The next chunk of the free stack. */
        Chunk next;
    }

    /** TLS state of one connection. Wrapping happens under wlock, unwrapping on the loop thread. */
    private final class Tls {
        final SSLEngine engine;
        ByteBuffer netIn;
        final ByteBuffer netOut;
        boolean handshakeWantsWrite;
        private final ByteBuffer empty = ByteBuffer.allocate(0);

        Tls(SSLEngine engine) {
            this.engine = engine;
            int packet = engine.getSession().getPacketBufferSize();
            this.netIn = ByteBuffer.allocateDirect(packet * 2);
            this.netOut = ByteBuffer.allocateDirect(packet * 4);
        }

        void growNetIn() {
            ByteBuffer b = ByteBuffer.allocateDirect(netIn.capacity() * 2);
            netIn.flip();
            b.put(netIn);
            netIn = b;
        }

        /**
         * Wraps queued plaintext (or a handshake/close message when {@code q} is null) and writes. Returns
         * false if the socket did not take everything. Caller holds wlock.
         */
        boolean wrapAndWrite(ArrayDeque<Chunk> q) throws IOException {
            if (!writeNet()) {
                return false;
            }
            while (true) {
                SSLEngineResult res;
                if (q == null) {
                    res = engine.wrap(empty, netOut);
                } else {
                    if (pending == 0) {
                        return true;
                    }
                    int n = 0;
                    for (Chunk c : q) {
                        if (n == MAX_GATHER) {
                            break;
                        }
                        c.buf.limit(c.w).position(c.r);
                        gather[n++] = c.buf;
                    }
                    res = engine.wrap(gather, 0, n, netOut);
                    consumed(res.bytesConsumed());
                }
                if (res.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_TASK) {
                    runTasks();
                }
                switch (res.getStatus()) {
                    case OK:
                        break;
                    case BUFFER_OVERFLOW:
                        if (!writeNet()) {
                            return false;
                        }
                        continue;
                    case CLOSED:
                        return writeNet();
                    default:
                        throw new SSLException("unexpected wrap status " + res.getStatus());
                }
                if (q == null) {
                    return writeNet();
                }
                if (netOut.remaining() < engine.getSession().getPacketBufferSize() && !writeNet()) {
                    return false;
                }
                if (pending == 0) {
                    return writeNet();
                }
            }
        }

        /** Writes netOut; true when it is empty afterwards. */
        boolean writeNet() throws IOException {
            if (netOut.position() == 0) {
                return true;
            }
            netOut.flip();
            channel.write(netOut);
            netOut.compact();
            return netOut.position() == 0;
        }

        /** Reads and unwraps handshake bytes: 1 progress, 0 needs more bytes, -1 end of stream. */
        int unwrapHandshake(SocketChannel ch) throws IOException {
            if (in == null) {
                in = loop.acquireReadBuffer(engine.getSession().getApplicationBufferSize());
            }
            netIn.flip();
            SSLEngineResult res = netIn.hasRemaining() ? engine.unwrap(netIn, in) : null;
            netIn.compact();
            if (res != null && res.getStatus() == SSLEngineResult.Status.OK) {
                return 1;
            }
            if (res != null && res.getStatus() == SSLEngineResult.Status.CLOSED) {
                return -1;
            }
            if (res != null && res.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                ensureRoom();
                return 1;
            }
            if (!netIn.hasRemaining()) {
                growNetIn();
            }
            int n = ch.read(netIn);
            if (n < 0) {
                return -1;
            }
            return n == 0 ? 0 : 1;
        }

        PeerCredentials withPrincipal(PeerCredentials base) {
            try {
                Principal p = engine.getSession().getPeerPrincipal();
                return new PeerCredentials(base.uid(), base.gid(), base.pid(), base.user(), base.group(),
                        p.getName());
            } catch (SSLPeerUnverifiedException none) {
                return base;
            }
        }
    }

    @Override
    public String toString() {
        return "Connection[" + id + " " + local + " -> " + remote + (closed ? " closed" : "") + "]";
    }
}
