package org.eipc.keyring.pkcs12.impl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import javax.crypto.spec.SecretKeySpec;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;
import org.eipc.spi.keyring.KeyEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.eipc.keyring.support.MutableClock;

class Pkcs12KeyringTest {
    private static final String PASSWORD = "store-pass-Q7x!";
    private static final Duration OVERLAP = Duration.ofSeconds(300);
    private static final byte[] K1 = "pkcs-key-one-0123456789abcdefghi".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] K2 = "pkcs-key-two-0123456789abcdefghi".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] K3 = "pkcs-key-six-0123456789abcdefghi".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path tmp;

    // creation dates in the store are real time, so the test clock starts now
    private final MutableClock clock = new MutableClock(Instant.now());

    /**
     * Writes a store with the given entries, keeping the creation dates of entries already in {@code previous}
     * (as rewriting a real store with keytool does). Written private and renamed into place.
     */
    private Path writeStore(Path file, Map<String, byte[]> keys, String password, String perms)
            throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        if (Files.exists(file)) {
            try (var in = Files.newInputStream(file)) {
                ks.load(in, password.toCharArray());
            }
            for (String alias : java.util.Collections.list(ks.aliases())) {
                if (!keys.containsKey(alias)) {
                    ks.deleteEntry(alias);
                }
            }
        } else {
            ks.load(null, null);
        }
        KeyStore.PasswordProtection protection = new KeyStore.PasswordProtection(password.toCharArray());
        for (Map.Entry<String, byte[]> e : keys.entrySet()) {
            if (!ks.containsAlias(e.getKey())) {
                ks.setEntry(e.getKey(), new KeyStore.SecretKeyEntry(new SecretKeySpec(e.getValue(), "HmacSHA256")),
                        protection);
                waitForNextMillisecond(); // distinct creation dates, so "newest" is well defined
            }
        }
        Path part = file.resolveSibling(".keys.p12.part");
        Files.deleteIfExists(part);
        Files.createFile(part, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (OutputStream out = Files.newOutputStream(part)) {
            ks.store(out, password.toCharArray());
        }
        Files.setPosixFilePermissions(part, PosixFilePermissions.fromString(perms));
        return Files.move(part, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static void waitForNextMillisecond() {
        long start = System.currentTimeMillis();
        while (System.currentTimeMillis() == start) {
            Thread.onSpinWait();
        }
    }

    private Path store(Map<String, byte[]> keys) throws Exception {
        return writeStore(tmp.resolve("keys.p12"), keys, PASSWORD, "rw-------");
    }

    private Pkcs12Keyring manual(Path file, String pinned) {
        return new Pkcs12Keyring(file, PASSWORD.toCharArray(), pinned, OVERLAP, Duration.ofSeconds(10), clock, false);
    }

    private static Map<String, byte[]> keys(Object... idAndKey) {
        Map<String, byte[]> m = new LinkedHashMap<>();
        for (int i = 0; i < idAndKey.length; i += 2) {
            m.put((String) idAndKey[i], (byte[]) idAndKey[i + 1]);
        }
        return m;
    }

    private static List<String> ids(List<KeyEntry> keys) {
        return keys.stream().map(KeyEntry::id).collect(Collectors.toList());
    }

    @Test
    void shouldLoadSecretKeyEntriesAndSendWithTheNewest() throws Exception {
        Path file = store(keys("k1", K1, "k2", K2));
        Pkcs12Keyring ring = manual(file, "");
        assertEquals("pkcs12", ring.name());
        assertEquals("k2", ring.current().id());
        assertArrayEquals(K2, ring.current().key().getEncoded());
        assertNull(ring.current().retiresAt());
        assertArrayEquals(K1, ring.find("k1").orElseThrow().key().getEncoded());
        assertEquals(List.of("k2", "k1"), ids(ring.accepted()), "k1 counts as replaced just now");
        assertEquals(ring.current().created().plus(OVERLAP), ring.find("k1").orElseThrow().retiresAt());
    }

    @Test
    void shouldSendWithThePinnedAlias() throws Exception {
        Path file = store(keys("k1", K1, "k2", K2));
        Pkcs12Keyring ring = manual(file, "k1");
        assertEquals("k1", ring.current().id());
        assertEquals(List.of("k1"), ids(ring.accepted()));
    }

    @Test
    void shouldSkipEntriesProtectedByAnotherPassword() throws Exception {
        Path file = store(keys("k1", K1));
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(file)) {
            ks.load(in, PASSWORD.toCharArray());
        }
        ks.setEntry("other-pass", new KeyStore.SecretKeyEntry(new SecretKeySpec(K3, "AES")),
                new KeyStore.PasswordProtection("different".toCharArray()));
        try (OutputStream out = Files.newOutputStream(file)) {
            ks.store(out, PASSWORD.toCharArray());
        }
        Pkcs12Keyring ring = manual(file, "");
        assertEquals(List.of("k1"), ids(ring.accepted()));
    }

    @Test
    void shouldRotateWhenTheStoreIsRewrittenAndRetireAfterTheOverlap() throws Exception {
        Path file = store(keys("k1", K1));
        Pkcs12Keyring ring = manual(file, "");
        List<String> events = new ArrayList<>();
        ring.addListener(r -> events.add(r.current().id() + ":" + ids(r.accepted())));
        ring.refresh();
        assertEquals(List.of(), events, "an unchanged file is not reloaded");

        writeStore(file, keys("k1", K1, "k2", K2), PASSWORD, "rw-------");
        ring.refresh();
        assertEquals("k2", ring.current().id());
        assertEquals(clock.instant().plus(OVERLAP), ring.find("k1").orElseThrow().retiresAt());
        assertEquals(List.of("k2:[k2, k1]"), events);

        // k1 is removed from the store: it still retires at the end of its overlap, not now
        writeStore(file, keys("k2", K2), PASSWORD, "rw-------");
        ring.refresh();
        assertEquals(List.of("k2", "k1"), ids(ring.accepted()));
        assertEquals(1, events.size());

        clock.advance(OVERLAP);
        ring.refresh();
        assertEquals(List.of("k2"), ids(ring.accepted()));
        assertEquals(List.of("k2:[k2, k1]", "k2:[k2]"), events);
    }

    @Test
    void shouldKeepTheKeysWhenARewriteCannotBeParsed() throws Exception {
        Path file = store(keys("k1", K1));
        Pkcs12Keyring ring = manual(file, "");
        Files.write(file, new byte[] {0x30, 0x03, 0x02}); // truncated DER
        ring.refresh();
        assertEquals("k1", ring.current().id());
        Files.delete(file);
        writeStore(file, keys("k1", K1, "k3", K3), PASSWORD, "rw-------");
        ring.refresh();
        assertEquals("k3", ring.current().id());
    }

    @Test
    void shouldRejectAWrongPasswordWithoutShowingIt() throws Exception {
        Path file = store(keys("k1", K1));
        IpcException e = assertThrows(IpcException.class, () -> new Pkcs12Keyring(file,
                "Wrong-Password-77".toCharArray(), "", OVERLAP, Duration.ofSeconds(10), clock, false));
        assertEquals(ErrorCode.CONFIG_INVALID, e.code());
        assertTrue(e.getMessage().contains("wrong password"), e.getMessage());
        assertFalse(e.getMessage().contains("Wrong-Password-77"), e.getMessage());
        assertFalse(e.getMessage().contains(PASSWORD), e.getMessage());
        assertNull(e.getCause(), "the JDK exception is not chained: its text is not under our control");
    }

    @Test
    void shouldRefuseAStoreOthersCanRead() throws Exception {
        Path file = writeStore(tmp.resolve("open.p12"), keys("k1", K1), PASSWORD, "rw-r--r--");
        IpcException e = assertThrows(IpcException.class, () -> manual(file, ""));
        assertEquals(ErrorCode.CONFIG_INVALID, e.code());
        assertTrue(e.getMessage().contains("OTHERS_READ"), e.getMessage());
        assertEquals(ErrorCode.CONFIG_INVALID,
                assertThrows(IpcException.class, () -> manual(tmp.resolve("missing.p12"), "")).code());

        Path good = store(keys("k1", K1));
        Pkcs12Keyring ring = manual(good, "");
        Files.setPosixFilePermissions(good, PosixFilePermissions.fromString("rw-rw----"));
        ring.refresh();
        assertThrows(IpcException.class, ring::current);
        assertEquals(List.of("k1"), ids(ring.accepted()), "the refused key retires after the overlap");
    }

    @Test
    void shouldTakeThePasswordFromConfigurationOrEnvironment() {
        assertArrayEquals("direct".toCharArray(), Pkcs12Keyring.password("direct", "IGNORED", n -> "env"));
        assertArrayEquals("from-env".toCharArray(),
                Pkcs12Keyring.password("", "EIPC_P12_PASSWORD", n -> "EIPC_P12_PASSWORD".equals(n) ? "from-env" : null));
        IpcException missing = assertThrows(IpcException.class, () -> Pkcs12Keyring.password("", "NOPE", n -> null));
        assertEquals(ErrorCode.CONFIG_INVALID, missing.code());
        assertTrue(missing.getMessage().contains("NOPE"));
        assertEquals(ErrorCode.CONFIG_INVALID,
                assertThrows(IpcException.class, () -> Pkcs12Keyring.password("", "", n -> "x")).code());
    }

    @Test
    void shouldNeverShowKeyMaterialOrPassword() throws Exception {
        Path file = store(keys("k1", K1, "k2", K2));
        Pkcs12Keyring ring = manual(file, "");
        List<String> texts = new ArrayList<>(List.of(ring.toString(), ring.current().toString(), ring.accepted().toString()));
        for (String s : texts) {
            assertFalse(s.contains(PASSWORD), s);
            for (byte[] k : new byte[][] {K1, K2}) {
                assertFalse(s.contains(new String(k, StandardCharsets.US_ASCII)), s);
                assertFalse(s.toLowerCase().contains(HexFormat.of().formatHex(k, 0, 8)), s);
                assertFalse(s.contains(Base64.getEncoder().encodeToString(k).substring(0, 12)), s);
            }
        }
    }

    @Test
    void shouldReloadWhileRunningAndStopItsThreads() throws Exception {
        Path file = store(keys("k1", K1));
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        Pkcs12Keyring ring = new Pkcs12Keyring(file, PASSWORD.toCharArray(), "", OVERLAP, Duration.ofSeconds(1),
                Clock.systemUTC(), true);
        try {
            ring.addListener(r -> events.add(ids(r.accepted()).toString()));
            assertTrue(ring.threadsAlive());
            writeStore(file, keys("k1", K1, "k2", K2), PASSWORD, "rw-------");
            awaitUntil(events, () -> "k2".equals(ring.current().id()));
            assertEquals(List.of("k2", "k1"), ids(ring.accepted()));
        } finally {
            ring.close();
        }
        assertFalse(ring.threadsAlive());
    }

    private static void awaitUntil(BlockingQueue<String> events, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not reached; events: " + events);
            }
            events.poll(250, TimeUnit.MILLISECONDS);
        }
    }
}
