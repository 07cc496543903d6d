package org.eipc.service.trace;

import org.eipc.api.Message;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Starts traces and keeps them across hops. Registered as a service by this bundle; thread-safe.
 *
 * <p>A handler that passes work on to another hop keeps the trace like this:
 * <pre>
 * public void onMessage(Session from, Message request) {
 *     Message next = tracer.forward(request, Message.of(MessageType.TOOL_REQUEST, Header.builder().build(), body));
 *     downstream.request(next, timeout).thenAccept(reply -&gt; from.reply(request, answer(reply)));
 * }
 * </pre>
 * The reply to {@code request} keeps {@code request}'s request id and so its trace; {@code next} carries the same
 * trace id with a new span id. {@link org.eipc.api.Session#request} keeps a request id that is already set.
 */
@ProviderType
public interface Tracer {

    /** A new trace: random trace id, random span id. */
    TraceContext start();

    /** A new span (random span id) in {@code parent}'s trace. */
    TraceContext child(TraceContext parent);

    /** The trace a received or sent message belongs to: carried by its request id, or derived. */
    TraceContext contextOf(Message message);

    /** {@code message} with its request id set to {@code context}'s. */
    Message inject(TraceContext context, Message message);

    /**
     * {@code outbound} in the trace of {@code inbound}, as a new span: what a handler sends to the next hop.
     *
     * @return {@code outbound} with a {@code traceparent} request id
     */
    default Message forward(Message inbound, Message outbound) {
        return inject(child(contextOf(inbound)), outbound);
    }
}
