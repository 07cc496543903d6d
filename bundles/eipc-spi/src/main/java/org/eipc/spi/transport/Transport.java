package org.eipc.spi.transport;

import java.net.URI;
import java.time.Duration;
import java.util.Set;
import java.util.function.Function;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A way to carry bytes between processes, registered as an OSGi service with {@link #PROP_SCHEMES} (and
 * {@link #PROP_KIND}) so that the runtime can pick one by address scheme and a host can swap one transport
 * bundle for another while its sessions go on.
 */
@ProviderType
public interface Transport {

    /** Service property: the URI schemes served, e.g. {@code ["tcp","tls"]}. */
    String PROP_SCHEMES = "eipc.transport.schemes";

    /** Service property: the transport kind, e.g. {@code "tcp"}, {@code "unix"}, {@code "shm"}. */
    String PROP_KIND = "eipc.transport.kind";

    /** The transport kind, as in {@link #PROP_KIND}. */
    String kind();

    /** The URI schemes this transport serves. */
    Set<String> schemes();

    /**
     * Binds {@code address} and accepts connections. For each accepted connection {@code handlers} is asked
     * for the handler that will receive its events.
     *
     * @throws org.eipc.api.IpcException {@link org.eipc.api.ErrorCode#ADDRESS_INVALID} for an address this
     *         transport cannot serve, {@link org.eipc.api.ErrorCode#TRANSPORT_IO} when binding fails
     */
    Listener listen(URI address, Function<Connection, ConnectionHandler> handlers);

    /**
     * Connects to {@code address}, waiting at most {@code timeout} (this call blocks the calling thread for
     * the connect and any TLS or side-channel handshake; it never blocks afterwards).
     *
     * @throws org.eipc.api.IpcException {@link org.eipc.api.ErrorCode#CONNECT_FAILED},
     *         {@link org.eipc.api.ErrorCode#ADDRESS_INVALID} or {@link org.eipc.api.ErrorCode#HANDSHAKE_TIMEOUT}
     */
    Connection connect(URI address, ConnectionHandler handler, Duration timeout);
}
