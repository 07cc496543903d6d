package org.eipc.service.trace.impl;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;
import org.eipc.api.Message;
import org.eipc.service.trace.record.Flow;
import org.eipc.service.trace.record.RecordWriter;
import org.eipc.service.trace.record.SessionInfo;
import org.eipc.spi.runtime.MessageContext;
import org.eipc.spi.runtime.MessageTap;
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
 * Records the application messages of chosen sessions, one file per session (format in the package comment of
 * {@code org.eipc.service.trace.record}). The tap only copies the message and offers it to a bounded queue; one
 * writer thread writes. A full queue drops and counts, and the writer notes the drops in the session's file. A
 * {@link RuntimeEvent.Kind#SESSION_CLOSED} event ends the session's file; deactivation ends every open file.
 *
 * <p>Configuration PID {@value #PID}; required (there is no safe default directory).
 */
@Component(service = {MessageTap.class, RuntimeEventListener.class}, configurationPid = SessionRecorder.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = RecorderConfig.class)
public final class SessionRecorder implements MessageTap, RuntimeEventListener {
    private static final Logger LOG = LoggerFactory.getLogger(SessionRecorder.class);

    /** Configuration PID, also the {@code recorder} of the files' first line. */
    public static final String PID = "org.eipc.service.trace.recorder";

    /** Room kept in every file for the dropped note and the end line. */
    private static final int END_RESERVE = 512;

    private record Entry(RecordedSession session, Flow flow, long nanos, Message message) {
    }

    private final Settings settings;
    private final RecordingDirectory directory;
    private final BlockingQueue<Object> queue;
    private final ConcurrentHashMap<String, RecordedSession> sessions = new ConcurrentHashMap<>();
    private final Set<String> openFiles = new HashSet<>(); // writer thread only
    private final AtomicLong droppedTotal = new AtomicLong();
    private final Clock clock;
    private final Thread writer;
    private volatile boolean closing;
    private boolean failing;

    /** The validated configuration. */
    record Settings(Path directory, Pattern peers, boolean server, boolean client, long maxFileBytes, int maxFiles,
            int queueCapacity, int maxSessions) {
    }

    @Activate
    public SessionRecorder(final RecorderConfig config) {
        this(settings(config), Clock.systemUTC(), SessionRecorder::daemon);
    }

    /**
     * @param threads makes the writer thread (tests hold it back to fill the queue)
     * @throws IpcException {@link ErrorCode#CONFIG_INVALID} when the directory cannot be created
     */
    SessionRecorder(final Settings settings, final Clock clock, final ThreadFactory threads) {
        this.settings = settings;
        this.clock = clock;
        try {
            this.directory = new RecordingDirectory(settings.directory(), settings.maxFiles());
        } catch (IOException e) {
            throw new IpcException(ErrorCode.CONFIG_INVALID, "directory=" + settings.directory()
                    + " cannot be created: " + e, e);
        }
        this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
        this.writer = threads.newThread(this::drain);
        writer.start();
        LOG.debug("session recorder activated: directory {}, peers {}", settings.directory(), settings.peers());
    }

    /** Checks every key, listing every bad one. */
    static Settings settings(final RecorderConfig c) {
        final StringBuilder bad = new StringBuilder();
        final String d = c.directory();
        if (d == null || d.isBlank() || !Path.of(d).isAbsolute()) {
            bad.append(" directory=").append(d).append(" (need an absolute path)");
        }
        Pattern peers = null;
        try {
            peers = Pattern.compile(c.peerPattern());
        } catch (PatternSyntaxException e) {
            bad.append(" peerPattern=").append(c.peerPattern()).append(" (").append(e.getDescription()).append(')');
        }
        final String side = c.side() == null ? "" : c.side().toLowerCase(Locale.ROOT);
        if (!Set.of("server", "client", "both").contains(side)) {
            bad.append(" side=").append(c.side()).append(" (server, client or both)");
        }
        if (c.maxFileBytes() < 4096) {
            bad.append(" maxFileBytes=").append(c.maxFileBytes()).append(" (at least 4096)");
        }
        if (c.maxFiles() < 0) {
            bad.append(" maxFiles=").append(c.maxFiles()).append(" (0 or more)");
        }
        if (c.queueCapacity() < 1 || c.queueCapacity() > (1 << 20)) {
            bad.append(" queueCapacity=").append(c.queueCapacity()).append(" (1 to 1048576)");
        }
        if (c.maxSessions() < 1 || c.maxSessions() > 65536) {
            bad.append(" maxSessions=").append(c.maxSessions()).append(" (1 to 65536)");
        }
        if (!bad.isEmpty()) {
            throw new IpcException(ErrorCode.CONFIG_INVALID, "session recorder configuration:" + bad);
        }
        return new Settings(Path.of(d), peers, !side.equals("client"), !side.equals("server"), c.maxFileBytes(),
                c.maxFiles(), c.queueCapacity(), c.maxSessions());
    }

    private static Thread daemon(final Runnable r) {
        final Thread t = new Thread(r, "eipc-trace-recorder");
        t.setDaemon(true);
        return t;
    }

    @Override
    public void onMessage(final Direction direction, final MessageContext context, final Message message,
            final long nanoTime) {
        if (closing) {
            return;
        }
        final RecordedSession s = session(context, nanoTime);
        if (s == null) {
            return;
        }
        // the payload view is valid only during this call: copy it
        final Message copy = Message.ofWire(message.typeByte(), message.header(),
                ByteBuffer.wrap(message.payloadBytes()));
        s.queued.incrementAndGet(); // before the offer: a sweep that sees the close also sees this entry pending
        if (!queue.offer(new Entry(s, Flow.of(direction, context.server()), nanoTime - s.startNanos, copy))) {
            s.queued.decrementAndGet();
            s.dropped.incrementAndGet();
            droppedTotal.incrementAndGet();
        }
    }

    /** The followed session, or null when it is not to be recorded. */
    private RecordedSession session(final MessageContext c, final long nanoTime) {
        // both ends of a session can live in one process, under the same address and session id
        final String key = (c.server() ? "s\n" : "c\n") + c.endpoint() + '\n' + c.sessionId();
        final RecordedSession s = sessions.get(key);
        if (s != null) {
            return s;
        }
        if (!(c.server() ? settings.server() : settings.client())
                || !settings.peers().matcher(c.peer().serviceId()).matches()
                || sessions.size() >= settings.maxSessions()) {
            return null;
        }
        return sessions.computeIfAbsent(key, k -> new RecordedSession(k, c, clock.instant(), nanoTime));
    }

    @Override
    public void onEvent(final RuntimeEvent event) {
        if (event.kind() != RuntimeEvent.Kind.SESSION_CLOSED || event.sessionId().isEmpty()) {
            return;
        }
        for (RecordedSession s : sessions.values()) {
            if (s.context.sessionId().equals(event.sessionId())
                    && (event.endpoint().isEmpty() || event.endpoint().equals(s.context.endpoint()))) {
                s.closing = true; // the writer's sweep ends it even when the queue is full now
                queue.offer(s);
            }
        }
    }

    /** Messages dropped because the queue was full, since activation. */
    long droppedCount() {
        return droppedTotal.get();
    }

    private void drain() {
        try {
            while (true) {
                final Object o = queue.poll(200, TimeUnit.MILLISECONDS);
                if (o == null && closing) {
                    break;
                }
                if (o instanceof Entry e) {
                    write(e);
                    e.session().queued.decrementAndGet();
                } else if (o instanceof RecordedSession s) {
                    end(s, "session closed");
                }
                if (o == null || queue.isEmpty()) {
                    sweep();
                }
            }
            Object o;
            while ((o = queue.poll()) != null) {
                if (o instanceof Entry e) {
                    write(e);
                }
            }
            for (RecordedSession s : sessions.values()) {
                end(s, s.closing ? "session closed" : "recorder stopped");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("recorder writer stopped; further messages are not recorded", e);
            closing = true;
        }
    }

    /**
     * Ends the sessions that closed and have nothing left in the queue, notes drops of the others. (The queue may
     * look empty here while a message and then the close event of a session arrive: the pending count tells.)
     */
    private void sweep() {
        for (RecordedSession s : sessions.values()) {
            if (s.closing && s.queued.get() == 0) {
                end(s, "session closed");
            } else {
                noteDropped(s);
            }
        }
    }

    private void write(final Entry e) {
        final RecordedSession s = e.session();
        if (s.finished) {
            return;
        }
        try {
            if (s.writer == null) {
                final MessageContext c = s.context;
                final RecordingDirectory.Opened f = directory.create(new SessionInfo(PID, s.started, c.endpoint(),
                        c.sessionId(), c.server() ? "server" : "client", c.peer().serviceId()), openFiles);
                s.writer = f.writer();
                s.fileName = f.file().getFileName().toString();
                openFiles.add(s.fileName);
                LOG.debug("recording session {} of {} to {}", c.sessionId(), c.peer().serviceId(), f.file());
            }
            noteDropped(s);
            s.lastNanos = Math.max(s.lastNanos, e.nanos());
            if (!s.writer.message(e.flow(), e.nanos(), e.message(), settings.maxFileBytes() - END_RESERVE)) {
                end(s, "maxFileBytes");
                return;
            }
            healthy();
        } catch (IOException ex) {
            failed(s, ex);
        }
    }

    private void noteDropped(final RecordedSession s) {
        final long now = s.dropped.get();
        if (s.writer == null || s.finished || now == s.droppedNoted) {
            return;
        }
        try {
            s.writer.dropped(s.lastNanos, now - s.droppedNoted, now);
            s.droppedNoted = now;
        } catch (IOException ex) {
            failed(s, ex);
        }
    }

    /** Writes the end line and closes the file; forgets the session when it closed or the recorder stops. */
    private void end(final RecordedSession s, final String reason) {
        if (s.closing || closing) {
            sessions.remove(s.key, s);
        }
        if (s.finished || s.writer == null) {
            s.finished = true;
            return;
        }
        s.finished = true;
        try {
            noteDropped(s);
            s.writer.end(s.lastNanos, s.dropped.get(), reason);
            s.writer.close();
        } catch (IOException ex) {
            failed(s, ex);
        } finally {
            openFiles.remove(s.fileName);
        }
    }

    private void healthy() {
        if (failing) {
            LOG.warn("recordings writable again");
            failing = false;
        }
    }

    private void failed(final RecordedSession s, final IOException ex) {
        if (!failing) { // a failing disk is logged once, not once per message
            LOG.error("cannot write the recording of session {}; it ends here", s.context.sessionId(), ex);
            failing = true;
        }
        s.finished = true;
        try {
            s.writer.close();
        } catch (IOException ignored) {
            // already failing
        }
        openFiles.remove(s.fileName);
    }

    /** Stops taking messages, writes what is queued and ends every open file. */
    @Deactivate
    void close() {
        closing = true; // the writer drains the queue, then ends every file
        try {
            writer.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.debug("session recorder closed, {} messages dropped in total", droppedTotal.get());
    }
}
