package org.eipc.security.replay.impl;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;
import org.eipc.spi.security.ReplayGuard;
import org.eipc.spi.security.ReplayGuardProvider;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Hands out {@link BitmapReplayGuard}s with one configured window. Thread-safe (immutable); the guards are
 * not.
 *
 * <p>Configuration PID {@value #PID}; the {@code window} attribute also shows as a service property.
 */
@Component(service = ReplayGuardProvider.class, configurationPid = BitmapReplayGuardProvider.PID)
@Designate(ocd = ReplayConfig.class)
public final class BitmapReplayGuardProvider implements ReplayGuardProvider {

    /** Configuration PID. */
    public static final String PID = "org.eipc.security.replay";

    /** The reference's window. */
    public static final int DEFAULT_WINDOW = 128;

    /** Smallest window accepted. */
    public static final int MIN_WINDOW = 16;

    /** Largest window accepted (a guard then holds a 16 KiB bitmap). */
    public static final int MAX_WINDOW = 65536;

    private final int window;

    @Activate
    public BitmapReplayGuardProvider(ReplayConfig config) {
        this(config.window());
    }

    BitmapReplayGuardProvider(int window) {
        if (window < MIN_WINDOW || window > MAX_WINDOW) {
            throw new IpcException(ErrorCode.CONFIG_INVALID,
                    "window=" + window + " outside [" + MIN_WINDOW + ", " + MAX_WINDOW + "]");
        }
        this.window = window;
    }

    @Override
    public int window() {
        return window;
    }

    @Override
    public ReplayGuard newGuard() {
        return new BitmapReplayGuard(window);
    }

    @Override
    public String toString() {
        return "BitmapReplayGuardProvider[window=" + window + "]";
    }
}
