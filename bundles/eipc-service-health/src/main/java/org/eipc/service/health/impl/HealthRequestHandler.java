package org.eipc.service.health.impl;

import java.nio.ByteBuffer;

import org.eipc.api.ErrorCode;
import org.eipc.api.Header;
import org.eipc.api.Message;
import org.eipc.api.MessageHandler;
import org.eipc.api.MessageType;
import org.eipc.api.SendResult;
import org.eipc.api.Session;
import org.eipc.service.health.HealthService;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the health report over EIPC: the runtime's configured endpoints hand every inbound message to the
 * {@link MessageHandler} services their {@code handler.target} selects; this one answers requests (a non-empty
 * {@code request_id}) whose header route is {@code health} with the report as JSON ({@link HealthJson}, payload
 * format JSON, the request's message type) and ignores everything else. With a configured capability, a request
 * without it is answered with the runtime's error reply ({@code CAPABILITY_DENIED}).
 */
@Component(service = MessageHandler.class, configurationPid = HealthRequestHandler.PID,
        property = "eipc.endpoint=*")
@Designate(ocd = HealthEndpointConfig.class)
public final class HealthRequestHandler implements MessageHandler {
    private static final Logger LOG = LoggerFactory.getLogger(HealthRequestHandler.class);

    /** Configuration PID. */
    public static final String PID = "org.eipc.service.health.endpoint";

    private final HealthService health;
    private final String route;
    private final String capability;

    @Activate
    public HealthRequestHandler(@Reference(name = "health") final HealthService health,
            final HealthEndpointConfig config) {
        this(health, config.route(), config.capability());
    }

    HealthRequestHandler(final HealthService health, final String route, final String capability) {
        if (route == null || route.isBlank()) {
            throw new org.eipc.api.IpcException(ErrorCode.CONFIG_INVALID, "route must not be empty");
        }
        this.health = health;
        this.route = route;
        this.capability = capability == null ? "" : capability;
    }

    @Override
    public void onMessage(final Session session, final Message message) {
        final Header h = message.header();
        if (!route.equals(h.route()) || h.requestId().isEmpty()) {
            return;
        }
        final Message reply;
        if (!capability.isEmpty() && !capability.equals(h.capability())) {
            reply = denial(h, ErrorCode.CAPABILITY_DENIED, "the health report needs capability '" + capability + "'");
        } else {
            reply = Message.ofWire(message.typeByte(), Header.builder().route(route).priority(h.priority())
                    .payloadFormat(Header.FORMAT_JSON).build(), ByteBuffer.wrap(HealthJson.bytes(health.report())));
        }
        final SendResult r = session.reply(message, reply);
        if (r != SendResult.OK) {
            LOG.debug("health reply to session {} not sent: {}", session.id(), r);
        }
    }

    /** The runtime's error reply: type {@code a}, {@code {"request_id","status":"error","code","error"}}. */
    private static Message denial(final Header request, final ErrorCode code, final String text) {
        final StringBuilder sb = new StringBuilder("{\"request_id\":");
        HealthJson.string(sb, request.requestId());
        sb.append(",\"status\":\"error\",\"code\":");
        HealthJson.string(sb, code.name());
        sb.append(",\"error\":");
        HealthJson.string(sb, text);
        sb.append('}');
        return Message.of(MessageType.ACK, Header.builder().route(request.route()).build(),
                sb.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
