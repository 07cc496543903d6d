package org.eipc.runtime.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import org.eipc.api.ErrorCode;
import org.eipc.api.Header;
import org.eipc.api.IpcException;
import org.eipc.api.Message;
import org.eipc.api.MessageType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A request's future completes on the I/O thread only while nothing but waiting threads depend on it; application
 * code attached to it never runs on the completing (I/O or timer) thread.
 */
class ReplyFutureTest {
    private static final Message REPLY = Message.of(MessageType.ACK, Header.builder().requestId("r").build(),
            new byte[] {1});
    private final ExecutorService pool = Executors.newSingleThreadExecutor(r -> new Thread(r, "test-pool"));
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        pool.shutdownNow();
        timer.shutdownNow();
    }

    @Test
    void aBlockedCallerIsWokenByTheCompletingThread() throws Exception {
        ReplyFuture f = new ReplyFuture(false);
        AtomicReference<Message> got = new AtomicReference<>();
        Thread caller = new Thread(() -> got.set(f.join()));
        caller.start();
        while (caller.getState() != Thread.State.WAITING) {
            Thread.onSpinWait();
        }
        assertTrue(f.onlyWaited(), "join() does not count as application code");
        assertTrue(f.completeIfOnlyWaited(REPLY, null));
        caller.join(10_000);
        assertSame(REPLY, got.get());
    }

    /** Each way of attaching application code marks the future, and its code then runs on the pool. */
    @Test
    void attachedCodeRunsElsewhere() throws Exception {
        java.util.List<Consumer<CompletableFuture<Message>>> ways = java.util.List.of(
            f -> f.thenApply(m -> m),
            f -> f.thenAccept(m -> { }),
            f -> f.whenComplete((m, e) -> { }),
            f -> f.handle((m, e) -> m),
            f -> f.exceptionally(e -> null),
            f -> f.thenCompose(CompletableFuture::completedFuture),
            f -> f.orTimeout(1, TimeUnit.MINUTES),
            f -> new CompletableFuture<Message>().thenCombine(f, (a, b) -> a),
            f -> new CompletableFuture<Message>().applyToEither(f, m -> m),
            f -> CompletableFuture.allOf(f.toCompletableFuture()));
        for (Consumer<CompletableFuture<Message>> way : ways) {
            ReplyFuture f = new ReplyFuture(false);
            way.accept(f);
            assertFalse(f.onlyWaited());
            assertFalse(f.completeIfOnlyWaited(REPLY, null), "refused once something is attached");
            assertFalse(f.isDone());
            AtomicReference<String> ranOn = new AtomicReference<>();
            CountDownLatch ran = new CountDownLatch(1);
            f.whenComplete((m, e) -> {
                ranOn.set(Thread.currentThread().getName());
                ran.countDown();
            });
            f.settle(REPLY, null, pool);
            assertTrue(ran.await(10, TimeUnit.SECONDS));
            assertEquals("test-pool", ranOn.get());
        }
    }

    /**
     * Attaching and completing at the same time: the attached action never runs on the completing thread (an I/O
     * thread in the runtime). Nothing here joins the future: a thread returning from join() helps run dependents,
     * which is the caller's own thread and allowed.
     */
    @Test
    void attachingWhileCompletingNeverRunsOnTheCompletingThread() throws Exception {
        for (int i = 0; i < 5_000; i++) {
            ReplyFuture f = new ReplyFuture(false);
            AtomicReference<Thread> ranOn = new AtomicReference<>();
            CountDownLatch go = new CountDownLatch(1);
            Thread attacher = new Thread(() -> {
                await(go);
                f.thenRun(() -> ranOn.set(Thread.currentThread()));
            }, "attacher");
            Thread io = new Thread(() -> {
                await(go);
                f.settle(REPLY, null, pool);
            }, "io");
            attacher.start();
            io.start();
            go.countDown();
            attacher.join(10_000);
            io.join(10_000);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (ranOn.get() == null && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertNotEquals(null, ranOn.get(), "round " + i);
            assertNotEquals("io", ranOn.get().getName(), "round " + i);
        }
    }

    private static void await(CountDownLatch go) {
        try {
            go.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void failuresAndDeadlines() throws Exception {
        ReplyFuture f = new ReplyFuture(false);
        ScheduledFuture<?> t = timer.schedule(() -> { }, 1, TimeUnit.HOURS);
        f.deadline(t);
        IpcException boom = new IpcException(ErrorCode.REQUEST_TIMEOUT, "late");
        f.settle(null, boom, null);
        assertTrue(t.isCancelled(), "completing cancels the deadline timer");
        assertTrue(f.isCompletedExceptionally());
        // a deadline set after completion is cancelled at once
        ScheduledFuture<?> late = timer.schedule(() -> { }, 1, TimeUnit.HOURS);
        f.deadline(late);
        assertTrue(late.isCancelled());
        // a shut-down pool: completed here rather than never
        ReplyFuture g = new ReplyFuture(false);
        g.thenApply(m -> m);
        pool.shutdownNow();
        g.settle(REPLY, null, pool);
        assertSame(REPLY, g.join());
    }
}
