package org.eipc.runtime;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;

import org.eipc.api.Endpoint;
import org.eipc.api.MessageHandler;
import org.eipc.api.Session;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Opens EIPC endpoints with the transports, integrity provider, replay guard and keyring the runtime currently
 * has. In OSGi the runtime bundle registers it as a service (it follows provider bundles as they come and go);
 * outside OSGi {@link EipcRuntimes#standalone} builds one.
 *
 * <p>Everything opened through a runtime is closed when the runtime goes away (the service is unregistered or the
 * standalone runtime is closed). Failures are {@link org.eipc.api.IpcException}s with an
 * {@link org.eipc.api.ErrorCode}.
 */
@ProviderType
public interface EipcRuntime {

    /**
     * Listens on every address (e.g. {@code tcp://127.0.0.1:0}, {@code unix:///run/eipc/host.sock},
     * {@code shm:///run/eipc/ring}); several addresses may use several transports at once. An address whose
     * transport is missing now is listened on when one arrives.
     *
     * @param handler gets the messages of every session of the endpoint
     * @return the endpoint; {@link Endpoint#close()} stops listening and closes its sessions
     * @throws org.eipc.api.IpcException {@code TRANSPORT_UNAVAILABLE}, {@code ADDRESS_IN_USE}, ... when no address
     *         could be listened on; {@code CONFIG_INVALID} for bad options
     */
    Endpoint listen(List<URI> addresses, EndpointOptions options, MessageHandler handler);

    /**
     * Connects to the first address that answers and completes with the authenticated session. Failures a new
     * attempt may cure (no server yet, no transport or keyring bound yet) are retried with backoff until
     * {@code timeout}; authentication failures end at once. In strict mode the session later resumes over any of
     * the addresses when its connection is lost. Closing the session releases everything it holds.
     *
     * @return completes with the session, or exceptionally with an {@link org.eipc.api.IpcException}
     *         ({@code CONNECT_FAILED}, {@code AUTH_FAILED}, {@code HANDSHAKE_TIMEOUT}, ...)
     */
    CompletionStage<Session> connectAsync(List<URI> addresses, EndpointOptions options, MessageHandler handler,
            Duration timeout);

    /**
     * {@link #connectAsync} and wait for it; blocks the calling thread up to {@code timeout}.
     *
     * @throws org.eipc.api.IpcException why no session came up
     */
    Session connect(List<URI> addresses, EndpointOptions options, MessageHandler handler, Duration timeout);

    /** The URI schemes the bound transports serve now, e.g. {@code [tcp, unix, shm]}. */
    List<String> schemes();
}
