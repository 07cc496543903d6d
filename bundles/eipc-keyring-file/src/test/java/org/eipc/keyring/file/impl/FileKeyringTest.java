package org.eipc.keyring.file.impl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;
import org.eipc.spi.keyring.KeyEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.eipc.keyring.support.MutableClock;

class FileKeyringTest {
    private static final Instant T0 = Instant.parse("2026-06-01T12:00:00Z");
    private static final Duration OVERLAP = Duration.ofSeconds(300);
    private static final byte[] K1 = "key-one-material-0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] K2 = "key-two-material-0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] K3 = "key-three-material-0123456789abcd".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path tmp;

    private final MutableClock clock = new MutableClock(T0);

    private Path dir() throws IOException {
        return KeyFiles.privateDir(tmp, "keys");
    }

    private FileKeyring manual(Path dir, String pinned) {
        return new FileKeyring(dir, pinned, OVERLAP, Duration.ofSeconds(10), clock, false);
    }

    private static List<String> ids(List<KeyEntry> keys) {
        return keys.stream().map(KeyEntry::id).collect(Collectors.toList());
    }

    private static byte[] raw(KeyEntry e) {
        return e.key().getEncoded();
    }

    @Test
    void shouldReadRawHexAndBase64FilesAndSendWithTheNewest() throws IOException {
        Path dir = dir();
        KeyFiles.write(dir, "raw", "secret\n".getBytes(StandardCharsets.US_ASCII), T0.minusSeconds(30));
        KeyFiles.write(dir, "hexkey", ("hex:" + HexFormat.of().formatHex(K1) + "\n").getBytes(StandardCharsets.US_ASCII),
                T0.minusSeconds(20));
        KeyFiles.write(dir, "b64", ("base64:" + Base64.getEncoder().encodeToString(K2) + "\n")
                .getBytes(StandardCharsets.US_ASCII), T0.minusSeconds(10));
        FileKeyring ring = manual(dir, "");
        assertEquals("file", ring.name());
        assertEquals("b64", ring.current().id());
        assertArrayEquals(K2, raw(ring.current()));
        assertNull(ring.current().retiresAt());
        assertEquals(T0.minusSeconds(10), ring.current().created());
        // the raw form keeps the trailing newline, as the reference does with EIPC_KEY_FILE
        assertArrayEquals("secret\n".getBytes(StandardCharsets.US_ASCII), raw(ring.find("raw").orElseThrow()));
        assertArrayEquals(K1, raw(ring.find("hexkey").orElseThrow()));
        // the older keys count as replaced when the newest was written: accepted for the rest of the overlap
        assertEquals(List.of("b64", "hexkey", "raw"), ids(ring.accepted()));
        assertEquals(T0.minusSeconds(10).plus(OVERLAP), ring.find("raw").orElseThrow().retiresAt());
    }

    @Test
    void shouldNotReviveKeysReplacedLongBeforeStart() throws IOException {
        Path dir = dir();
        KeyFiles.write(dir, "old", K1, T0.minus(Duration.ofDays(30)));
        KeyFiles.write(dir, "new", K2, T0.minus(Duration.ofDays(2)));
        FileKeyring ring = manual(dir, "");
        assertEquals(List.of("new"), ids(ring.accepted()));
        assertTrue(ring.find("old").isEmpty());
    }

    @Test
    void shouldSendWithThePinnedKeyWhileItsFileExists() throws IOException {
        Path dir = dir();
        KeyFiles.write(dir, "a", K1, T0.minusSeconds(100));
        KeyFiles.write(dir, "b", K2, T0.minusSeconds(10));
        FileKeyring ring = manual(dir, "a");
        assertEquals("a", ring.current().id());
        assertEquals(List.of("a"), ids(ring.accepted()), "a newer key is not accepted before it is current");
        Files.delete(dir.resolve("a"));
        ring.refresh();
        assertEquals("b", ring.current().id());
        assertEquals(List.of("b", "a"), ids(ring.accepted()));
    }

    @Test
    void shouldRefuseFilesOthersCanReadOrWriteAndNameThemWithoutContent() throws IOException {
        Path dir = dir();
        KeyFiles.write(dir, "good", K1, T0.minusSeconds(50));
        KeyFiles.write(dir, "world-readable", K2, T0, "rw-r--r--");
        KeyFiles.write(dir, "group-writable", K3, T0, "rw--w----");
        FileKeyring ring = manual(dir, "");
        assertEquals("good", ring.current().id());
        assertEquals(List.of("good"), ids(ring.accepted()));
        var warnings = ring.directory().warnings();
        assertTrue(warnings.get("world-readable").contains("OTHERS_READ"), warnings.toString());
        assertTrue(warnings.get("group-writable").contains("GROUP_WRITE"), warnings.toString());
        assertNoKeyMaterial(warnings.toString());

        // fixing the permissions brings the key in on the next scan
        Files.setPosixFilePermissions(dir.resolve("world-readable"), PosixFilePermissions.fromString("rw-------"));
        ring.refresh();
        assertEquals("world-readable", ring.current().id());
        assertFalse(ring.directory().warnings().containsKey("world-readable"));
    }

    @Test
    void shouldRefuseADirectoryOthersCanReadButAllowSearchOnly() throws IOException {
        Path dir = dir();
        KeyFiles.write(dir, "k", K1, T0);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        IpcException e = assertThrows(IpcException.class, () -> manual(dir, ""));
        assertEquals(ErrorCode.CONFIG_INVALID, e.code());
        assertTrue(e.getMessage().contains(dir.toString()));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
        assertEquals("k", manual(dir, "").current().id());
        assertEquals(ErrorCode.CONFIG_INVALID,
                assertThrows(IpcException.class, () -> manual(tmp.resolve("missing"), "")).code());
    }

    @Test
    void shouldSkipBadNamesEmptyLargeAndInvalidFilesAndIgnoreTemporaryOnes() throws IOException {
        Path dir = dir();
        KeyFiles.write(dir, "ok", K1, T0.minusSeconds(100));
        KeyFiles.write(dir, "empty", new byte[0], T0);
        KeyFiles.write(dir, "big", new byte[KeyDirectory.MAX_FILE_BYTES + 1], T0);
        KeyFiles.write(dir, "badhex", "hex:zz\n".getBytes(StandardCharsets.US_ASCII), T0);
        KeyFiles.write(dir, "emptyb64", "base64:\n".getBytes(StandardCharsets.US_ASCII), T0);
        KeyFiles.write(dir, "bad name", K2, T0);
        KeyFiles.write(dir, "pending.tmp", K2, T0);
        KeyFiles.write(dir, "backup~", K2, T0);
        Files.createDirectory(dir.resolve("subdir"));
        FileKeyring ring = manual(dir, "");
        assertEquals(List.of("ok"), ids(ring.accepted()));
        assertEquals(java.util.Set.of("empty", "big", "badhex", "emptyb64", "bad name", "subdir"),
                ring.directory().warnings().keySet());
    }

    @Test
    void shouldKeepTheReplacedKeyForTheOverlapThenRetireIt() throws IOException {
        Path dir = dir();
        KeyFiles.write(dir, "k1", K1, T0.minus(Duration.ofDays(1)));
        FileKeyring ring = manual(dir, "");
        List<String> events = new ArrayList<>();
        ring.addListener(r -> events.add(r.current().id() + ":" + ids(r.accepted())));

        clock.advance(Duration.ofSeconds(5));
        KeyFiles.write(dir, "k2", K2, clock.instant());
        ring.refresh();
        assertEquals("k2", ring.current().id());
        assertEquals(List.of("k2", "k1"), ids(ring.accepted()));
        assertEquals(clock.instant().plus(OVERLAP), ring.find("k1").orElseThrow().retiresAt());
        assertEquals(List.of("k2:[k2, k1]"), events);

        ring.refresh(); // nothing changed: no event
        assertEquals(1, events.size());

        clock.advance(OVERLAP.minusSeconds(1));
        ring.refresh();
        assertEquals(List.of("k2", "k1"), ids(ring.accepted()));
        assertEquals(1, events.size());

        clock.advance(Duration.ofSeconds(1));
        // acceptance follows the clock even before the next scan
        assertEquals(List.of("k2"), ids(ring.accepted()));
        assertTrue(ring.find("k1").isEmpty());
        ring.refresh();
        assertEquals(List.of("k2:[k2, k1]", "k2:[k2]"), events);
    }

    @Test
    void shouldRetireARemovedKeyAfterTheOverlapNotAtOnce() throws IOException {
        Path dir = dir();
        KeyFiles.write(dir, "only", K1, T0.minusSeconds(1));
        FileKeyring ring = manual(dir, "");
        List<String> events = new ArrayList<>();
        ring.addListener(r -> events.add(ids(r.accepted()).toString()));
        Files.delete(dir.resolve("only"));
        clock.advance(Duration.ofSeconds(10));
        ring.refresh();
        IpcException e = assertThrows(IpcException.class, ring::current);
        assertEquals(ErrorCode.KEY_UNKNOWN, e.code());
        assertEquals(List.of("only"), ids(ring.accepted()));
        assertEquals(clock.instant().plus(OVERLAP), ring.find("only").orElseThrow().retiresAt());
        clock.advance(OVERLAP);
        ring.refresh();
        assertEquals(List.of(), ring.accepted());
        assertEquals(List.of("[only]", "[]"), events);
    }

    @Test
    void shouldGoBackToThePreviousKeyWhenTheNewestFileIsRemoved() throws IOException {
        Path dir = dir();
        KeyFiles.write(dir, "k1", K1, T0.minusSeconds(60));
        KeyFiles.write(dir, "k2", K2, T0.minusSeconds(30));
        FileKeyring ring = manual(dir, "");
        assertEquals("k2", ring.current().id());
        Files.delete(dir.resolve("k2"));
        ring.refresh();
        assertEquals("k1", ring.current().id());
        assertNull(ring.current().retiresAt());
        assertEquals(List.of("k1", "k2"), ids(ring.accepted()));
    }

    @Test
    void shouldTakeNewMaterialWrittenUnderTheSameId() throws IOException {
        Path dir = dir();
        KeyFiles.write(dir, "k", K1, T0.minusSeconds(60));
        FileKeyring ring = manual(dir, "");
        List<String> events = new ArrayList<>();
        ring.addListener(r -> events.add("changed"));
        KeyEntry before = ring.current();
        ring.refresh();
        assertTrue(before == ring.current(), "an unchanged key keeps its identity");
        KeyFiles.write(dir, "k", K2, T0.minusSeconds(60));
        ring.refresh();
        assertArrayEquals(K2, raw(ring.current()));
        assertEquals(List.of("changed"), events);
    }

    @Test
    void shouldNeverShowKeyMaterial() throws IOException {
        Path dir = dir();
        KeyFiles.write(dir, "k", K1, T0);
        KeyFiles.write(dir, "refused", K2, T0, "rw-rw-rw-");
        FileKeyring ring = manual(dir, "");
        List<String> texts = new ArrayList<>();
        texts.add(ring.toString());
        texts.add(ring.current().toString());
        texts.add(ring.accepted().toString());
        texts.add(ring.directory().warnings().toString());
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        texts.add(assertThrows(IpcException.class, () -> manual(dir, "")).getMessage());
        for (String s : texts) {
            assertNoKeyMaterial(s);
        }
    }

    private static void assertNoKeyMaterial(String s) {
        for (byte[] k : new byte[][] {K1, K2, K3}) {
            assertFalse(s.contains(new String(k, StandardCharsets.US_ASCII)), s);
            assertFalse(s.contains("material"), s);
            assertFalse(s.toLowerCase().contains(HexFormat.of().formatHex(k, 0, 8)), s);
            assertFalse(s.contains(Base64.getEncoder().encodeToString(k).substring(0, 12)), s);
        }
    }

    @Test
    void shouldFollowTheDirectoryWhileRunningAndStopItsThreads() throws Exception {
        Path dir = dir();
        KeyFiles.write(dir, "k1", K1, Instant.now().minusSeconds(60));
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        FileKeyring ring = new FileKeyring(dir, "", OVERLAP, Duration.ofSeconds(1), java.time.Clock.systemUTC(), true);
        try {
            ring.addListener(r -> events.add(ids(r.accepted()).toString()));
            assertTrue(ring.threadsAlive());

            KeyFiles.write(dir, "k2", K2, Instant.now());
            awaitUntil(events, () -> "k2".equals(ring.current().id()));
            assertEquals(List.of("k2", "k1"), ids(ring.accepted()));

            Files.delete(dir.resolve("k2"));
            awaitUntil(events, () -> "k1".equals(ring.current().id()));
            assertEquals(List.of("k1", "k2"), ids(ring.accepted()), "removed key still in its overlap");
            assertFalse(events.isEmpty() && ring.accepted().isEmpty());
        } finally {
            ring.close();
        }
        assertFalse(ring.threadsAlive());
    }

    /** Waits (at most 20 s) for the condition, re-checking whenever the keyring reports a change. */
    private static void awaitUntil(BlockingQueue<String> events, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not reached; events: " + events);
            }
            events.poll(250, TimeUnit.MILLISECONDS);
        }
    }

    @Test
    void shouldValidateConfiguration() throws IOException {
        Path dir = dir();
        assertEquals(ErrorCode.CONFIG_INVALID, assertThrows(IpcException.class,
                () -> new FileKeyring(dir, "", Duration.ofSeconds(-1), Duration.ofSeconds(1), clock, false)).code());
    }
}
