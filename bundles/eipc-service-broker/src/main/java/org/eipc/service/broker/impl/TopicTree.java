package org.eipc.service.broker.impl;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The subscriptions by pattern, as a tree of tokens with a {@code *} branch and a {@code >} list per node, so a
 * publish walks the topic's tokens instead of testing every pattern. Results are cached per topic until the
 * next change; the cache is bounded and starts over when full. Thread-safe: changes take the write lock, a
 * cache miss the read lock, a cache hit no lock.
 */
final class TopicTree {
    private static final Outbox[] NONE = new Outbox[0];

    private final Node root = new Node();
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Map<String, Outbox[]> cache = new ConcurrentHashMap<>();
    private final int maxCached;
    private int size;

    TopicTree(final int maxCached) {
        this.maxCached = maxCached;
    }

    void add(final String[] pattern, final Outbox outbox) {
        lock.writeLock().lock();
        try {
            Node n = root;
            for (int i = 0; i < pattern.length; i++) {
                final String t = pattern[i];
                if (Topics.REST.equals(t)) {
                    n.rest.add(outbox);
                    n = null;
                    break;
                }
                if (Topics.ONE.equals(t)) {
                    if (n.star == null) {
                        n.star = new Node();
                    }
                    n = n.star;
                } else {
                    n = n.children.computeIfAbsent(t, k -> new Node());
                }
            }
            if (n != null) {
                n.here.add(outbox);
            }
            size++;
            cache.clear();
        } finally {
            lock.writeLock().unlock();
        }
    }

    void remove(final String[] pattern, final Outbox outbox) {
        lock.writeLock().lock();
        try {
            if (remove(root, pattern, 0, outbox)) {
                size--;
                cache.clear();
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    private static boolean remove(final Node n, final String[] pattern, final int i, final Outbox outbox) {
        if (i == pattern.length) {
            return n.here.remove(outbox);
        }
        final String t = pattern[i];
        if (Topics.REST.equals(t)) {
            return n.rest.remove(outbox);
        }
        final Node next = Topics.ONE.equals(t) ? n.star : n.children.get(t);
        if (next == null || !remove(next, pattern, i + 1, outbox)) {
            return false;
        }
        if (next.isEmpty()) { // prune, so churn of distinct patterns does not grow the tree
            if (Topics.ONE.equals(t)) {
                n.star = null;
            } else {
                n.children.remove(t);
            }
        }
        return true;
    }

    /** Subscriptions in the tree now. */
    int size() {
        lock.readLock().lock();
        try {
            return size;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The cached match of a topic already checked and matched since the last change, or null. */
    Outbox[] cached(final String topic) {
        return cache.get(topic);
    }

    /** The outboxes whose pattern matches the topic; the array is shared, do not change it. */
    Outbox[] match(final String topic, final String[] tokens) {
        final Outbox[] cached = cache.get(topic);
        if (cached != null) {
            return cached;
        }
        lock.readLock().lock();
        try {
            final List<Outbox> out = new ArrayList<>();
            collect(root, tokens, 0, out);
            final Outbox[] result = out.isEmpty() ? NONE : out.toArray(NONE);
            // under the read lock: a change (write lock) cannot clear the cache between our walk and this put
            if (cache.size() >= maxCached) {
                cache.clear();
            }
            cache.put(topic, result);
            return result;
        } finally {
            lock.readLock().unlock();
        }
    }

    private static void collect(final Node n, final String[] tokens, final int i, final List<Outbox> out) {
        if (i == tokens.length) {
            out.addAll(n.here);
            return;
        }
        out.addAll(n.rest); // '>' matches one or more remaining tokens
        final Node literal = n.children.get(tokens[i]);
        if (literal != null) {
            collect(literal, tokens, i + 1, out);
        }
        if (n.star != null) {
            collect(n.star, tokens, i + 1, out);
        }
    }

    private static final class Node {
        final Map<String, Node> children = new HashMap<>(4);
        final List<Outbox> here = new ArrayList<>(1);
        final List<Outbox> rest = new ArrayList<>(1);
        Node star;

        boolean isEmpty() {
            return children.isEmpty() && here.isEmpty() && rest.isEmpty() && star == null;
        }
    }
}
