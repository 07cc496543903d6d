package org.eipc.keyring.support;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a keyring's check of its source on one thread: every {@code period}, and at once when a file system event
 * in the watched directory concerns the source (a {@link WatchService} on a second thread; without one the periodic
 * check is the fallback). A check that throws is logged and runs again next time. {@link #close()} stops both
 * threads.
 */
public final class SourceWatch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SourceWatch.class);

    private final String what;
    private final Runnable check;
    private final Predicate<Path> relevant;
    private final ScheduledExecutorService checker;
    private final WatchService watcher;
    private final Thread watchThread;

    /**
     * @param what the source in log lines, e.g. {@code "key directory /etc/eipc/keys"}
     * @param dir the directory to watch
     * @param relevant which entry names of {@code dir} concern the source; {@code null}: all of them
     * @param check the check; runs on the check thread only
     * @param period the fallback period
     * @param threadPrefix names the threads {@code <prefix>-<checkName>} and {@code <prefix>-watch}
     * @param checkName e.g. {@code scan} or {@code check}
     */
    public SourceWatch(final String what, final Path dir, final Predicate<Path> relevant, final Runnable check,
            final Duration period, final String threadPrefix, final String checkName) {
        this.what = what;
        this.check = check;
        this.relevant = relevant;
        this.checker = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, threadPrefix + "-" + checkName));
        checker.scheduleWithFixedDelay(this::checkQuietly, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
        WatchService ws = null;
        try {
            ws = dir.getFileSystem().newWatchService();
            dir.register(ws, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_DELETE,
                    StandardWatchEventKinds.ENTRY_MODIFY);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.warn("no change notification for {}; relying on the check every {} s", what, period.getSeconds());
            closeQuietly(ws);
            ws = null;
        }
        this.watcher = ws;
        this.watchThread = ws == null ? null : daemon(this::watchLoop, threadPrefix + "-watch");
        if (watchThread != null) {
            watchThread.start();
        }
    }

    private static Thread daemon(final Runnable r, final String name) {
        final Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private void watchLoop() {
        try {
            while (true) {
                final WatchKey key = watcher.take();
                boolean ours = false;
                for (final WatchEvent<?> event : key.pollEvents()) {
                    // every entry counts without a filter; an OVERFLOW event has no context: check to be safe
                    ours = ours || relevant == null || event.context() == null
                            || relevant.test((Path) event.context());
                }
                final boolean valid = key.reset();
                if (ours) {
                    try {
                        checker.execute(this::checkQuietly);
                    } catch (RejectedExecutionException e) {
                        return; // closing
                    }
                }
                if (!valid) {
                    LOG.warn("{} is no longer watched (removed?); relying on the periodic check", what);
                    return;
                }
            }
        } catch (ClosedWatchServiceException | InterruptedException e) {
            // closing
        }
    }

    private void checkQuietly() {
        try {
            check.run();
        } catch (RuntimeException e) {
            // a scheduled task that throws is never run again: log and keep going
            LOG.error("check of {} failed", what, e);
        }
    }

    /** True while the watch or check thread is alive. */
    public boolean threadsAlive() {
        return (watchThread != null && watchThread.isAlive()) || !checker.isTerminated();
    }

    /** Stops both threads, waiting up to 5 s for each. */
    @Override
    public void close() {
        closeQuietly(watcher);
        checker.shutdownNow();
        try {
            if (watchThread != null) {
                watchThread.join(5000);
            }
            checker.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(final WatchService ws) {
        if (ws != null) {
            try {
                ws.close();
            } catch (IOException e) {
                // nothing more to release
            }
        }
    }
}
