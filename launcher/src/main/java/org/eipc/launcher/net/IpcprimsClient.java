package org.eipc.launcher.net;

import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;
import org.eipc.protocol.ipcprims.IpcprimsConfig;
import org.eipc.protocol.ipcprims.IpcprimsPeer;
import org.eipc.protocol.ipcprims.IpcprimsPeerListener;
import org.eipc.spi.transport.OfferResult;
import org.eipc.spi.transport.Transport;

/**
 * A blocking ipcprims client for the command line: connects, completes the handshake, sends frames and waits for
 * frames, pongs or the end of the connection, each with a deadline.
 */
public final class IpcprimsClient implements IpcprimsPeerListener, AutoCloseable {
    /** Something that happened on the connection. */
    public sealed interface Event permits Frame, Pong, Closed {
    }

    /** A data frame; {@code payload} is a copy. */
    public record Frame(int channel, byte[] payload) implements Event {
    }

    /** The answer to our {@code number}-th ping. */
    public record Pong(long number, long rttNanos) implements Event {
    }

    /** The connection ended; {@code cause} is null after an orderly shutdown. */
    public record Closed(IpcException cause) implements Event {
    }

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final CompletableFuture<IpcprimsPeer> handshake = new CompletableFuture<>();
    private final IpcprimsPeer peer;

    private IpcprimsClient(IpcprimsConfig config) {
        this.peer = new IpcprimsPeer(config, this);
    }

    /**
     * Connects to {@code address}, requesting {@code channels}, and waits for the handshake.
     *
     * @throws IpcException {@link ErrorCode#CONNECT_FAILED} and the like from the transport,
     *         {@link ErrorCode#HANDSHAKE_TIMEOUT}, or why the server closed the connection
     */
    public static IpcprimsClient connect(Transport transport, URI address, int[] channels, Duration timeout,
            ScheduledExecutorService timer) {
        IpcprimsConfig config = IpcprimsConfig.client(channels).withTimeouts(timeout, timeout)
                .withTimer(timer, System::nanoTime);
        IpcprimsClient client = new IpcprimsClient(config);
        transport.connect(address, client.peer, timeout);
        try {
            client.handshake.get(timeout.toNanos() + TimeUnit.MILLISECONDS.toNanos(500), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            client.close();
            throw new IpcException(ErrorCode.HANDSHAKE_TIMEOUT, "no handshake response from " + address + " within "
                    + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            client.close();
            throw e.getCause() instanceof IpcException ipc ? ipc
                    : new IpcException(ErrorCode.INTERNAL, "handshake failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            client.close();
            throw new IpcException(ErrorCode.INTERNAL, "interrupted");
        }
        return client;
    }

    /** The connected peer. */
    public IpcprimsPeer peer() {
        return peer;
    }

    /** Sends one frame, waiting (up to {@code timeout}) while the transport pushes back. */
    public void send(int channel, byte[] payload, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            OfferResult r = peer.send(channel, ByteBuffer.wrap(payload));
            if (r == OfferResult.ACCEPTED) {
                return;
            }
            if (r == OfferResult.CLOSED) {
                throw closedCause("the connection closed while sending");
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new IpcException(ErrorCode.REQUEST_TIMEOUT, "back-pressure did not clear within "
                        + timeout.toMillis() + " ms");
            }
            pause();
        }
    }

    /** Sends a ping, waiting while the transport pushes back. */
    public void ping(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            OfferResult r = peer.ping();
            if (r == OfferResult.ACCEPTED) {
                return;
            }
            if (r == OfferResult.CLOSED) {
                throw closedCause("the connection closed while pinging");
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new IpcException(ErrorCode.REQUEST_TIMEOUT, "could not send a ping within "
                        + timeout.toMillis() + " ms");
            }
            pause();
        }
    }

    /**
     * The next event of type {@code type}, skipping others except {@link Closed}, which ends the wait with its
     * cause ({@link ErrorCode#CONNECTION_CLOSED} when orderly).
     *
     * @throws IpcException {@link ErrorCode#REQUEST_TIMEOUT} when nothing arrives in time
     */
    public <E extends Event> E await(Class<E> type, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                Event e = events.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (e == null) {
                    throw new IpcException(ErrorCode.REQUEST_TIMEOUT, "no " + type.getSimpleName().toLowerCase()
                            + " within " + timeout.toMillis() + " ms");
                }
                if (type.isInstance(e)) {
                    return type.cast(e);
                }
                if (e instanceof Closed c) {
                    events.add(c); // later waits see it too
                    throw c.cause() != null ? c.cause()
                            : new IpcException(ErrorCode.CONNECTION_CLOSED, "the peer closed the connection");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IpcException(ErrorCode.INTERNAL, "interrupted");
        }
    }

    /** Runs the shutdown exchange and waits (up to {@code timeout}) for the connection to end. */
    public void shutdown(Duration timeout) {
        if (peer.shutdown() == OfferResult.CLOSED) {
            return;
        }
        try {
            await(Closed.class, timeout);
        } catch (IpcException e) {
            peer.close();
        }
    }

    private IpcException closedCause(String what) {
        IpcException f = peer.failure();
        return f != null ? f : new IpcException(ErrorCode.CONNECTION_CLOSED, what);
    }

    private static void pause() {
        try {
            Thread.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IpcException(ErrorCode.INTERNAL, "interrupted");
        }
    }

    @Override
    public void onHandshake(IpcprimsPeer p) {
        handshake.complete(p);
    }

    @Override
    public void onFrame(int channel, ByteBuffer payload) {
        byte[] copy = new byte[payload.remaining()];
        payload.get(copy);
        events.add(new Frame(channel, copy));
    }

    @Override
    public void onPong(long pingNumber, long rttNanos) {
        events.add(new Pong(pingNumber, rttNanos));
    }

    @Override
    public void onClosed(IpcprimsPeer p, IpcException cause) {
        handshake.completeExceptionally(cause != null ? cause
                : new IpcException(ErrorCode.CONNECTION_CLOSED, "the server closed the connection during the handshake"));
        events.add(new Closed(cause));
    }

    @Override
    public void close() {
        peer.close();
    }
}
