package org.eipc.keyring.pkcs12.impl;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

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
 * A keyring over the secret-key entries of a PKCS#12 key store (reading rules: {@link KeyStoreFile}; current
 * key, rotation and overlap: {@link KeyRotation}, the same rules as the directory keyring).
 *
 * <p>The store is reloaded when the file changes: a {@link WatchService} on its directory asks for a check on
 * any event for the file's name, and a check also runs every {@code rescanSeconds}. A check reloads only when
 * the file's identity, size or modification time changed. A reload that fails because the file cannot be
 * parsed (for example caught half-written) keeps the keys loaded before and is retried at the next check; a
 * file that was opened up to group or others, or removed, yields no keys (the current one retires after the
 * overlap). Listeners are called on the check thread. Both threads stop on deactivation.
 *
 * <p>The password (configured, or read once from the environment variable named by {@code passwordEnv}) is
 * kept as a {@code char[]} for reloads, wiped on deactivation, and never logged.
 *
 * <p>Configuration PID {@value #PID}; required.
 */
@Component(service = KeyringProvider.class, configurationPid = Pkcs12Keyring.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE,
        property = KeyringProvider.PROP_NAME + "=" + Pkcs12Keyring.NAME)
@Designate(ocd = Pkcs12KeyringConfig.class)
public final class Pkcs12Keyring implements KeyringProvider {
    private static final Logger LOG = LoggerFactory.getLogger(Pkcs12Keyring.class);

    /** Configuration PID. */
    public static final String PID = "org.eipc.keyring.pkcs12";

    /** The value of {@link KeyringProvider#PROP_NAME}. */
    public static final String NAME = "pkcs12";

    private final KeyStoreFile file;
    private final char[] password;
    private final KeyRotation rotation;
    private final List<KeyringListener> listeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService checker;
    private final WatchService watcher;
    private final Thread watchThread;
    // only touched by the check thread (or the constructor)
    private KeyStoreFile.Stamp loaded;
    private boolean refused;

    @Activate
    public Pkcs12Keyring(Pkcs12KeyringConfig config) {
        this(pathOf(config.path()), password(config._password(), config.passwordEnv(), System::getenv),
                config.currentKeyId(), seconds("overlapSeconds", config.overlapSeconds(), 0, 604_800),
                seconds("rescanSeconds", config.rescanSeconds(), 1, 3600), Clock.systemUTC(), true);
    }

    /**
     * @param password taken over (wiped on {@link #close()})
     * @param watch whether to start the watch and check threads (tests call {@link #refresh()} when false)
     * @throws IpcException {@link ErrorCode#CONFIG_INVALID} when the store is missing, not private, or cannot be
     *         opened with the password
     */
    Pkcs12Keyring(Path path, char[] password, String currentKeyId, Duration overlap, Duration rescan, Clock clock,
            boolean watch) {
        if (overlap.isNegative()) {
            throw new IpcException(ErrorCode.CONFIG_INVALID, "overlapSeconds=" + overlap.getSeconds() + " is negative");
        }
        this.file = new KeyStoreFile(path);
        this.password = password;
        this.rotation = new KeyRotation(currentKeyId, overlap, clock);
        KeyStoreFile.Stamp stamp = file.stamp();
        try {
            rotation.update(file.load(password));
        } catch (IpcException e) {
            Arrays.fill(password, '\0');
            throw e;
        }
        loaded = stamp;
        if (!watch) {
            checker = null;
            watcher = null;
            watchThread = null;
            return;
        }
        checker = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "eipc-keyring-pkcs12-check"));
        checker.scheduleWithFixedDelay(this::refreshQuietly, rescan.toMillis(), rescan.toMillis(), TimeUnit.MILLISECONDS);
        Path dir = path.toAbsolutePath().getParent();
        WatchService ws = null;
        try {
            ws = dir.getFileSystem().newWatchService();
            dir.register(ws, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_DELETE,
                    StandardWatchEventKinds.ENTRY_MODIFY);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.warn("no change notification for {}; relying on the check every {} s", path, rescan.getSeconds());
            closeQuietly(ws);
            ws = null;
        }
        watcher = ws;
        watchThread = ws == null ? null : daemon(this::watchLoop, "eipc-keyring-pkcs12-watch");
        if (watchThread != null) {
            watchThread.start();
        }
        LOG.debug("PKCS#12 keyring on {} activated", path);
    }

    /**
     * The password from the configuration, else from the environment variable it names.
     *
     * @param env looks up environment variables ({@code System::getenv} outside tests)
     */
    static char[] password(String configured, String envName, UnaryOperator<String> env) {
        if (configured != null && !configured.isEmpty()) {
            return configured.toCharArray();
        }
        if (envName == null || envName.isBlank()) {
            throw new IpcException(ErrorCode.CONFIG_INVALID, "password or passwordEnv is required");
        }
        String value = env.apply(envName);
        if (value == null || value.isEmpty()) {
            throw new IpcException(ErrorCode.CONFIG_INVALID, "environment variable " + envName + " (passwordEnv) is not set");
        }
        return value.toCharArray();
    }

    private static Path pathOf(String p) {
        if (p == null || p.isBlank()) {
            throw new IpcException(ErrorCode.CONFIG_INVALID, "path is required");
        }
        Path path = Path.of(p);
        if (!path.isAbsolute()) {
            throw new IpcException(ErrorCode.CONFIG_INVALID, "path=" + p + " is not absolute");
        }
        return path;
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
        final Path name = file.path().getFileName();
        try {
            while (true) {
                WatchKey key = watcher.take();
                boolean ours = false;
                for (WatchEvent<?> event : key.pollEvents()) {
                    // an OVERFLOW event has no context: check to be safe
                    ours |= event.context() == null || name.equals(event.context());
                }
                boolean valid = key.reset();
                if (ours) {
                    try {
                        checker.execute(this::refreshQuietly);
                    } catch (RejectedExecutionException e) {
                        return; // deactivating
                    }
                }
                if (!valid) {
                    LOG.warn("directory of {} is no longer watched; relying on the periodic check", file.path());
                    return;
                }
            }
        } catch (ClosedWatchServiceException | InterruptedException e) {
            // deactivating
        }
    }

    /**
     * Reloads the store if the file changed, retires keys whose overlap ended, and tells the listeners when
     * anything they see changed.
     */
    void refresh() {
        boolean changed = false;
        KeyStoreFile.Stamp stamp = null;
        try {
            stamp = file.stamp();
        } catch (IpcException e) {
            // removed, or opened up to group or others: hold no keys (the current one retires after the overlap)
            if (!refused) {
                LOG.error("key store refused, no keys loaded from it: {}", e.getMessage());
            }
            refused = true;
            loaded = null;
            changed = rotation.update(List.of());
        }
        if (stamp != null && !stamp.equals(loaded)) {
            refused = false;
            loaded = stamp; // also on failure: retry when the file changes again, not at every check
            try {
                changed = rotation.update(file.load(password));
            } catch (IpcException e) {
                // unparseable (perhaps caught half-written): keep the keys loaded before
                LOG.warn("key store not reloaded, keeping the keys loaded before: {}", e.getMessage());
            }
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
            LOG.error("key store check failed", e);
        }
    }

    @Deactivate
    void close() {
        if (checker != null) {
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
        Arrays.fill(password, '\0');
        LOG.debug("PKCS#12 keyring on {} deactivated", file.path());
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

    /** True while a watch or check thread is alive; for tests. */
    boolean threadsAlive() {
        return (watchThread != null && watchThread.isAlive()) || (checker != null && !checker.isTerminated());
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
        return "Pkcs12Keyring[" + file.path() + "]";
    }
}
