package org.eipc.service.trace.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;

import org.eipc.api.Header;
import org.eipc.api.IpcException;
import org.eipc.api.Message;
import org.eipc.api.MessageType;
import org.eipc.api.PeerIdentity;
import org.eipc.service.trace.Span;
import org.eipc.service.trace.TraceContext;
import org.eipc.spi.runtime.MessageContext;
import org.eipc.spi.runtime.MessageTap.Direction;
import org.junit.jupiter.api.Test;

class SpanTapTest {
    private static final MessageContext CLIENT = new MessageContext("tcp://127.0.0.1:1", "s1",
            new PeerIdentity("host", Set.of(), OptionalInt.empty(), OptionalInt.empty(), ""), false);

    private static Message message(String rid) {
        return Message.of(MessageType.TOOL_REQUEST, Header.builder().requestId(rid).sessionId("s1").build(),
                "{}".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void shouldKeepTheCarriedTraceAndTimeTheReply() {
        SpanTap tap = new SpanTap(16, 16, true, Clock.systemUTC());
        TraceContext t = new TracerImpl().start();
        tap.onMessage(Direction.OUTBOUND, CLIENT, message(t.toRequestId()), 1_000);
        tap.onMessage(Direction.INBOUND, CLIENT, message(t.toRequestId()), 4_000);
        List<Span> spans = tap.trace(t.traceId());
        assertEquals(2, spans.size());
        assertTrue(spans.get(0).carried() && spans.get(0).outbound());
        assertEquals(t.spanId(), spans.get(0).spanId());
        assertEquals(-1, spans.get(0).durationNanos());
        assertEquals(3_000, spans.get(1).durationNanos(), "the reply is timed against its request");
        assertEquals("host", spans.get(1).peerServiceId());
        assertEquals("tool_request", spans.get(1).type());
    }

    @Test
    void shouldDeriveOneTraceForARequestAndItsReplyWithoutTraceparent() {
        SpanTap tap = new SpanTap(16, 16, false, Clock.systemUTC());
        tap.onMessage(Direction.OUTBOUND, CLIENT, message("req-1"), 1);
        tap.onMessage(Direction.INBOUND, CLIENT, message("req-1"), 2);
        tap.onMessage(Direction.OUTBOUND, CLIENT, message("req-2"), 3);
        List<Span> all = tap.recent(10);
        assertEquals(all.get(0).traceId(), all.get(1).traceId());
        assertFalse(all.get(0).traceId().equals(all.get(2).traceId()));
        assertFalse(all.get(0).carried());
        assertEquals(TraceContext.derived("s1", "req-1").traceId(), all.get(0).traceId());
    }

    @Test
    void shouldOverwriteTheOldestWhenTheRingIsFull() {
        SpanTap tap = new SpanTap(16, 0, false, Clock.systemUTC());
        for (int i = 0; i < 40; i++) {
            tap.onMessage(Direction.INBOUND, CLIENT, message("r" + i), i);
        }
        assertEquals(40, tap.total());
        List<Span> last = tap.recent(100);
        assertEquals(16, last.size());
        assertEquals("r24", last.get(0).requestId());
        assertEquals("r39", last.get(15).requestId());
        assertEquals(List.of("r38", "r39"), tap.recent(2).stream().map(Span::requestId).toList());
    }

    @Test
    void shouldRefuseACapacityOutOfRange() {
        assertThrows(IpcException.class, () -> new SpanTap(1, 0, false, Clock.systemUTC()));
    }
}
