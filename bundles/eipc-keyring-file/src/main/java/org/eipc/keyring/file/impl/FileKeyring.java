package org.eipc.keyring.file.impl;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;
import org.eipc.keyring.support.KeyRotation;
import org.eipc.keyring.support.RotatingKeyring;
import org.eipc.keyring.support.SourceWatch;
import org.eipc.spi.keyring.KeyringProvider;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
public final class FileKeyring extends RotatingKeyring {
    private static final Logger LOG = LoggerFactory.getLogger(FileKeyring.class);

    /** Configuration PID. */
    public static final String PID = "org.eipc.keyring.file";

    /** The value of {@link KeyringProvider#PROP_NAME}. */
    public static final String NAME = "file";

    private final KeyDirectory directory;
    private final SourceWatch watch;

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
        super(currentKeyId, overlap, clock);
        this.directory = new KeyDirectory(directory);
        this.directory.checkDirectory();
        rotation().update(this.directory.scan());
        // any change in the directory may concern a key: rescan on every event
        this.watch = watch ? new SourceWatch("key directory " + directory, directory, null, this::refresh, rescan,
                "eipc-keyring-file", "scan") : null;
        if (watch) {
            LOG.debug("file keyring on {} activated", directory);
        }
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

    /**
     * Rescans the directory, retires keys whose overlap ended and tells the listeners when anything they see
     * changed. Runs on the scan thread (or the test thread when no threads were started).
     */
    void refresh() {
        boolean changed;
        try {
            changed = rotation().update(directory.scan());
        } catch (IpcException e) {
            // the directory vanished or was opened up: hold no keys (the current one retires after the overlap)
            LOG.error("key directory refused, no keys loaded from it: {}", e.getMessage());
            changed = rotation().update(List.of());
        }
        publish(changed);
    }

    @Deactivate
    void close() {
        if (watch == null) {
            return;
        }
        watch.close();
        LOG.debug("file keyring on {} deactivated", directory.path());
    }

    /** True while a watch or scan thread is alive; for tests. */
    boolean threadsAlive() {
        return watch != null && watch.threadsAlive();
    }

    KeyDirectory directory() {
        return directory;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String toString() {
        return "FileKeyring[" + directory.path() + "]";
    }
}
