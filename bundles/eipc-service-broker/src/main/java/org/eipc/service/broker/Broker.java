package org.eipc.service.broker;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionStage;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;
import org.eipc.api.Message;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Publish/subscribe on topics with wildcards and request routing to named services (topic syntax in the package
 * comment). In-host subscribers and services use this service; remote peers reach the same broker through EIPC
 * messages (the bundle's README). Thread-safe; no method blocks on a subscriber or a service.
 */
@ProviderType
public interface Broker {
    /** The longest topic, pattern or service name, in characters. */
    int MAX_TOPIC_LENGTH = 255;
    /** The most tokens in a topic, pattern or service name. */
    int MAX_TOPIC_TOKENS = 32;
    /** The longest token, in characters. */
    int MAX_TOKEN_LENGTH = 64;

    /**
     * Subscribes to every topic {@code pattern} matches. Deliveries start with the next publish.
     *
     * @param pattern a topic in which tokens may be {@code *} and the last token {@code >}
     * @param options queue depth and overflow policy; unset values take the broker's defaults
     * @param subscriber gets the messages, on a broker thread
     * @return the subscription; close it to stop
     * @throws IpcException {@link ErrorCode#ADDRESS_INVALID} for a malformed pattern,
     *         {@link ErrorCode#CONFIG_INVALID} for a queue depth above the broker's maximum,
     *         {@link ErrorCode#QUOTA_EXCEEDED} when the broker holds its maximum number of subscriptions,
     *         {@link ErrorCode#ILLEGAL_STATE} when the broker is stopped
     */
    Subscription subscribe(String pattern, SubscriberOptions options, Subscriber subscriber);

    /**
     * Hands the message to every matching subscription's queue and returns. Never blocks: a full queue applies
     * its subscriber's overflow policy and shows in the result. The message is shared, not copied.
     *
     * @param topic a topic without wildcards
     * @return how many subscriptions matched, queued, dropped, were cancelled
     * @throws IpcException {@link ErrorCode#ADDRESS_INVALID} for a malformed topic,
     *         {@link ErrorCode#ILLEGAL_STATE} when the broker is stopped
     */
    PublishResult publish(String topic, Message message);

    /**
     * Registers the in-host provider of a named service. One provider per name (in-host or remote).
     *
     * @throws IpcException {@link ErrorCode#ADDRESS_INVALID} for a malformed name,
     *         {@link ErrorCode#ILLEGAL_STATE} when the name is taken or the broker is stopped
     */
    Registration serve(String service, Responder responder);

    /**
     * Routes a request to the named service (in-host or a remote peer that registered it) and completes with its
     * reply. Never blocks.
     *
     * @return completes with the reply, or exceptionally with an {@link IpcException}:
     *         {@link ErrorCode#CONNECT_FAILED} when no provider is registered under {@code service},
     *         {@link ErrorCode#REQUEST_TIMEOUT} after {@code timeout}, {@link ErrorCode#CONNECTION_CLOSED} when the
     *         provider's session closed, {@link ErrorCode#QUOTA_EXCEEDED} when its session is back-pressured,
     *         {@link ErrorCode#ADDRESS_INVALID} for a malformed name, {@link ErrorCode#ILLEGAL_STATE} when the
     *         broker is stopped
     */
    CompletionStage<Message> request(String service, Message request, Duration timeout);

    /**
     * Counters per topic published so far. The broker tracks at most its configured {@code maxTrackedTopics}
     * topics; publishes on further topics are summed under the key {@value #OTHER_TOPICS}, which no topic can be.
     *
     * @return a snapshot, sorted by topic
     */
    Map<String, TopicStats> topicStats();

    /** The {@link #topicStats()} key of the topics beyond the tracked ones. */
    String OTHER_TOPICS = ">";
}
