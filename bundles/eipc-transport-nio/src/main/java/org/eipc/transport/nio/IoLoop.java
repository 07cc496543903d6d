package org.eipc.transport.nio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One selector thread. All handler calls, reads, TLS work and queued flushes of the connections registered
 * here run on this thread, which is what makes handler calls for one connection sequential.
 */
final class IoLoop implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(IoLoop.class);
    /** Read buffers kept for reuse; beyond this, released buffers go to the GC. */
    private static final int POOLED_READ_BUFFERS = 32;

    private final Selector selector;
    private final Thread thread;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    /** True while the loop is not (about to be) blocked in select, so execute() can skip the wakeup syscall. */
    private final AtomicBoolean awake = new AtomicBoolean(true);
    private final ArrayDeque<ByteBuffer> readBuffers = new ArrayDeque<>();
    private final int readBufferSize;
    /** Accepted TLS connections still in their handshake, oldest first (all share one timeout). Loop only. */
    private final ArrayDeque<NioConnection> handshakes = new ArrayDeque<>();
    private volatile boolean running = true;

    IoLoop(String name, int readBufferSize) throws IOException {
        this.selector = Selector.open();
        this.readBufferSize = readBufferSize;
        this.thread = new Thread(this, name);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    Selector selector() {
        return selector;
    }

    /** Runs {@code task} on the loop thread, soon. From the loop thread itself, after the current event. */
    void execute(Runnable task) {
        if (!running) {
            throw new IllegalStateException("I/O loop stopped");
        }
        tasks.add(task);
        if (!inLoop() && awake.compareAndSet(false, true)) {
            selector.wakeup();
        }
    }

    boolean isRunning() {
        return running;
    }

    ByteBuffer acquireReadBuffer(int minSize) {
        if (minSize <= readBufferSize) {
            ByteBuffer b = readBuffers.poll();
            if (b != null) {
                return b;
            }
            return ByteBuffer.allocateDirect(readBufferSize);
        }
        return ByteBuffer.allocateDirect(minSize);
    }

    void releaseReadBuffer(ByteBuffer b) {
        if (b != null && b.isDirect() && b.capacity() == readBufferSize && readBuffers.size() < POOLED_READ_BUFFERS) {
            b.clear();
            readBuffers.add(b);
        }
    }

    @Override
    public void run() {
        try {
            while (running) {
                awake.set(false);
                if (!tasks.isEmpty()) {
                    selector.selectNow();
                } else if (!handshakes.isEmpty()) {
                    selector.select(250); // wake up to expire handshakes that never finish
                } else {
                    selector.select();
                }
                awake.set(true);
                Iterator<SelectionKey> it = selector.selectedKeys().iterator();
                while (it.hasNext()) {
                    SelectionKey k = it.next();
                    it.remove();
                    Object a = k.attachment();
                    if (k.isValid() && a instanceof Selectable) {
                        ((Selectable) a).ready(k);
                    }
                }
                runTasks();
                expireHandshakes();
            }
        } catch (IOException | ClosedSelectorException e) {
            LOG.error("I/O loop {} failed", thread.getName(), e);
        } finally {
            running = false;
            shutdown();
        }
    }

    /** Loop thread: watch an accepted connection's handshake; it fails if not open by its deadline. */
    void watchHandshake(NioConnection c) {
        handshakes.add(c);
    }

    private void expireHandshakes() {
        long now = System.nanoTime();
        while (!handshakes.isEmpty()) {
            NioConnection c = handshakes.peekFirst();
            if (c.handshakeSettled()) {
                handshakes.pollFirst();
            } else if (now - c.handshakeDeadline() > 0) {
                handshakes.pollFirst();
                c.handshakeExpired();
            } else {
                return;
            }
        }
    }

    private void runTasks() {
        // only what is queued now, so a task that re-queues itself cannot starve the selector
        for (int n = tasks.size(); n > 0; n--) {
            Runnable t = tasks.poll();
            if (t == null) {
                break;
            }
            try {
                t.run();
            } catch (RuntimeException e) {
                LOG.error("task failed on I/O loop {}", thread.getName(), e);
            }
        }
    }

    /** Closes everything still registered: connections report onClose(CONNECTION_CLOSED). */
    private void shutdown() {
        runTasks();
        try {
            for (SelectionKey k : selector.keys()) {
                Object a = k.attachment();
                if (a instanceof Selectable) {
                    try {
                        ((Selectable) a).forceClose();
                    } catch (RuntimeException e) {
                        LOG.warn("close on shutdown failed", e);
                    }
                }
            }
            runTasks();
            selector.close();
        } catch (IOException | ClosedSelectorException e) {
            LOG.debug("selector close", e);
        }
        readBuffers.clear();
    }

    /** Asks the loop to stop; it closes what is registered and exits. */
    void stop() {
        running = false;
        selector.wakeup();
    }

    void join(long millis) throws InterruptedException {
        thread.join(millis);
    }

    boolean isAlive() {
        return thread.isAlive();
    }

    /** Something registered with the selector. */
    interface Selectable {
        void ready(SelectionKey key);

        /** Closes at once, on the loop thread, during loop shutdown. */
        void forceClose();
    }
}
