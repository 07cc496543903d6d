package org.eipc.service.broker.impl;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

@ObjectClassDefinition(name = "EIPC broker", description = "Publish/subscribe with wildcards and per-subscriber"
        + " back-pressure, and request routing to named services, in the host and for remote peers")
@interface BrokerConfig {

    @AttributeDefinition(min = "1", description = "Queue depth of a subscription that asks for none")
    int queueDepth() default 1024;

    @AttributeDefinition(description = "Overflow policy of a subscription that asks for none", options = {
        @Option(value = "drop_oldest", label = "drop the oldest queued message"),
        @Option(value = "drop_newest", label = "drop the new message"),
        @Option(value = "disconnect", label = "cancel the subscription")})
    String overflow() default "drop_oldest";

    @AttributeDefinition(min = "1", max = "1048576", description = "Largest queue depth a subscription may ask for")
    int maxQueueDepth() default 65_536;

    @AttributeDefinition(min = "1", description = "Subscriptions the broker holds at most (in-host and remote)")
    int maxSubscriptions() default 65_536;

    @AttributeDefinition(min = "1", max = "64", description = "Delivery threads that drain subscriber queues")
    int deliveryThreads() default 2;

    @AttributeDefinition(min = "1", max = "256", description = "Delivery threads at most, counting the extra ones"
            + " started while subscribers block the regular ones")
    int maxDeliveryThreads() default 16;

    @AttributeDefinition(min = "1", description = "A delivery thread inside one subscriber call for this long counts"
            + " as stalled; while work waits, an extra thread starts")
    long stallMillis() default 50;

    @AttributeDefinition(min = "1", max = "4096", description = "Messages one subscriber gets per turn before the"
            + " next subscriber's turn")
    int batch() default 64;

    @AttributeDefinition(min = "0", description = "Topics with their own counters; the rest are summed under '>'")
    int maxTrackedTopics() default 4096;

    @AttributeDefinition(min = "0", description = "Subscriptions one remote session may hold")
    int maxSubscriptionsPerSession() default 256;

    @AttributeDefinition(min = "0", description = "Named services one remote session may register")
    int maxServicesPerSession() default 16;

    @AttributeDefinition(min = "1", description = "Deadline of a request routed for a remote peer; its own"
            + " session deadline may be shorter")
    long maxRequestTimeoutMillis() default 30_000;

    @AttributeDefinition(min = "10", description = "How often closed remote sessions are looked for, their"
            + " subscriptions and services removed")
    long sweepMillis() default 1_000;

    @AttributeDefinition(name = "eipc.endpoint", description = "Endpoints whose messages the broker serves"
            + " (a service property matched by the endpoints' handler.target); '*' for every endpoint")
    String eipc_endpoint() default "*";
}
