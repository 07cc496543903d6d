package org.eipc.service.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.eipc.api.Header;
import org.eipc.api.Message;
import org.eipc.api.MessageType;
import org.eipc.service.trace.impl.TracerImpl;
import org.junit.jupiter.api.Test;

class TraceContextTest {
    private final Tracer tracer = new TracerImpl();

    @Test
    void shouldCarryTheTraceInTheRequestIdAsTraceparent() {
        TraceContext t = tracer.start();
        assertTrue(t.toRequestId().matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01"), t.toRequestId());
        assertEquals(t, TraceContext.parse(t.toRequestId()).orElseThrow());
        assertTrue(TraceContext.parse("req-1").isEmpty());
        assertTrue(TraceContext.parse("00-" + "0".repeat(32) + "-" + "1".repeat(16) + "-01").isEmpty());
        assertTrue(TraceContext.parse("00-" + "A".repeat(32) + "-" + "1".repeat(16) + "-01").isEmpty());
        assertThrows(IllegalArgumentException.class, () -> TraceContext.of("abc", "1".repeat(16)));
    }

    @Test
    void shouldKeepTheTraceIdAcrossAHopWithANewSpan() {
        Message in = tracer.inject(tracer.start(), Message.of(MessageType.TOOL_REQUEST, Header.builder().build(),
                "{}".getBytes(StandardCharsets.UTF_8)));
        Message next = tracer.forward(in, Message.of(MessageType.TOOL_REQUEST, Header.builder().build(),
                "{\"hop\":2}".getBytes(StandardCharsets.UTF_8)));
        TraceContext a = tracer.contextOf(in);
        TraceContext b = tracer.contextOf(next);
        assertEquals(a.traceId(), b.traceId());
        assertNotEquals(a.spanId(), b.spanId());
        assertTrue(b.carried());
        assertEquals("{\"hop\":2}", new String(next.payloadBytes(), StandardCharsets.UTF_8), "payload untouched");
    }

    @Test
    void shouldDeriveTheSameIdsOnBothEndsForAnUntracedRequestId() {
        Message m = Message.of(MessageType.INTENT, Header.builder().sessionId("sid").requestId("req-7").build(), null);
        TraceContext t = tracer.contextOf(m);
        assertFalse(t.carried());
        assertEquals(TraceContext.derived("sid", "req-7"), t);
        assertNotEquals(t.traceId(), TraceContext.derived("other", "req-7").traceId());
        // a new trace started from a derived one carries it from then on
        assertTrue(tracer.contextOf(tracer.forward(m, m)).carried());
        assertEquals(t.traceId(), tracer.contextOf(tracer.forward(m, m)).traceId());
    }
}
