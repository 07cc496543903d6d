package org.eipc.spi.transport;

import java.net.URI;

import org.osgi.annotation.versioning.ProviderType;

/** A bound server address that accepts connections until closed. */
@ProviderType
public interface Listener extends AutoCloseable {

    /** The bound address, with any ephemeral port filled in. */
    URI address();

    /** Stops accepting and releases the address (for example removes the socket file). Open connections stay. */
    @Override
    void close();
}
