package org.eipc.protocol.ipcprims;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.eipc.api.ErrorCode;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzing of the peer state machine after the handshake, in both roles: whatever arrives, nothing escapes the
 * transport callbacks, only protocol error codes come out, {@code onClosed} is called exactly once after the
 * end of the stream, the peer only ever writes valid CONTROL replies, and feeding the bytes whole or one at a
 * time gives the same events (up to a shutdown request, after which later chunks are discarded by design).
 * Seeds: the post-handshake vectors.
 */
class PeerFuzzTest {
    private static final byte[] REQUEST = VectorTest.vector("v01");
    private static final byte[] RESPONSE = VectorTest.vector("v02");
    private static final Set<ErrorCode> CODES = EnumSet.of(ErrorCode.BAD_MAGIC, ErrorCode.FRAME_TOO_LARGE,
            ErrorCode.TRUNCATED_HEADER, ErrorCode.TRUNCATED_PAYLOAD, ErrorCode.PROTOCOL_VIOLATION,
            ErrorCode.QUOTA_EXCEEDED, ErrorCode.CONNECTION_CLOSED);

    @FuzzTest(maxDuration = "10s")
    void peerStream(byte[] data) {
        for (final boolean server : new boolean[] {true, false}) {
            final Harness whole = run(server, data, false);
            final Harness bytewise = run(server, data, true);
            assertEquals(upToShutdown(whole.events), upToShutdown(bytewise.events));
        }
    }

    private static Harness run(boolean server, byte[] data, boolean bytewise) {
        final Harness h = server ? Harness.server(bytewise).feed(REQUEST) : Harness.client(bytewise, 1, 2, 3, 4)
                .feed(RESPONSE);
        final int before = h.conn.written().length;
        h.feed(data).eof();
        assertEquals(1, h.closedCalls);
        if (h.cause != null) {
            assertTrue(CODES.contains(h.cause.code()), h.cause::toString);
        }
        final byte[] all = h.conn.written();
        new IpcprimsStreamDecoder(64).feed(ByteBuffer.wrap(all, before, all.length - before).slice(), (ch, p, o) -> {
            assertEquals(0, ch);
            final String type = ControlMessages.parseType(p, 0);
            assertTrue(type.equals("pong") || type.equals("shutdown_ack"), type);
            return true;
        });
        for (final Harness.Frame f : h.frames) {
            assertTrue(f.channel() >= 1 && f.channel() <= 4);
        }
        return h;
    }

    private static List<String> upToShutdown(List<String> events) {
        final int i = events.indexOf("shutdownRequested");
        return i < 0 ? events : events.subList(0, i + 1);
    }
}
