package org.eipc.transport.nats.impl;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamOptions;

/** The durable channels' NATS connection with its JetStream contexts, once the stream is set up. */
record JetStreamLink(Connection nc, JetStream js, JetStreamManagement jsm) {
    private static final Logger LOG = LoggerFactory.getLogger(JetStreamLink.class);

    static JetStreamLink of(Connection nc, Duration requestTimeout) throws IOException {
        JetStreamOptions o = JetStreamOptions.builder().requestTimeout(requestTimeout).build();
        return new JetStreamLink(nc, nc.jetStream(o), nc.jetStreamManagement(o));
    }

    /** Pushes out what is queued (acknowledgements above all), for at most a second. */
    void flush() {
        try {
            if (nc.getStatus() == Connection.Status.CONNECTED) {
                nc.flush(Duration.ofSeconds(1));
            }
        } catch (TimeoutException | IllegalStateException e) {
            LOG.debug("flush: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void close() {
        flush();
        try {
            nc.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
