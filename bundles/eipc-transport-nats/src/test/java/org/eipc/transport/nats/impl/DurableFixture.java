package org.eipc.transport.nats.impl;

import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import org.eipc.security.hmac.impl.HmacSha256Provider;
import org.eipc.spi.keyring.KeyringProvider;
import org.eipc.transport.nats.durable.DurableDelivery;
import org.eipc.transport.nats.durable.DurableHandler;

/** Durable channels components on a real JetStream server, as hosts have them, and a recording handler. */
final class DurableFixture {
    private static final AtomicLong SERVICE_IDS = new AtomicLong(1000);

    private DurableFixture() {
    }

    /** What SCR passes: each method returns the given value or else its annotation default. */
    static DurableConfig config(Map<String, Object> values) {
        return (DurableConfig) Proxy.newProxyInstance(DurableConfig.class.getClassLoader(),
                new Class<?>[] {DurableConfig.class},
                (proxy, m, args) -> values.getOrDefault(m.getName(), m.getDefaultValue()));
    }

    /** Test defaults: short ack wait and delays; {@code kv} overrides (name, value, ...). */
    static Map<String, Object> values(NatsServer server, String hostId, Object... kv) {
        Map<String, Object> v = new HashMap<>();
        v.put("servers", "127.0.0.1:" + server.port());
        v.put("channels", new String[] {"orders", "audit.>", "a", "b"});
        v.put("hostId", hostId);
        v.put("ackWaitMillis", 5_000L);
        v.put("redeliveryDelayMillis", 100L);
        for (int i = 0; i < kv.length; i += 2) {
            v.put((String) kv[i], kv[i + 1]);
        }
        return v;
    }

    static JetStreamDurableChannels host(NatsServer server, String hostId, Object... kv) {
        return host(TestSettings.keyring(), server, hostId, kv);
    }

    static JetStreamDurableChannels host(KeyringProvider keyring, NatsServer server, String hostId, Object... kv) {
        return new JetStreamDurableChannels(config(values(server, hostId, kv)), keyring, new HmacSha256Provider());
    }

    /** Registers {@code handler} the way SCR binds a whiteboard service. */
    static void register(JetStreamDurableChannels host, DurableHandler handler, String channel) {
        Map<String, Object> props = new HashMap<>();
        props.put(DurableHandler.PROP_CHANNEL, channel);
        props.put("service.id", SERVICE_IDS.incrementAndGet());
        host.addHandler(handler, props);
    }

    static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String text(ByteBuffer b) {
        return StandardCharsets.UTF_8.decode(b).toString();
    }

    static void await(String what, Duration timeout, BooleanSupplier cond) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(5);
        }
    }

    /** Records every delivery it returns from; {@link #failWhen} makes it throw for chosen payloads. */
    static final class Recording implements DurableHandler {
        final List<DurableDelivery> delivered = new CopyOnWriteArrayList<>();
        final List<String> calls = new CopyOnWriteArrayList<>();
        volatile java.util.function.Predicate<DurableDelivery> failWhen = d -> false;

        @Override
        public void onMessage(DurableDelivery d) throws Exception {
            calls.add(text(d.payload()) + "#" + d.deliveryCount());
            if (failWhen.test(d)) {
                throw new IllegalStateException("handler refuses " + text(d.payload()));
            }
            delivered.add(d);
        }

        List<String> payloads() {
            return delivered.stream().map(d -> text(d.payload())).toList();
        }
    }
}
