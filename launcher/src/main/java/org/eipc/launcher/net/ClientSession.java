package org.eipc.launcher.net;

import java.time.Duration;

import jakarta.json.JsonObject;

/** A connected, handshaken client of one protocol, as the client commands use it. Methods block. */
public interface ClientSession extends AutoCloseable {

    /** Sends one message of {@code type} (a message type for EIPC, a channel number for ipcprims). */
    void send(String type, byte[] payload, Duration timeout);

    /** Sends one message and waits for the reply to it. */
    Received request(String type, byte[] payload, Duration timeout);

    /** One round trip; returns its time in nanoseconds. */
    long ping(Duration timeout);

    /** Who the peer is and what was negotiated; never keys. */
    JsonObject info();

    /** Waits until what was sent is acknowledged or written, then ends the session in order. */
    void finish(Duration timeout);

    /** Closes at once. */
    @Override
    void close();
}
