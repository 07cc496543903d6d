package org.eipc.service.broker.impl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TopicsTest {

    @Test
    void shouldSplitValidTopicsAndPatterns() {
        assertArrayEquals(new String[] {"orders", "eu-1", "created_v2"}, Topics.topic("orders.eu-1.created_v2"));
        assertArrayEquals(new String[] {"orders", "*", ">"}, Topics.pattern("orders.*.>"));
        assertArrayEquals(new String[] {">"}, Topics.pattern(">"));
        assertEquals("a.b", Topics.service("a.b"));
        Topics.topic("a".repeat(64) + "." + "b".repeat(64) + "." + "c".repeat(64) + "." + "d".repeat(60)); // 255
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "a.", ".a", "a..b", "a b", "a/b", "a.*", "a.>", "ä", "a\u0000", "a\n"})
    void shouldRefuseMalformedTopics(final String topic) {
        assertEquals(ErrorCode.ADDRESS_INVALID, assertThrows(IpcException.class, () -> Topics.topic(topic)).code());
    }

    @ParameterizedTest
    @ValueSource(strings = {"a.>.b", ">.a", "a*", "a.b*", "*>", "a.>>", "a..*"})
    void shouldRefuseMalformedPatterns(final String pattern) {
        assertEquals(ErrorCode.ADDRESS_INVALID,
                assertThrows(IpcException.class, () -> Topics.pattern(pattern)).code());
    }

    @Test
    void shouldRefuseTooLongTopicsTokensAndTooManyTokensBeforeSplitting() {
        assertThrows(IpcException.class, () -> Topics.topic("a".repeat(256)));
        assertThrows(IpcException.class, () -> Topics.topic("a".repeat(65)));
        assertThrows(IpcException.class, () -> Topics.topic("a.".repeat(32) + "a")); // 33 tokens
        assertThrows(IpcException.class, () -> Topics.topic(null));
        assertThrows(IpcException.class, () -> Topics.service("svc.*"));
    }

    @Test
    void shouldMatchLikeNats() {
        assertTrue(matches("orders.*.created", "orders.eu.created"));
        assertFalse(matches("orders.*.created", "orders.eu.west.created"));
        assertFalse(matches("orders.*", "orders"));
        assertTrue(matches("orders.>", "orders.eu"));
        assertTrue(matches("orders.>", "orders.eu.created"));
        assertFalse(matches("orders.>", "orders"));
        assertTrue(matches(">", "x"));
        assertTrue(matches("*.*", "a.b"));
        assertFalse(matches("*.*", "a"));
        assertFalse(matches("a.b", "a.b.c"));
        assertFalse(matches("a.b.c", "a.b"));
        assertTrue(matches("a.b", "a.b"));
    }

    /** The tree must find exactly what testing every pattern finds, for random patterns and topics. */
    @Test
    void shouldMatchInTheTreeExactlyAsByTestingEveryPattern() {
        final Random rnd = new Random(7);
        final String[] words = {"a", "b", "c", "*", ">"};
        final TopicTree tree = new TopicTree(64);
        final List<Outbox> all = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            final StringBuilder p = new StringBuilder();
            final int n = 1 + rnd.nextInt(4);
            for (int t = 0; t < n; t++) {
                final String w = words[rnd.nextInt(t == n - 1 ? 5 : 4)];
                p.append(t == 0 ? "" : ".").append(w);
            }
            final Outbox o = new Outbox("s" + i, p.toString(), Topics.pattern(p.toString()), 1,
                    org.eipc.service.broker.OverflowPolicy.DROP_NEWEST, null, r -> { }, 1, x -> { });
            all.add(o);
            tree.add(o.tokens(), o);
            if (i % 5 == 0) { // churn: remove an earlier one
                final Outbox gone = all.remove(rnd.nextInt(all.size()));
                tree.remove(gone.tokens(), gone);
            }
        }
        for (int i = 0; i < 500; i++) {
            final StringBuilder topic = new StringBuilder();
            final int n = 1 + rnd.nextInt(5);
            for (int t = 0; t < n; t++) {
                topic.append(t == 0 ? "" : ".").append(words[rnd.nextInt(3)]);
            }
            final String[] tokens = Topics.topic(topic.toString());
            final List<String> expected = new ArrayList<>();
            for (Outbox o : all) {
                if (Topics.matches(o.tokens(), tokens)) {
                    expected.add(o.id());
                }
            }
            final List<String> got = new ArrayList<>();
            for (Outbox o : tree.match(topic.toString(), tokens)) {
                got.add(o.id());
            }
            expected.sort(null);
            got.sort(null);
            assertEquals(expected, got, topic.toString());
        }
        assertEquals(all.size(), tree.size());
    }

    private static boolean matches(final String pattern, final String topic) {
        return Topics.matches(Topics.pattern(pattern), Topics.topic(topic));
    }
}
