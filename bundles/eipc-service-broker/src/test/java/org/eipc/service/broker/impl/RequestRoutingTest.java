package org.eipc.service.broker.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;
import org.eipc.api.Message;
import org.eipc.service.broker.Registration;
import org.eipc.service.broker.SubscriberOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RequestRoutingTest {
    private static final Duration TEN_SECONDS = Duration.ofSeconds(10);
    private final BrokerCore broker = new BrokerCore(BrokerSettings.defaults());

    @AfterEach
    void close() {
        broker.close();
    }

    private static Message await(final CompletionStage<Message> stage) throws Exception {
        return stage.toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    private static ErrorCode failure(final CompletionStage<Message> stage) {
        final ExecutionException e = assertThrows(ExecutionException.class,
                () -> stage.toCompletableFuture().get(20, TimeUnit.SECONDS));
        return ((IpcException) e.getCause()).code();
    }

    @Test
    void shouldRouteARequestToTheNamedServiceAndCompleteWithItsReply() throws Exception {
        broker.serve("calc.echo", (service, req) -> CompletableFuture.completedFuture(
                Messages.text(service + ":" + Messages.text(req))));
        assertEquals("calc.echo:hi", Messages.text(await(broker.request("calc.echo", Messages.text("hi"),
                TEN_SECONDS))));
    }

    @Test
    void shouldFailWithConnectFailedForAnUnknownService() {
        assertEquals(ErrorCode.CONNECT_FAILED, failure(broker.request("nobody", Messages.text("x"), TEN_SECONDS)));
        assertEquals(ErrorCode.ADDRESS_INVALID, failure(broker.request("bad name", Messages.text("x"), TEN_SECONDS)));
        assertEquals(ErrorCode.CONFIG_INVALID, failure(broker.request("nobody", Messages.text("x"), Duration.ZERO)));
    }

    @Test
    void shouldTimeOutWhenTheServiceNeverAnswers() {
        broker.serve("slow", (service, req) -> new CompletableFuture<>());
        assertEquals(ErrorCode.REQUEST_TIMEOUT, failure(broker.request("slow", Messages.text("x"),
                Duration.ofMillis(50))));
    }

    @Test
    void shouldPassTheServicesFailureCodeAndWrapForeignExceptions() {
        broker.serve("deny", (service, req) -> {
            throw new IpcException(ErrorCode.POLICY_DENIED, "no");
        });
        broker.serve("broken", (service, req) -> CompletableFuture.failedFuture(new IllegalStateException("bug")));
        assertEquals(ErrorCode.POLICY_DENIED, failure(broker.request("deny", Messages.text("x"), TEN_SECONDS)));
        assertEquals(ErrorCode.INTERNAL, failure(broker.request("broken", Messages.text("x"), TEN_SECONDS)));
    }

    @Test
    void shouldAllowOneProviderPerNameUntilItsRegistrationCloses() throws Exception {
        final Registration first = broker.serve("svc", (s, r) -> CompletableFuture.completedFuture(
                Messages.text("first")));
        assertEquals(ErrorCode.ILLEGAL_STATE, assertThrows(IpcException.class,
                () -> broker.serve("svc", (s, r) -> CompletableFuture.completedFuture(r))).code());
        first.close();
        broker.serve("svc", (s, r) -> CompletableFuture.completedFuture(Messages.text("second")));
        assertEquals("second", Messages.text(await(broker.request("svc", Messages.text("x"), TEN_SECONDS))));
    }

    @Test
    void shouldFailPendingRequestsAndRefuseNewWorkWhenClosed() {
        broker.serve("never", (service, req) -> new CompletableFuture<>());
        final CompletionStage<Message> pending = broker.request("never", Messages.text("x"), TEN_SECONDS);
        broker.close();
        assertEquals(ErrorCode.ILLEGAL_STATE, failure(pending));
        assertEquals(ErrorCode.ILLEGAL_STATE, assertThrows(IpcException.class,
                () -> broker.subscribe("a", SubscriberOptions.defaults(), (t, m) -> { })).code());
        assertEquals(ErrorCode.ILLEGAL_STATE, assertThrows(IpcException.class,
                () -> broker.publish("a", Messages.text("x"))).code());
    }
}
