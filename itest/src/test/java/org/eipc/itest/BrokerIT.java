package org.eipc.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemTimeout;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import javax.inject.Inject;

import org.eipc.api.Endpoint;
import org.eipc.api.Header;
import org.eipc.api.IpcException;
import org.eipc.api.Message;
import org.eipc.api.MessageType;
import org.eipc.api.SendResult;
import org.eipc.api.Session;
import org.eipc.runtime.EipcRuntime;
import org.eipc.runtime.EndpointOptions;
import org.eipc.service.broker.Broker;
import org.eipc.service.broker.Subscriber;
import org.eipc.service.broker.SubscriberOptions;
import org.eipc.service.broker.Subscription;
import org.eipc.spi.transport.Transport;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The broker bundle inside Felix with the {@code eipc-default} feature: a server endpoint configured through
 * ConfigAdmin (as {@code eipc host} is) carries a remote publisher and a remote subscriber, an in-host subscriber
 * uses the {@link Broker} service, and an unrelated endpoint of the same runtime answers requests all along. While
 * messages flow, the broker bundle is stopped and started: the subscribers are told ({@link Subscriber#cancelled},
 * {@code broker.cancelled.<pattern>}), the rest of the host keeps working (the echo requests never fail, every
 * session stays open), and after the restart both subscribers subscribe again and receive the stream.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class BrokerIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @Inject
    BundleContext context;

    @org.ops4j.pax.exam.Configuration
    public Option[] config() {
        return options(EipcOptions.base(), EipcOptions.feature("eipc-default"),
                systemTimeout(30_000)); // the probe may come up slowly on a busy 2-core machine
    }

    /** Counts deliveries and notices the broker cancelled it. */
    private static final class Counter implements Subscriber {
        final AtomicLong received = new AtomicLong();
        final CountDownLatch cancelled = new CountDownLatch(1);

        @Override
        public void onMessage(final String topic, final Message message) {
            received.incrementAndGet();
        }

        @Override
        public void cancelled(final Subscription s, final String reason) {
            cancelled.countDown();
        }
    }

    @Test
    public void brokerStopsAndStartsWhileTrafficFlowsAndTheHostKeepsWorking() throws Exception {
        final Path keys = ItSupport.keyDirectory();
        ItSupport.writeKey(keys, "k1", ItSupport.keyBytes("broker"), Instant.now().minusSeconds(60));
        ItSupport.configure(context, "org.eipc.keyring.file", ItSupport.props("directory", keys.toString(),
                "overlapSeconds", 300L, "rescanSeconds", 1L));
        ItSupport.awaitCurrentKey(context, "file", "k1");
        final EipcRuntime runtime = ItSupport.await(context, EipcRuntime.class, null);
        ItSupport.await(context, Transport.class, "(" + Transport.PROP_KIND + "=unix)");
        final Path dir = Files.createTempDirectory("eipc-it-broker");
        final List<URI> brokerUri = List.of(URI.create("unix://" + dir.resolve("broker.sock")));
        final List<URI> echoUri = List.of(URI.create("unix://" + dir.resolve("echo.sock")));

        // the broker's endpoint, configured as a deployment does it; its handlers include the broker
        final ConfigurationAdmin ca = ItSupport.await(context, ConfigurationAdmin.class, null);
        final Configuration endpointConfig = ca.getFactoryConfiguration("org.eipc.endpoint", "broker-it", null);
        endpointConfig.update(ItSupport.props("name", "broker-it", "uri", new String[] {brokerUri.get(0).toString()},
                "serviceId", "host"));
        ItSupport.await(context, Endpoint.class, "(name=broker-it)");
        // the rest of the host: an unrelated endpoint that answers every request
        final Endpoint echo = runtime.listen(echoUri, EndpointOptions.builder().serviceId("echo").build(),
                (s, m) -> s.reply(m, m));
        final Session echoClient = runtime.connect(echoUri, EndpointOptions.builder().serviceId("app").build(),
                (s, m) -> { }, TIMEOUT);

        final Counter local = new Counter();
        ItSupport.await(context, Broker.class, null).subscribe("it.>", SubscriberOptions.defaults(), local);
        final AtomicLong remoteReceived = new AtomicLong();
        final CountDownLatch remoteCancelled = new CountDownLatch(1);
        final Session subscriber = runtime.connect(brokerUri, EndpointOptions.builder().serviceId("sub").build(),
                (s, m) -> {
                    if (m.header().route().startsWith("broker.deliver.it.")) {
                        remoteReceived.incrementAndGet();
                    } else if (m.header().route().startsWith("broker.cancelled.it.")) {
                        remoteCancelled.countDown();
                    }
                }, TIMEOUT);
        subscribeRemotely(subscriber);
        final Session publisher = runtime.connect(brokerUri, EndpointOptions.builder().serviceId("pub").build(),
                (s, m) -> { }, TIMEOUT);
        final Traffic traffic = new Traffic(publisher, echoClient);
        final CompletableFuture<Void> publishing = CompletableFuture.runAsync(traffic::publish);
        final CompletableFuture<Void> echoing = CompletableFuture.runAsync(traffic::echo);

        awaitAtLeast("in-host deliveries before the stop", local.received, 200);
        awaitAtLeast("remote deliveries before the stop", remoteReceived, 200);
        final Bundle brokerBundle = ItSupport.bundle(context, "org.eipc.service.broker");
        brokerBundle.stop();
        assertNull("no Broker service while stopped", context.getServiceReference(Broker.class));
        assertTrue("in-host subscriber told", local.cancelled.await(10, TimeUnit.SECONDS));
        assertTrue("remote subscriber told", remoteCancelled.await(10, TimeUnit.SECONDS));
        final long localAtStop = local.received.get();
        awaitAtLeast("echo replies while the broker is stopped", traffic.echoed, traffic.echoed.get() + 50);
        final long published = traffic.published.get();
        awaitAtLeast("publishing goes on (nobody serves it)", traffic.published, published + 200);

        brokerBundle.start();
        final Counter again = new Counter();
        ItSupport.await(context, Broker.class, null).subscribe("it.>", SubscriberOptions.defaults(), again);
        subscribeRemotely(subscriber);
        final long remoteBefore = remoteReceived.get();
        awaitAtLeast("in-host deliveries after the restart", again.received, 200);
        awaitAtLeast("remote deliveries after the restart", remoteReceived, remoteBefore + 200);

        traffic.stop = true;
        publishing.get(20, TimeUnit.SECONDS);
        echoing.get(20, TimeUnit.SECONDS);
        System.out.println("BrokerIT: published " + traffic.published.get() + ", echoed " + traffic.echoed.get()
                + ", in-host received " + local.received.get() + " + " + again.received.get() + ", remote received "
                + remoteReceived.get());
        assertNull("echo request failed", traffic.failure.get());
        assertEquals("the first in-host subscription got nothing after the stop", localAtStop, local.received.get());
        assertTrue("sessions still open", publisher.isOpen() && subscriber.isOpen() && echoClient.isOpen());
        publisher.close();
        subscriber.close();
        echoClient.close();
        echo.close();
        endpointConfig.delete();
    }

    /** Subscribes {@code it.*}, retrying while the endpoint has no broker among its handlers yet. */
    private static void subscribeRemotely(final Session s) throws Exception {
        final long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ItSupport.WAIT_MS);
        while (true) {
            final Message m = Message.of(MessageType.INTENT, Header.builder().route("broker.subscribe.it.*").build(),
                    "{\"queue\":4096}".getBytes(StandardCharsets.UTF_8));
            try {
                final Message reply = s.request(m, Duration.ofMillis(500)).toCompletableFuture()
                        .get(5, TimeUnit.SECONDS);
                assertEquals("{\"status\":\"ok\"}", new String(reply.payloadBytes(), StandardCharsets.UTF_8));
                return;
            } catch (java.util.concurrent.ExecutionException e) {
                if (!(e.getCause() instanceof IpcException) || System.nanoTime() > end) {
                    throw e;
                }
            }
        }
    }

    private static void awaitAtLeast(final String what, final AtomicLong counter, final long n)
            throws InterruptedException {
        ItSupport.waitFor(what + " (" + n + ", at " + counter.get() + ")", () -> counter.get() >= n);
    }

    /** A paced publisher (about 5,000 messages/s) and a request loop against the echo endpoint. */
    private static final class Traffic {
        final Session publisher;
        final Session echoClient;
        final AtomicLong published = new AtomicLong();
        final AtomicLong echoed = new AtomicLong();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final AtomicInteger seq = new AtomicInteger();
        volatile boolean stop;

        Traffic(final Session publisher, final Session echoClient) {
            this.publisher = publisher;
            this.echoClient = echoClient;
        }

        void publish() {
            while (!stop) {
                final Message m = Message.of(MessageType.INTENT, Header.builder().route("broker.publish.it.ticks")
                        .build(), Integer.toString(seq.incrementAndGet()).getBytes(StandardCharsets.US_ASCII));
                final SendResult r = publisher.send(m);
                if (r == SendResult.OK) {
                    published.incrementAndGet();
                } else if (r == SendResult.BACK_PRESSURE) {
                    publisher.whenWritable().toCompletableFuture().join();
                } else {
                    failure.compareAndSet(null, new IllegalStateException("publisher session closed"));
                    return;
                }
                if (published.get() % 5 == 0) {
                    LockSupport.parkNanos(1_000_000); // pacing, not synchronisation
                }
            }
        }

        void echo() {
            while (!stop) {
                final Message m = Message.of(MessageType.INTENT, Header.builder().build(), new byte[] {42});
                try {
                    final Message reply = echoClient.request(m, TIMEOUT).toCompletableFuture()
                            .get(20, TimeUnit.SECONDS);
                    assertNotNull(reply);
                    echoed.incrementAndGet();
                } catch (Exception e) {
                    failure.compareAndSet(null, e);
                    return;
                }
            }
        }
    }
}
