package org.eipc.service.broker.impl;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionStage;

import org.eipc.api.Message;
import org.eipc.api.MessageHandler;
import org.eipc.api.Session;
import org.eipc.service.broker.Broker;
import org.eipc.service.broker.PublishResult;
import org.eipc.service.broker.Registration;
import org.eipc.service.broker.Responder;
import org.eipc.service.broker.Subscriber;
import org.eipc.service.broker.SubscriberOptions;
import org.eipc.service.broker.Subscription;
import org.eipc.service.broker.TopicStats;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker service. One component with two faces, because both serve the same subscriptions and services and
 * live and die together: {@link Broker} for the host, and a {@link MessageHandler} (service property
 * {@code eipc.endpoint}, matched by the endpoints' {@code handler.target}) that speaks the wire protocol to remote
 * peers. Configuration PID {@value #PID}, optional: every value has a default. A configuration change restarts
 * the broker (subscribers are told through {@link Subscriber#cancelled}; remote peers get
 * {@code broker.cancelled.<pattern>}).
 */
// immediate: remote peers may subscribe as soon as an endpoint is up, before any bundle asks for Broker
@Component(service = {Broker.class, MessageHandler.class}, configurationPid = BrokerComponent.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL, immediate = true, property = "eipc.endpoint=*")
@Designate(ocd = BrokerConfig.class)
public final class BrokerComponent implements Broker, MessageHandler, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BrokerComponent.class);

    /** Configuration PID. */
    public static final String PID = "org.eipc.service.broker";

    private final BrokerCore core;
    private final WireProtocol wire;

    @Activate
    public BrokerComponent(final BrokerConfig config) {
        this(BrokerSettings.of(config));
    }

    /** A broker with every configuration default, for use outside OSGi (tools, benchmarks); close it when done. */
    public BrokerComponent() {
        this(BrokerSettings.defaults());
    }

    /**
     * @throws org.eipc.api.IpcException {@code CONFIG_INVALID} listing every bad value
     */
    BrokerComponent(final BrokerSettings settings) {
        this.core = new BrokerCore(settings);
        this.wire = new WireProtocol(core);
        core.every(settings.sweepMillis(), wire::sweep);
        LOG.debug("broker activated: {}", settings);
    }

    /** Cancels every subscription, fails pending requests and stops the broker's threads. Idempotent. */
    @Deactivate
    @Override
    public void close() {
        LOG.debug("broker deactivating: {} subscriptions, {} remote peers", core.subscriptions(), wire.peers());
        core.close();
    }

    @Override
    public Subscription subscribe(final String pattern, final SubscriberOptions options, final Subscriber subscriber) {
        return core.subscribe(pattern, options, subscriber);
    }

    @Override
    public PublishResult publish(final String topic, final Message message) {
        return core.publish(topic, message);
    }

    @Override
    public Registration serve(final String service, final Responder responder) {
        return core.serve(service, responder);
    }

    @Override
    public CompletionStage<Message> request(final String service, final Message request, final Duration timeout) {
        return core.request(service, request, timeout);
    }

    @Override
    public Map<String, TopicStats> topicStats() {
        return core.topicStats();
    }

    @Override
    public void onMessage(final Session session, final Message message) {
        wire.onMessage(session, message);
    }

    // for tests in this package
    BrokerCore core() {
        return core;
    }

    WireProtocol wire() {
        return wire;
    }
}
