/**
 * The EIPC broker: publish/subscribe on topics with wildcards, fan-out with per-subscriber back-pressure, and
 * request routing to named services, for subscribers inside the host ({@link org.eipc.service.broker.Broker}) and
 * for remote peers (the wire protocol in the bundle's README).
 *
 * <h2>Topics and patterns</h2>
 * A topic is 1 to {@value org.eipc.service.broker.Broker#MAX_TOPIC_TOKENS} tokens separated by {@code '.'}, at
 * most {@value org.eipc.service.broker.Broker#MAX_TOPIC_LENGTH} characters in all; a token is 1 to
 * {@value org.eipc.service.broker.Broker#MAX_TOKEN_LENGTH} characters of {@code [A-Za-z0-9_-]}. A pattern is a
 * topic in which a token may also be {@code *} (exactly one token) or, as the last token only, {@code >} (one or
 * more tokens), as in NATS: {@code orders.*.created} matches {@code orders.eu.created};
 * {@code orders.>} matches {@code orders.eu} and {@code orders.eu.created} but not {@code orders}. Service names
 * follow the topic syntax (no wildcards).
 *
 * <h2>Back-pressure</h2>
 * Every subscriber has its own bounded queue, drained by the broker's delivery threads one subscriber at a time
 * and in order. {@link org.eipc.service.broker.Broker#publish publish} never blocks and never waits for a
 * subscriber: when a subscriber's queue is full, its {@link org.eipc.service.broker.OverflowPolicy} decides what
 * is lost, and only that subscriber loses it.
 */
@Export
@Version("1.0.0")
package org.eipc.service.broker;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
