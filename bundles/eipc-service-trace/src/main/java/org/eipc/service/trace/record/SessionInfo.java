package org.eipc.service.trace.record;

import java.time.Instant;
import java.util.Objects;

/**
 * The first line of a recording: who recorded which session, when. Immutable.
 *
 * @param recorder what wrote the file: {@code "eipc record"} or the recorder component's PID
 * @param started wall-clock time of the first recorded message (relative times count from it)
 * @param endpoint the endpoint's address or name, e.g. {@code unix:///run/eipc/host.sock}
 * @param sessionId the session id
 * @param side {@code "server"} or {@code "client"}: the side that recorded; {@code "proxy"} for {@code eipc record}
 * @param peerServiceId the authenticated service id of the recording side's peer (for a proxy: the client's)
 */
public record SessionInfo(String recorder, Instant started, String endpoint, String sessionId, String side,
        String peerServiceId) {

    /** Checks that nothing is null. */
    public SessionInfo {
        Objects.requireNonNull(recorder, "recorder");
        Objects.requireNonNull(started, "started");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(side, "side");
        Objects.requireNonNull(peerServiceId, "peerServiceId");
    }
}
