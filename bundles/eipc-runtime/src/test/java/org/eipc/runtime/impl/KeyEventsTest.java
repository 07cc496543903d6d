package org.eipc.runtime.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.eipc.spi.runtime.RuntimeEvent;
import org.junit.jupiter.api.Test;

/** Keyring changes reach the runtime's event listeners (and so the audit log) with key ids, never key material. */
class KeyEventsTest {
    @Test
    void bindingRotatingAndUnbindingAKeyringAreEvents() {
        RuntimeHost host = new RuntimeHost(1, 1, Duration.ofSeconds(1));
        try {
            List<RuntimeEvent> events = new CopyOnWriteArrayList<>();
            host.addEventListener(events::add);
            StaticKeyring keys = new StaticKeyring(StaticKeyring.key("k1", Harness.VECTOR_KEY, null));
            host.addKeyring(keys, Map.of());
            keys.set(StaticKeyring.key("k2", "a-second-secret-of-32-bytes-long!", null),
                    StaticKeyring.key("k1", Harness.VECTOR_KEY, null));
            host.removeKeyring(keys);
            keys.set(StaticKeyring.key("k3", "a-third-secret-of-32-bytes-long!!", null)); // no longer listened to
            List<String> details = events.stream().filter(e -> e.kind() == RuntimeEvent.Kind.KEY_CHANGED)
                    .map(RuntimeEvent::detail).toList();
            assertEquals(3, details.size(), details.toString());
            assertTrue(details.get(0).contains("bound") && details.get(0).contains("current k1"), details.get(0));
            assertTrue(details.get(1).contains("changed") && details.get(1).contains("current k2"), details.get(1));
            assertTrue(details.get(2).contains("unbound"), details.get(2));
            assertTrue(details.stream().noneMatch(d -> d.contains(Harness.VECTOR_KEY)));
        } finally {
            host.deactivate();
        }
    }
}
