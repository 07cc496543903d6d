package org.eipc.service.broker.impl;

/** The header {@code route} values of the broker's wire protocol (README.md of this bundle). */
final class Routes {
    static final String PREFIX = "broker.";
    static final String SUBSCRIBE = "broker.subscribe.";
    static final String UNSUBSCRIBE = "broker.unsubscribe.";
    static final String PUBLISH = "broker.publish.";
    static final String REGISTER = "broker.register.";
    static final String UNREGISTER = "broker.unregister.";
    static final String REQUEST = "broker.request.";
    static final String DELIVER = "broker.deliver.";
    static final String CANCELLED = "broker.cancelled.";
    static final String STATUS = "broker.status";

    private Routes() {
    }
}
