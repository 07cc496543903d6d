package org.eipc.keyring.pkcs12.impl;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;

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
public final class Pkcs12Keyring extends RotatingKeyring {
    private static final Logger LOG = LoggerFactory.getLogger(Pkcs12Keyring.class);

    /** Configuration PID. */
    public static final String PID = "org.eipc.keyring.pkcs12";

    /** The value of {@link KeyringProvider#PROP_NAME}. */
    public static final String NAME = "pkcs12";

    private final KeyStoreFile file;
    private final char[] password;
    private final SourceWatch watch;
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
        super(currentKeyId, overlap, clock);
        this.file = new KeyStoreFile(path);
        this.password = password;
        KeyStoreFile.Stamp stamp = file.stamp();
        try {
            rotation().update(file.load(password));
        } catch (IpcException e) {
            Arrays.fill(password, '\0');
            throw e;
        }
        loaded = stamp;
        // events for other files of the directory do not concern the store
        final Path name = path.getFileName();
        this.watch = watch ? new SourceWatch("key store " + path, path.toAbsolutePath().getParent(), name::equals,
                this::refresh, rescan, "eipc-keyring-pkcs12", "check") : null;
        if (watch) {
            LOG.debug("PKCS#12 keyring on {} activated", path);
        }
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
            changed = rotation().update(List.of());
        }
        if (stamp != null && !stamp.equals(loaded)) {
            refused = false;
            loaded = stamp; // also on failure: retry when the file changes again, not at every check
            try {
                changed = rotation().update(file.load(password));
            } catch (IpcException e) {
                // unparseable (perhaps caught half-written): keep the keys loaded before
                LOG.warn("key store not reloaded, keeping the keys loaded before: {}", e.getMessage());
            }
        }
        publish(changed);
    }

    @Deactivate
    void close() {
        if (watch != null) {
            watch.close();
        }
        Arrays.fill(password, '\0');
        LOG.debug("PKCS#12 keyring on {} deactivated", file.path());
    }

    /** True while a watch or check thread is alive; for tests. */
    boolean threadsAlive() {
        return watch != null && watch.threadsAlive();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String toString() {
        return "Pkcs12Keyring[" + file.path() + "]";
    }
}
