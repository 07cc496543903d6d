package org.eipc.service.trace.impl;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

import org.eipc.api.Message;
import org.eipc.service.trace.TraceContext;
import org.eipc.service.trace.Tracer;
import org.osgi.service.component.annotations.Component;

/**
 * The {@link Tracer}: ids from {@link ThreadLocalRandom} (a trace id only has to be unique, not secret; W3C trace
 * context asks for random ids, nothing more).
 */
@Component(service = Tracer.class)
public final class TracerImpl implements Tracer {

    @Override
    public TraceContext start() {
        return TraceContext.of(hex(16), hex(8));
    }

    @Override
    public TraceContext child(final TraceContext parent) {
        return TraceContext.of(parent.traceId(), hex(8));
    }

    @Override
    public TraceContext contextOf(final Message message) {
        final String rid = message.header().requestId();
        return TraceContext.parse(rid).orElseGet(() -> TraceContext.derived(message.header().sessionId(), rid));
    }

    @Override
    public Message inject(final TraceContext context, final Message message) {
        return message.withHeader(message.header().toBuilder().requestId(context.toRequestId()).build());
    }

    private static String hex(final int bytes) {
        final byte[] b = new byte[bytes];
        final ThreadLocalRandom r = ThreadLocalRandom.current();
        do {
            r.nextBytes(b);
        } while (allZero(b));
        return HexFormat.of().formatHex(b);
    }

    private static boolean allZero(final byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }
}
