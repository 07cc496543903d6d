package org.eipc.keyring.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

import javax.crypto.spec.SecretKeySpec;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;
import org.eipc.spi.keyring.KeyEntry;
import org.junit.jupiter.api.Test;

class KeyRotationTest {
    private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
    private static final Duration OVERLAP = Duration.ofMinutes(5);

    private final MutableClock clock = new MutableClock(T0);

    private static KeyEntry key(String id, int material, Instant created) {
        return new KeyEntry(id, new SecretKeySpec(new byte[] {(byte) material, 1, 2, 3}, "RAW"), created, null);
    }

    private static List<String> ids(List<KeyEntry> keys) {
        return keys.stream().map(KeyEntry::id).collect(Collectors.toList());
    }

    @Test
    void shouldThrowKeyUnknownWhenEmpty() {
        KeyRotation r = new KeyRotation("", OVERLAP, clock);
        assertFalse(r.update(List.of()));
        assertEquals(ErrorCode.KEY_UNKNOWN, assertThrows(IpcException.class, r::current).code());
        assertEquals(List.of(), r.accepted());
    }

    @Test
    void shouldSwitchToThePinnedKeyWhenItAppears() {
        KeyRotation r = new KeyRotation("pinned", OVERLAP, clock);
        KeyEntry a = key("a", 1, T0.minusSeconds(600));
        assertTrue(r.update(List.of(a)));
        assertEquals("a", r.current().id());
        clock.advance(Duration.ofSeconds(1));
        KeyEntry pinned = key("pinned", 2, T0.minus(Duration.ofDays(3))); // older, but pinned
        assertTrue(r.update(List.of(a, pinned)));
        assertEquals("pinned", r.current().id());
        assertEquals(List.of("pinned", "a"), ids(r.accepted()));
        assertEquals(clock.instant().plus(OVERLAP), r.find("a").orElseThrow().retiresAt());
    }

    @Test
    void shouldPromoteAKeyInItsOverlapAgainWithoutRetirement() {
        KeyRotation r = new KeyRotation("", OVERLAP, clock);
        KeyEntry a = key("a", 1, T0.minusSeconds(100));
        KeyEntry b = key("b", 2, T0.minusSeconds(50));
        r.update(List.of(a));
        r.update(List.of(a, b));
        assertEquals("b", r.current().id());
        r.update(List.of(a)); // b removed again: back to a
        assertEquals("a", r.current().id());
        assertNull(r.current().retiresAt());
        assertEquals(List.of("a", "b"), ids(r.accepted()));
    }

    @Test
    void shouldNotReportChangesWhenNothingChanged() {
        KeyRotation r = new KeyRotation("", OVERLAP, clock);
        assertTrue(r.update(List.of(key("a", 1, T0))));
        assertFalse(r.update(List.of(key("a", 1, T0))), "same id, time and material");
        assertTrue(r.update(List.of(key("a", 9, T0))), "new material under the same id");
        assertFalse(r.expire());
    }

    @Test
    void shouldNotShortenAnOverlapWhenARetiringKeyIsRemoved() {
        KeyRotation r = new KeyRotation("", OVERLAP, clock);
        KeyEntry a = key("a", 1, T0.minusSeconds(100));
        r.update(List.of(a));
        KeyEntry b = key("b", 2, T0);
        r.update(List.of(a, b));
        Instant retire = r.find("a").orElseThrow().retiresAt();
        clock.advance(Duration.ofSeconds(30));
        r.update(List.of(b));
        assertEquals(retire, r.find("a").orElseThrow().retiresAt());
    }
}
