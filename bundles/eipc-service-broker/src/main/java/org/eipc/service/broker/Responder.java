package org.eipc.service.broker;

import java.util.concurrent.CompletionStage;

import org.eipc.api.Message;
import org.osgi.annotation.versioning.ConsumerType;

/** Serves the requests routed to one named service inside the host; implemented by applications. */
@ConsumerType
@FunctionalInterface
public interface Responder {

    /**
     * Answers a request. Called on a broker delivery thread: return quickly and complete the stage later for
     * long work. An exception, or a stage completed exceptionally, fails the requester's call with that
     * {@link org.eipc.api.IpcException} (other exceptions become {@code INTERNAL}).
     *
     * @param service the service name the request was routed by
     * @param request the request; its header's {@code service_id} names the requester (for a remote requester, the
     *        authenticated service id of its session)
     * @return the reply
     */
    CompletionStage<Message> respond(String service, Message request);
}
