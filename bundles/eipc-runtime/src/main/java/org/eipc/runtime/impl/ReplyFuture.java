package org.eipc.runtime.impl;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicInteger;

import org.eipc.api.IpcException;
import org.eipc.api.Message;

/**
 * The future of a request ({@link SessionImpl#request}, {@link SessionImpl#call}). It knows whether application code depends on it: every dependent
 * stage ({@code thenApply}, {@code whenComplete}, {@code orTimeout}, ...) is created through
 * {@link #newIncompleteFuture()}, and every combination with another stage or raw access goes through
 * {@link #toCompletableFuture()}; both mark it. A thread blocked in {@code join()} or {@code get()} does neither.
 *
 * <p>So a reply can complete it right on the transport's I/O thread when nothing but waiting threads depend on it
 * ({@link #completeIfOnlyWaited}): the waiting caller is woken directly instead of through a delivery-pool thread
 * first, which saves a thread hand-off per round trip. That is always the case for {@link SessionImpl#call}, which
 * never hands its future out; a {@code request()} future the application blocks on has been through
 * {@code toCompletableFuture()} and so counts as attached (a stage obtained that way can be combined with anything).
 * Once something is attached the reply takes the session's usual delivery path, and completions from the timer or an
 * I/O thread go to the delivery pool ({@link #settle}), so application code attached to a request never runs on an
 * I/O or timer thread and stays ordered with the session's handlers.
 *
 * <p>The race between attaching and completing is closed by a state word: attaching moves OPEN to ATTACHED, an
 * inline completion moves OPEN to SETTLING, completes, and moves on to SETTLED; a stage attached while SETTLING
 * waits until then (the completing thread only sets the value and wakes blocked callers), so its action runs on
 * the attaching thread, as for any completed future, never on the completing one.
 */
final class ReplyFuture extends CompletableFuture<Message> {
    private static final int OPEN = 0;
    private static final int ATTACHED = 1;
    private static final int SETTLING = 2;
    private static final int SETTLED = 3;

    private final AtomicInteger state = new AtomicInteger(OPEN);
    private final boolean blockingCall;
    /** The request's deadline timer, cancelled on completion; null until scheduled. */
    private volatile ScheduledFuture<?> deadline;

    /** @param blockingCall for {@link SessionImpl#call}: never handed out, its caller blocks on it */
    ReplyFuture(boolean blockingCall) {
        this.blockingCall = blockingCall;
    }

    /** For {@link SessionImpl#call}: never handed out, so no application code can depend on it. */
    boolean blockingCall() {
        return blockingCall;
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        attached();
        return new CompletableFuture<>();
    }

    @Override
    public CompletableFuture<Message> toCompletableFuture() {
        attached();
        return this;
    }

    private void attached() {
        int s = state.get();
        if (s == OPEN && state.compareAndSet(OPEN, ATTACHED)) {
            return;
        }
        // An inline completion is under way: wait until complete() has returned on the completing thread. Waiting
        // for the value alone is not enough: CompletableFuture reads the result before it creates the dependent,
        // and a dependent pushed while complete() still walks the stack may be run by the completing thread.
        while (state.get() == SETTLING) {
            Thread.onSpinWait(); // the completing thread only sets the value and wakes blocked callers
        }
    }

    /** True while no application code depends on this future (only waiting threads, if any). */
    boolean onlyWaited() {
        return state.get() == OPEN;
    }

    /** The deadline timer to cancel when this completes (cancelled at once when it already has). */
    void deadline(ScheduledFuture<?> timer) {
        deadline = timer;
        if (isDone()) {
            timer.cancel(false);
        }
    }

    /**
     * Completes with {@code reply} (or {@code failure} when not null) on this thread, if nothing but waiting threads
     * depend on it.
     *
     * @return false, doing nothing, when application code is attached
     */
    boolean completeIfOnlyWaited(Message reply, IpcException failure) {
        if (!state.compareAndSet(OPEN, SETTLING)) {
            return false;
        }
        try {
            finish(reply, failure);
        } finally {
            state.set(SETTLED);
        }
        return true;
    }

    /**
     * Completes with {@code reply} (or {@code failure} when not null): on this thread when {@code elsewhere} is null
     * (the caller may run application code) or nothing is attached, else on {@code elsewhere} (an I/O or timer thread
     * must not run application code); on this thread too when {@code elsewhere} refuses the task (shut down).
     */
    void settle(Message reply, IpcException failure, Executor elsewhere) {
        if (elsewhere == null) {
            finish(reply, failure);
            return;
        }
        if (completeIfOnlyWaited(reply, failure)) {
            return;
        }
        try {
            elsewhere.execute(() -> finish(reply, failure));
        } catch (RejectedExecutionException shutDown) {
            finish(reply, failure);
        }
    }

    private void finish(Message reply, IpcException failure) {
        ScheduledFuture<?> t = deadline;
        if (t != null) {
            t.cancel(false);
        }
        if (failure != null) {
            completeExceptionally(failure);
        } else {
            complete(reply);
        }
    }
}
