package org.eipc.transport.shm.impl;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;

/** The checked configuration of one transport instance. */
final class ShmSettings {
    // the configuration defaults, used by ShmTransportConfig and by defaults()
    static final int DEFAULT_RING_CAPACITY = 1 << 20;
    static final long DEFAULT_WRITE_QUEUE_LIMIT = 4L << 20;
    static final int DEFAULT_SPIN_MICROS = 20;
    static final int DEFAULT_YIELD_MICROS = 50;
    static final int DEFAULT_HANDSHAKE_TIMEOUT_MILLIS = 5000;
    static final int DEFAULT_MAX_CONNECTIONS = 256;
    /** Empty: /dev/shm when it exists, else the socket's directory. */
    static final String DEFAULT_RING_DIRECTORY = "";
    private static final Path DEV_SHM = Path.of("/dev/shm");

    final int ringCapacity;
    final long writeQueueLimit;
    final long spinNanos;
    final long yieldNanos;
    /** Null: /dev/shm when present, else next to the socket. */
    final Path ringDirectory;
    final long handshakeTimeoutNanos;
    final int maxConnections;

    ShmSettings(final int ringCapacity, final long writeQueueLimit, final int spinMicros, final int yieldMicros,
            final String ringDirectory, final int handshakeTimeoutMillis, final int maxConnections) {
        final List<String> bad = new ArrayList<>();
        if (!RingLayout.isValidCapacity(ringCapacity)) {
            bad.add("ringCapacity=" + ringCapacity + " (a power of two in [" + RingLayout.MIN_CAPACITY + ", "
                    + RingLayout.MAX_CAPACITY + "])");
        }
        if (writeQueueLimit < 1 || writeQueueLimit > Integer.MAX_VALUE) {
            bad.add("writeQueueLimit=" + writeQueueLimit + " (in [1, " + Integer.MAX_VALUE + "])");
        }
        if (spinMicros < 0 || spinMicros > 1_000_000) {
            bad.add("spinMicros=" + spinMicros + " (in [0, 1000000])");
        }
        if (yieldMicros < 0 || yieldMicros > 1_000_000) {
            bad.add("yieldMicros=" + yieldMicros + " (in [0, 1000000])");
        }
        Path dir = null;
        if (ringDirectory != null && !ringDirectory.isBlank()) {
            dir = Path.of(ringDirectory);
            if (!dir.isAbsolute() || !Files.isDirectory(dir)) {
                bad.add("ringDirectory=" + ringDirectory + " (an existing absolute directory)");
            }
        }
        if (handshakeTimeoutMillis < 1) {
            bad.add("handshakeTimeoutMillis=" + handshakeTimeoutMillis + " (at least 1)");
        }
        if (maxConnections < 1) {
            bad.add("maxConnections=" + maxConnections + " (at least 1)");
        }
        if (!bad.isEmpty()) {
            throw new IpcException(ErrorCode.CONFIG_INVALID, "invalid shm transport configuration: " + bad);
        }
        this.ringCapacity = ringCapacity;
        this.writeQueueLimit = writeQueueLimit;
        this.spinNanos = TimeUnit.MICROSECONDS.toNanos(spinMicros);
        this.yieldNanos = TimeUnit.MICROSECONDS.toNanos(yieldMicros);
        this.ringDirectory = dir;
        this.handshakeTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(handshakeTimeoutMillis);
        this.maxConnections = maxConnections;
    }

    /** Every value at its default (the defaults of {@link ShmTransportConfig} too). */
    static ShmSettings defaults() {
        return new ShmSettings(DEFAULT_RING_CAPACITY, DEFAULT_WRITE_QUEUE_LIMIT, DEFAULT_SPIN_MICROS,
                DEFAULT_YIELD_MICROS, DEFAULT_RING_DIRECTORY, DEFAULT_HANDSHAKE_TIMEOUT_MILLIS, DEFAULT_MAX_CONNECTIONS);
    }

    /** Where the ring files of a listener at {@code socket} go. */
    Path ringDirectoryFor(final Path socket) {
        if (ringDirectory != null) {
            return ringDirectory;
        }
        return Files.isDirectory(DEV_SHM) && Files.isWritable(DEV_SHM) ? DEV_SHM : socket.getParent();
    }
}
