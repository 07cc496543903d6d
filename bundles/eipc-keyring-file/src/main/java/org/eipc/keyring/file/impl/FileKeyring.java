package org.eipc.keyring.file.impl;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;
import org.eipc.spi.keyring.KeyEntry;
import org.eipc.spi.keyring.KeyringListener;
import org.eipc.spi.keyring.KeyringProvider;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.eipc.keyring.support.KeyRotation;

/**
 * A keyring over a private directory, one file per key (format and permission rules: {@link KeyDirectory};
 * current key, rotation and overlap: {@link KeyRotation}).
 *
 * <p>Changes are picked up while running: a {@link WatchService} thread asks for a rescan whenever the directory
 * changes, and a rescan also runs every {@code rescanSeconds} as a fallback (and to retire keys whose overlap
 * ended). Rescans run on one thread, which also calls the listeners, only when the current key or the accepted
 * keys changed. Both threads stop on deactivation.
 *
 * <p>Configuration PID {@value #PID}; required, since there is no safe default directory.
 */
@Component(service = KeyringProvider.class, configurationPid = FileKeyring.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE,
        property = KeyringProvider.PROP_NAME + "=" + FileKeyring.NAME)
@Designate(ocd = FileKeyringConfig.class)
public final class FileKeyring implements KeyringProvider {
    private static final Logger LOG = LoggerFactory.getLogger(FileKeyring.class);

    /** Configuration PID. */
    public static final String PID = "org.eipc.keyring.file";

    /** The value of {@link KeyringProvider#PROP_NAME}. */
    public static final String NAME = "file";

    private final KeyDirectory directory;
    private final KeyRotation rotation;
    private final List<KeyringListener> listeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService scanner;
    private final WatchService watcher;
    private final Thread watchThread;

    @Activate
    public FileKeyring(FileKeyringConfig config) {
        this(directoryOf(config.directory()), config.currentKeyId(), seconds("overlapSeconds", config.overlapSeconds(), 0, 604_800),
                seconds("rescanSeconds", config.rescanSeconds(), 1, 3600), Clock.systemUTC(), true);
    }

    /**
     * @param rescan period of the fallback rescan
     * @param watch whether to start the watch and rescan threads (tests drive {@link #refresh()} themselves when
     *        false)
     * @throws IpcException {@link ErrorCode#CONFIG_INVALID} when the directory is missing or not private
     */
    FileKeyring(Path directory, String currentKeyId, Duration overlap, Duration rescan, Clock clock, boolean watch) {
        if (overlap.isNegative()) {
            throw new IpcException(ErrorCode.CONFIG_INVALID, "overlapSeconds=" + overlap.getSeconds() + " is negative");
        }
        this.directory = new KeyDirectory(directory);
        this.rotation = new KeyRotation(currentKeyId, overlap, clock);
        this.directory.checkDirectory();
        rotation.update(this.directory.scan());
        if (!watch) {
            scanner = null;
            watcher = null;
            watchThread = null;
            return;
        }
        scanner = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "eipc-keyring-file-scan"));
        scanner.scheduleWithFixedDelay(this::refreshQuietly, rescan.toMillis(), rescan.toMillis(), TimeUnit.MILLISECONDS);
        WatchService ws = null;
        try {
            ws = directory.getFileSystem().newWatchService();
            directory.register(ws, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_DELETE,
                    StandardWatchEventKinds.ENTRY_MODIFY);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.warn("no change notification for {}; relying on the rescan every {} s", directory, rescan.getSeconds());
            closeQuietly(ws);
            ws = null;
        }
        watcher = ws;
        watchThread = ws == null ? null : daemon(this::watchLoop, "eipc-keyring-file-watch");
        if (watchThread != null) {
            watchThread.start();
        }
        LOG.debug("file keyring on {} activated", directory);
    }

    private static Path directoryOf(String dir) {
        if (dir == null || dir.isBlank()) {
            throw new IpcException(ErrorCode.CONFIG_INVALID, "directory is required");
        }
        Path p = Path.of(dir);
        if (!p.isAbsolute()) {
            throw new IpcException(ErrorCode.CONFIG_INVALID, "directory=" + dir + " is not absolute");
        }
        return p;
    }

    private static Duration seconds(String name, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IpcException(ErrorCode.CONFIG_INVALID, name + "=" + value + " outside [" + min + ", " + max + "]");
        }
        return Duration.ofSeconds(value);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private void watchLoop() {
        try {
            while (true) {
                WatchKey key = watcher.take();
                key.pollEvents(); // which file changed does not matter: the whole directory is rescanned
                boolean valid = key.reset();
                try {
                    scanner.execute(this::refreshQuietly);
                } catch (RejectedExecutionException e) {
                    return; // deactivating
                }
                if (!valid) {
                    LOG.warn("key directory {} is no longer watched (removed?); relying on the rescan", directory.path());
                    return;
                }
            }
        } catch (ClosedWatchServiceException | InterruptedException e) {
            // deactivating
        }
    }

    /**
     * Rescans the directory, retires keys whose overlap ended and tells the listeners when anything they see
     * changed. Runs on the scan thread (or the test thread when no threads were started).
     */
    void refresh() {
        boolean changed;
        try {
            changed = rotation.update(directory.scan());
        } catch (IpcException e) {
            // the directory vanished or was opened up: hold no keys (the current one retires after the overlap)
            LOG.error("key directory refused, no keys loaded from it: {}", e.getMessage());
            changed = rotation.update(List.of());
        }
        changed |= rotation.expire();
        if (changed) {
            for (KeyringListener l : listeners) {
                try {
                    l.keysChanged(this);
                } catch (RuntimeException e) {
                    LOG.warn("keyring listener {} failed", l, e);
                }
            }
        }
    }

    private void refreshQuietly() {
        try {
            refresh();
        } catch (RuntimeException e) {
            // a scheduled task that throws is never run again: log and keep going
            LOG.error("key directory rescan failed", e);
        }
    }

    @Deactivate
    void close() {
        if (scanner == null) {
            return;
        }
        closeQuietly(watcher);
        scanner.shutdownNow();
        try {
            if (watchThread != null) {
                watchThread.join(5000);
            }
            scanner.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.debug("file keyring on {} deactivated", directory.path());
    }

    private static void closeQuietly(WatchService ws) {
        if (ws != null) {
            try {
                ws.close();
            } catch (IOException e) {
                // nothing more to release
            }
        }
    }

    /** True while a watch or scan thread is alive; for tests. */
    boolean threadsAlive() {
        return (watchThread != null && watchThread.isAlive()) || (scanner != null && !scanner.isTerminated());
    }

    KeyDirectory directory() {
        return directory;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public KeyEntry current() {
        return rotation.current();
    }

    @Override
    public List<KeyEntry> accepted() {
        return rotation.accepted();
    }

    @Override
    public Optional<KeyEntry> find(String keyId) {
        return rotation.find(keyId);
    }

    @Override
    public void addListener(KeyringListener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeListener(KeyringListener listener) {
        listeners.remove(listener);
    }

    @Override
    public String toString() {
        return "FileKeyring[" + directory.path() + "]";
    }
}
