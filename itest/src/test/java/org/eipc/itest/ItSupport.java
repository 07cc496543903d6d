package org.eipc.itest;

import static org.junit.Assert.assertNotNull;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Dictionary;
import java.util.HexFormat;
import java.util.Hashtable;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.eipc.spi.keyring.KeyringProvider;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;

/** Helpers the container-side tests share: bundles by name, ConfigAdmin, key files, waiting. */
final class ItSupport {
    static final long WAIT_MS = 15_000;

    private ItSupport() {
    }

    static Bundle bundle(BundleContext ctx, String bsn) {
        for (Bundle b : ctx.getBundles()) {
            if (bsn.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new AssertionError("no bundle " + bsn);
    }

    static <T> T await(BundleContext ctx, Class<T> type, String filter) throws Exception {
        String f = "(&(objectClass=" + type.getName() + ")" + (filter == null ? "" : filter) + ")";
        ServiceTracker<T, T> t = new ServiceTracker<>(ctx, ctx.createFilter(f), null);
        t.open();
        try {
            assertNotNull("no service " + f, t.waitForService(WAIT_MS));
            // our own use count: the tracker's goes away with it, and a ServiceFactory's object with that
            return ctx.getService(t.getServiceReference());
        } finally {
            t.close();
        }
    }

    static void waitFor(String what, BooleanSupplier cond) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }

    static void configure(BundleContext ctx, String pid, Dictionary<String, Object> props) throws Exception {
        ConfigurationAdmin ca = await(ctx, ConfigurationAdmin.class, null);
        Configuration c = ca.getConfiguration(pid, null);
        c.update(props);
    }

    static Dictionary<String, Object> props(Object... kv) {
        Hashtable<String, Object> d = new Hashtable<>();
        for (int i = 0; i < kv.length; i += 2) {
            d.put((String) kv[i], kv[i + 1]);
        }
        return d;
    }

    /** An owner-only (0700) directory for key files. */
    static Path keyDirectory() throws IOException {
        return Files.createTempDirectory("eipc-it-keys",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }

    /** Writes an owner-only key file atomically (temporary name, then rename), modified at {@code mtime}. */
    static void writeKey(Path dir, String id, byte[] key, Instant mtime) throws IOException {
        Path tmp = dir.resolve(id + ".tmp");
        Files.writeString(tmp, "hex:" + HexFormat.of().formatHex(key), StandardCharsets.US_ASCII);
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        Files.setLastModifiedTime(tmp, FileTime.from(mtime));
        Files.move(tmp, dir.resolve(id), StandardCopyOption.ATOMIC_MOVE);
    }

    static byte[] keyBytes(String seed) {
        byte[] b = new byte[32];
        byte[] s = seed.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (s[i % s.length] + i);
        }
        return b;
    }

    /** Waits until the keyring named {@code name} sends with {@code keyId}. */
    static KeyringProvider awaitCurrentKey(BundleContext ctx, String name, String keyId) throws Exception {
        KeyringProvider k = await(ctx, KeyringProvider.class, "(" + KeyringProvider.PROP_NAME + "=" + name + ")");
        waitFor("keyring " + name + " to send with " + keyId, () -> {
            try {
                return keyId.equals(k.current().id());
            } catch (RuntimeException e) {
                return false;
            }
        });
        return k;
    }

    /** The {@code nats-server} binary on PATH or in /usr/sbin ({@code .ci/run} installs Debian's package). */
    static String natsServer() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            java.io.File f = new java.io.File(dir, "nats-server");
            if (f.canExecute()) {
                return f.getPath();
            }
        }
        if (new java.io.File("/usr/sbin/nats-server").canExecute()) {
            return "/usr/sbin/nats-server";
        }
        throw new AssertionError("nats-server not found on PATH or in /usr/sbin (apt-get install nats-server;"
                + " .ci/run installs it)");
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /**
     * The usual start of a service test: one key {@code k1} (from {@code seed}) in a fresh directory, the file
     * keyring configured on it and serving it, the unix transport bound; returns the runtime service.
     */
    static org.eipc.runtime.EipcRuntime keyAndRuntime(BundleContext ctx, String seed) throws Exception {
        Path keys = keyDirectory();
        writeKey(keys, "k1", keyBytes(seed), Instant.now().minusSeconds(600));
        configure(ctx, "org.eipc.keyring.file", props("directory", keys.toString(), "overlapSeconds", 300L,
                "rescanSeconds", 1L));
        awaitCurrentKey(ctx, "file", "k1");
        org.eipc.runtime.EipcRuntime runtime = await(ctx, org.eipc.runtime.EipcRuntime.class, null);
        await(ctx, org.eipc.spi.transport.Transport.class, "(" + org.eipc.spi.transport.Transport.PROP_KIND + "=unix)");
        return runtime;
    }
}
