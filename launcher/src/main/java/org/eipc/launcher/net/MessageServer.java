package org.eipc.launcher.net;

import java.net.URI;

/** A listening server of one protocol, as {@code echo} and {@code listen} use it. */
public interface MessageServer extends AutoCloseable {

    /**
     * What a server does with each message: returns the reply payload, or null for none. Called from transport
     * threads, possibly concurrently for different connections.
     */
    @FunctionalInterface
    interface Handler {
        byte[] onMessage(Received message);
    }

    /** The bound address (with any ephemeral port). */
    URI address();

    @Override
    void close();
}
