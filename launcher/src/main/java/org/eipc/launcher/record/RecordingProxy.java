package org.eipc.launcher.record;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.eipc.api.Endpoint;
import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;
import org.eipc.api.Message;
import org.eipc.api.Session;
import org.eipc.runtime.EipcRuntime;
import org.eipc.runtime.EndpointOptions;
import org.eipc.service.trace.record.Flow;
import org.eipc.service.trace.record.RecordWriter;
import org.eipc.service.trace.record.SessionInfo;

/**
 * The recording proxy of {@code eipc record}: accepts one client session, opens its own session to the host,
 * forwards every application message both ways unchanged (type, service id, request id, priority, capability,
 * route, payload format, payload; so replies still match their requests) and writes both directions to the file, in
 * the order it forwards them. It ends when either session ends. A second client while one is recorded is refused.
 *
 * <p>The file is written on the delivery threads, under a lock: this is a debugging tool between two processes,
 * and writing before forwarding keeps the file's order causal.
 */
public final class RecordingProxy {
    /** The {@code recorder} of the files this proxy writes. */
    public static final String RECORDER = "eipc record";

    private final EipcRuntime runtime;
    private final URI to;
    private final Function<String, EndpointOptions> upstreamOptions;
    private final Duration timeout;
    private final Path out;
    private final PrintStream log;
    private final CountDownLatch done = new CountDownLatch(1);
    private final ScheduledExecutorService watcher = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "eipc-record-watch");
        t.setDaemon(true);
        return t;
    });
    private Endpoint endpoint;
    private Session client; // guarded by this
    private Session upstream; // guarded by this
    private RecordWriter writer; // guarded by this
    private long startNanos; // guarded by this
    private long lastNanos; // guarded by this
    private String endReason; // guarded by this
    private IpcException failure; // guarded by this

    /**
     * @param runtime a runtime serving the schemes of both addresses
     * @param upstreamOptions the options of the session to the host, given the client's service id
     * @param out the recording; created new (never overwritten), owner-only
     */
    public RecordingProxy(EipcRuntime runtime, URI to, Function<String, EndpointOptions> upstreamOptions,
            Duration timeout, Path out, PrintStream log) {
        this.runtime = runtime;
        this.to = to;
        this.upstreamOptions = upstreamOptions;
        this.timeout = timeout;
        this.out = out;
        this.log = log;
    }

    /** Listens; returns the bound address. */
    public URI listen(URI address, EndpointOptions options) {
        endpoint = runtime.listen(List.of(address), options, this::fromClient);
        return endpoint.address();
    }

    /** Waits until the recorded session has ended. */
    public void await() throws InterruptedException {
        done.await();
    }

    private void fromClient(Session s, Message m) {
        Session up;
        synchronized (this) {
            if (client == null && endReason == null) {
                client = s;
                try {
                    open(s);
                } catch (IpcException e) {
                    failure = e;
                    log.println("eipc record: cannot reach the host " + to + ": " + e.getMessage());
                    end("host unreachable");
                    return;
                }
            } else if (client != s) {
                log.println("eipc record: refusing a second client (" + s.peer().serviceId() + "): one session is "
                        + "recorded at a time");
                s.close();
                return;
            }
            if (writer == null || endReason != null) {
                return;
            }
            write(Flow.C2S, m);
            up = upstream;
        }
        forward(up, m);
    }

    private void fromHost(Session s, Message m) {
        Session c;
        synchronized (this) {
            if (writer == null || endReason != null) {
                return;
            }
            write(Flow.S2C, m);
            c = client;
        }
        forward(c, m);
    }

    /** Connects to the host as the client's service and starts the file. Caller holds this. */
    private void open(Session c) {
        upstream = runtime.connect(List.of(to), upstreamOptions.apply(c.peer().serviceId()), this::fromHost, timeout);
        try {
            OutputStream os = Files.newOutputStream(Files.createFile(out, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rw-------"))), StandardOpenOption.WRITE);
            writer = new RecordWriter(os);
            startNanos = System.nanoTime(); // relative times count from the first message, as the recorder's
            writer.session(new SessionInfo(RECORDER, Instant.now(), to.toString(), upstream.id(), "proxy",
                    c.peer().serviceId()));
            writer.flush();
        } catch (IOException e) {
            upstream.close();
            throw new IpcException(ErrorCode.CONFIG_INVALID, "cannot create " + out + ": " + e);
        }
        log.println("eipc record: recording session " + upstream.id() + " of " + c.peer().serviceId() + " to "
                + out);
        watcher.scheduleWithFixedDelay(this::watch, 20, 20, TimeUnit.MILLISECONDS);
    }

    private void write(Flow flow, Message m) {
        lastNanos = Math.max(lastNanos, System.nanoTime() - startNanos);
        try {
            writer.message(flow, lastNanos, Message.ofWire(m.typeByte(), m.header(),
                    ByteBuffer.wrap(m.payloadBytes())));
            writer.flush();
        } catch (IOException e) {
            failure = new IpcException(ErrorCode.INTERNAL, "cannot write " + out + ": " + e);
            log.println("eipc record: " + failure.getMessage());
            end("write failed");
        }
    }

    private void forward(Session target, Message m) {
        if (target == null) {
            return;
        }
        try {
            Relay.send(target, Relay.fresh(m, true), timeout);
        } catch (IpcException e) {
            log.println("eipc record: could not forward a message: " + e.getMessage());
        }
    }

    /** Ends the recording when either side's session ended. */
    private void watch() {
        synchronized (this) {
            if (endReason != null) {
                return;
            }
            if (!client.isOpen()) {
                end("client closed");
            } else if (!upstream.isOpen()) {
                end("host closed");
            }
        }
    }

    /**
     * Ends the recording (the end line, the file closed) and both sessions; idempotent.
     *
     * @param reason the end line's reason
     */
    public synchronized void end(String reason) {
        if (endReason != null) {
            return;
        }
        endReason = reason;
        if (writer != null) {
            try {
                writer.end(lastNanos, 0, reason);
                writer.close();
                log.println("eipc record: " + writer.messages() + " message(s) written to " + out + " (" + reason
                        + ")");
            } catch (IOException e) {
                log.println("eipc record: cannot finish " + out + ": " + e);
            }
        }
        if (client != null) {
            client.close();
        }
        if (upstream != null) {
            upstream.close();
        }
        watcher.shutdown();
        done.countDown();
    }

    /** Why the recording could not be made, or null. */
    public synchronized IpcException failure() {
        return failure;
    }

    /** Closes the listening endpoint (after {@link #end}). */
    public void close() {
        if (endpoint != null) {
            endpoint.close();
        }
        watcher.shutdownNow();
    }
}
