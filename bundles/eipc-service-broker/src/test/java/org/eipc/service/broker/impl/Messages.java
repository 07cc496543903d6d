package org.eipc.service.broker.impl;

import java.nio.charset.StandardCharsets;

import org.eipc.api.Header;
import org.eipc.api.Message;
import org.eipc.api.MessageType;

/** Tiny message helpers for the tests. */
final class Messages {
    private Messages() {
    }

    static Message text(final String text) {
        return Message.of(MessageType.INTENT, Header.builder().build(), text.getBytes(StandardCharsets.UTF_8));
    }

    static Message routed(final String route, final String requestId, final String payload) {
        return Message.of(MessageType.INTENT, Header.builder().route(route).requestId(requestId).build(),
                payload.getBytes(StandardCharsets.UTF_8));
    }

    static String text(final Message m) {
        return new String(m.payloadBytes(), StandardCharsets.UTF_8);
    }
}
