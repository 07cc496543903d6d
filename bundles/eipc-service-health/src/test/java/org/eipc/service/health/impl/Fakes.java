package org.eipc.service.health.impl;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import javax.crypto.spec.SecretKeySpec;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;
import org.eipc.api.Message;
import org.eipc.api.PeerIdentity;
import org.eipc.api.Priority;
import org.eipc.api.SendResult;
import org.eipc.api.Session;
import org.eipc.runtime.EndpointMetrics;
import org.eipc.runtime.LaneMetrics;
import org.eipc.runtime.LatencySnapshot;
import org.eipc.runtime.RuntimeMetrics;
import org.eipc.runtime.SessionMetrics;
import org.eipc.spi.keyring.KeyEntry;
import org.eipc.spi.keyring.KeyringListener;
import org.eipc.spi.keyring.KeyringProvider;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.ComponentServiceObjects;

/** Hand-made stand-ins for the services the health component sees. */
final class Fakes {
    private Fakes() {
    }

    /** A runtime whose endpoints and schemes the test sets. */
    static class Metrics implements RuntimeMetrics {
        volatile List<EndpointMetrics> endpoints = List.of();
        volatile List<String> schemes = List.of("tcp", "unix");
        volatile Map<String, Long> counters = Map.of("sessions_opened", 2L, "frames_rejected", 0L);

        @Override
        public List<EndpointMetrics> endpoints() {
            return endpoints;
        }

        @Override
        public Map<String, Long> counters() {
            return counters;
        }

        @Override
        public List<String> schemes() {
            return schemes;
        }
    }

    static EndpointMetrics server(final String uri, final boolean listening, final SessionMetrics... sessions) {
        return new EndpointMetrics("server", List.of(URI.create(uri)), listening, List.of(sessions));
    }

    static SessionMetrics session(final String id, final boolean attached) {
        List<LaneMetrics> lanes = new ArrayList<>();
        for (Priority p : Priority.values()) {
            lanes.add(new LaneMetrics(p, 1, 10, 1000, 0, LatencySnapshot.empty()));
        }
        long[] buckets = new long[LatencySnapshot.BUCKETS];
        buckets[10] = 4;
        return new SessionMetrics(id, "app", attached ? "unix" : "", attached, lanes, 3, 0, 42, 4200, 0, 1, 0, 0,
                attached ? 0 : 1, new LatencySnapshot(buckets, 900));
    }

    /** The DS view of one bound service. */
    static final class Objects<S> implements ComponentServiceObjects<S> {
        final S service;
        int gets;
        int ungets;

        Objects(final S service) {
            this.service = service;
        }

        @Override
        public S getService() {
            gets++;
            return service;
        }

        @Override
        public void ungetService(final S s) {
            ungets++;
        }

        @Override
        public ServiceReference<S> getServiceReference() {
            return null;
        }
    }

    static KeyringProvider keyring(final String name, final String current) {
        return new KeyringProvider() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public KeyEntry current() {
                if (current == null) {
                    throw new IpcException(ErrorCode.KEY_UNKNOWN, "keyring " + name + " is empty");
                }
                return new KeyEntry(current, new SecretKeySpec(new byte[32], "HmacSHA256"), Instant.EPOCH, null);
            }

            @Override
            public List<KeyEntry> accepted() {
                return List.of(current());
            }

            @Override
            public Optional<KeyEntry> find(final String keyId) {
                return Optional.empty();
            }

            @Override
            public void addListener(final KeyringListener listener) {
            }

            @Override
            public void removeListener(final KeyringListener listener) {
            }
        };
    }

    static Map<String, Object> props(final long serviceId, final Object... kv) {
        Hashtable<String, Object> d = new Hashtable<>();
        d.put("service.id", serviceId);
        for (int i = 0; i < kv.length; i += 2) {
            d.put((String) kv[i], kv[i + 1]);
        }
        return d;
    }

    /** A session that records replies. */
    static final class RecordingSession implements Session {
        final List<Message> replies = new ArrayList<>();

        @Override
        public String id() {
            return "s1";
        }

        @Override
        public PeerIdentity peer() {
            return new PeerIdentity("app", Set.of(), OptionalInt.empty(), OptionalInt.empty(), "");
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public SendResult send(final Message message) {
            return SendResult.OK;
        }

        @Override
        public CompletionStage<Void> whenWritable() {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<Message> request(final Message message, final Duration timeout) {
            return new CompletableFuture<>();
        }

        @Override
        public SendResult reply(final Message request, final Message reply) {
            replies.add(reply);
            return SendResult.OK;
        }

        @Override
        public void close() {
        }
    }
}
