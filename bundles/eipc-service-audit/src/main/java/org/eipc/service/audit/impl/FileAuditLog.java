package org.eipc.service.audit.impl;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;
import org.eipc.service.audit.AuditEvent;
import org.eipc.service.audit.AuditLog;
import org.eipc.spi.runtime.RuntimeEvent;
import org.eipc.spi.runtime.RuntimeEventListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit log as a file with a hash chain ({@link AuditFile}, format in the package comment of
 * {@code org.eipc.service.audit}). {@link #record} only offers to a bounded queue; one writer thread drains it
 * in batches, writes, forces per the fsync policy and notes dropped events in the log.
 *
 * <p>Configuration PID {@value #PID}; required, since there is no safe default file.
 */
@Component(service = {AuditLog.class, RuntimeEventListener.class}, configurationPid = FileAuditLog.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = AuditLogConfig.class)
public final class FileAuditLog implements AuditLog, RuntimeEventListener {
    private static final Logger LOG = LoggerFactory.getLogger(FileAuditLog.class);

    /** Configuration PID. */
    public static final String PID = "org.eipc.service.audit";

    private static final int BATCH = 256;

    private final BlockingQueue<AuditEvent> queue;
    private final AtomicLong dropped = new AtomicLong();
    private final AuditFile file;
    private final FsyncPolicy fsync;
    private final Thread writer;
    private final Clock clock;
    private volatile boolean closing;
    private long droppedNoted;
    private boolean failing;

    @Activate
    public FileAuditLog(final AuditLogConfig config) {
        this(fileOf(config.file()), config.maxFileBytes(), config.keepRotatedFiles(), FsyncPolicy.of(config.fsync()),
                config.queueCapacity(), Clock.systemUTC(), FileAuditLog::daemon);
    }

    /**
     * @param threads makes the writer thread (tests hold it back to fill the queue)
     * @throws IpcException {@link ErrorCode#CONFIG_INVALID} for bad limits or a file that cannot be opened
     */
    FileAuditLog(final Path file, final long maxFileBytes, final int keepRotated, final FsyncPolicy fsync,
            final int queueCapacity, final Clock clock, final ThreadFactory threads) {
        if (maxFileBytes < 4096) {
            throw new IpcException(ErrorCode.CONFIG_INVALID, "maxFileBytes=" + maxFileBytes + " is below 4096");
        }
        if (queueCapacity < 1 || keepRotated < 0) {
            throw new IpcException(ErrorCode.CONFIG_INVALID, "queueCapacity=" + queueCapacity + " keepRotatedFiles="
                    + keepRotated + ": need queueCapacity >= 1 and keepRotatedFiles >= 0");
        }
        try {
            this.file = new AuditFile(file, maxFileBytes, keepRotated, clock);
        } catch (IOException e) {
            throw new IpcException(ErrorCode.CONFIG_INVALID, "cannot open audit file " + file + ": " + e, e);
        }
        this.fsync = fsync;
        this.clock = clock;
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.writer = threads.newThread(this::drain);
        writer.start();
        LOG.debug("audit log {} activated at seq {}", file, this.file.seq());
    }

    private static Path fileOf(final String f) {
        if (f == null || f.isBlank() || !Path.of(f).isAbsolute()) {
            throw new IpcException(ErrorCode.CONFIG_INVALID, "file=" + f + " must be an absolute path");
        }
        return Path.of(f);
    }

    private static Thread daemon(final Runnable r) {
        final Thread t = new Thread(r, "eipc-audit-writer");
        t.setDaemon(true);
        return t;
    }

    @Override
    public boolean record(final AuditEvent event) {
        Objects.requireNonNull(event, "event");
        if (closing || !queue.offer(event)) {
            dropped.incrementAndGet();
            return false;
        }
        return true;
    }

    @Override
    public long droppedCount() {
        return dropped.get();
    }

    private void drain() {
        final List<AuditEvent> batch = new ArrayList<>(BATCH);
        try {
            while (true) {
                final AuditEvent first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    noteDropped();
                    if (closing && queue.isEmpty()) {
                        return;
                    }
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, BATCH - 1);
                for (AuditEvent e : batch) {
                    write(e);
                }
                batch.clear();
                noteDropped();
                if (fsync == FsyncPolicy.BATCH) {
                    force();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("audit writer stopped; further events are dropped", e);
            closing = true;
        }
    }

    private void write(final AuditEvent e) {
        try {
            file.append(e, fsync == FsyncPolicy.ALWAYS);
            if (failing) {
                LOG.warn("audit file writable again");
                failing = false;
            }
        } catch (IOException ex) {
            dropped.incrementAndGet();
            if (!failing) { // log a failing disk once, not once per event
                LOG.error("cannot write audit event; dropping until writes succeed again", ex);
                failing = true;
            }
        }
    }

    private void force() {
        try {
            file.force();
        } catch (IOException e) {
            if (!failing) {
                LOG.error("cannot force the audit file to the disk", e);
                failing = true;
            }
        }
    }

    /** Writes one {@code audit_dropped} line when events were dropped since the last note. */
    private void noteDropped() {
        final long now = dropped.get();
        if (now != droppedNoted) {
            final long delta = now - droppedNoted;
            droppedNoted = now;
            write(AuditEvent.builder(AuditLines.DROPPED_ACTION).timestamp(clock.instant()).source("audit")
                    .result(delta + " event(s) dropped").detail("count", Long.toString(delta))
                    .detail("total", Long.toString(now)).build());
        }
    }

    /** Stops taking events, writes what is queued, forces and closes the file. */
    @Deactivate
    void close() {
        closing = true;
        try {
            writer.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            file.close();
        } catch (IOException e) {
            LOG.warn("closing the audit file failed", e);
        }
        LOG.debug("audit log closed, {} events dropped in total", dropped.get());
    }

    /** The runtime's security events, as audit lines (see {@link RuntimeAuditBridge#toAudit}). */
    @Override
    public void onEvent(RuntimeEvent event) {
        AuditEvent a = RuntimeAuditBridge.toAudit(event);
        if (a != null) {
            record(a);
        }
    }
}
