package org.eipc.keyring.support;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;
import org.eipc.spi.keyring.KeyEntry;
import org.eipc.spi.keyring.KeyringListener;
import org.eipc.spi.keyring.KeyringProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The part every keyring over a re-read source shares: the {@link KeyRotation} (current key, overlap, retirement),
 * the listeners, and the {@link KeyringProvider} methods over them. A subclass loads its source into
 * {@link #rotation()} and calls {@link #publish(boolean)} after each re-read.
 */
public abstract class RotatingKeyring implements KeyringProvider {
    private static final Logger LOG = LoggerFactory.getLogger(RotatingKeyring.class);

    private final KeyRotation rotation;
    private final List<KeyringListener> listeners = new CopyOnWriteArrayList<>();

    /**
     * @param currentKeyId the id to send with while present, or {@code ""} for the newest key
     * @param overlap how long a replaced or removed key stays accepted
     * @throws IpcException {@link ErrorCode#CONFIG_INVALID} when the overlap is negative
     */
    protected RotatingKeyring(final String currentKeyId, final Duration overlap, final Clock clock) {
        if (overlap.isNegative()) {
            throw new IpcException(ErrorCode.CONFIG_INVALID, "overlapSeconds=" + overlap.getSeconds() + " is negative");
        }
        this.rotation = new KeyRotation(currentKeyId, overlap, clock);
    }

    /**
     * A duration option of a keyring's configuration in seconds.
     *
     * @throws IpcException {@link ErrorCode#CONFIG_INVALID} naming the option when outside [min, max]
     */
    protected static Duration seconds(final String name, final long value, final long min, final long max) {
        if (value < min || value > max) {
            throw new IpcException(ErrorCode.CONFIG_INVALID, name + "=" + value + " outside [" + min + ", " + max + "]");
        }
        return Duration.ofSeconds(value);
    }

    protected final KeyRotation rotation() {
        return rotation;
    }

    /**
     * Retires keys whose overlap ended and tells the listeners when anything they see changed.
     *
     * @param changed whether the re-read just done changed the current or accepted keys
     */
    protected final void publish(final boolean changed) {
        if (changed | rotation.expire()) {
            for (KeyringListener l : listeners) {
                try {
                    l.keysChanged(this);
                } catch (RuntimeException e) {
                    LOG.warn("keyring listener {} failed", l, e);
                }
            }
        }
    }

    @Override
    public final KeyEntry current() {
        return rotation.current();
    }

    @Override
    public final List<KeyEntry> accepted() {
        return rotation.accepted();
    }

    @Override
    public final Optional<KeyEntry> find(final String keyId) {
        return rotation.find(keyId);
    }

    @Override
    public final void addListener(final KeyringListener listener) {
        listeners.add(listener);
    }

    @Override
    public final void removeListener(final KeyringListener listener) {
        listeners.remove(listener);
    }
}
