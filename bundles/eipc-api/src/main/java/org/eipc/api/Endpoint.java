package org.eipc.api;

import java.net.URI;
import java.util.Collection;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A server or client bound to a transport address such as {@code tcp://127.0.0.1:9090},
 * {@code unix:///run/eipc/host.sock} or {@code shm:///run/eipc/ring}.
 */
@ProviderType
public interface Endpoint extends AutoCloseable {

    /** The address this endpoint listens on or connects to (with the port filled in after binding). */
    URI address();

    /** The open sessions of this endpoint. */
    Collection<Session> sessions();

    /** Stops accepting or connecting and closes every session after draining it. */
    @Override
    void close();
}
