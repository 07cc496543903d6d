package org.eipc.keyring.support;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Change notification: each change in the watched directory runs the check, again and again (the periodic check is
 * an hour away here, so only the watch thread can run it).
 */
class SourceWatchTest {
    @TempDir
    Path dir;

    @Test
    void everyChangeRunsTheCheckWithoutAFilter() throws Exception {
        changesRunTheCheck(null, "a.key", "b.key", "c.key");
    }

    @Test
    void relevantChangesRunTheCheck() throws Exception {
        changesRunTheCheck(p -> p.toString().endsWith(".p12"), "store.p12", "other.p12");
    }

    private void changesRunTheCheck(java.util.function.Predicate<Path> relevant, String... names) throws Exception {
        Semaphore checks = new Semaphore(0);
        try (SourceWatch w = new SourceWatch("test dir", dir, relevant, checks::release, Duration.ofHours(1),
                "test-watch", "check")) {
            for (String name : names) {
                checks.drainPermits();
                Files.writeString(dir.resolve(name), name);
                // the JDK's polling watch service (used where there is no native one) looks every 2-10 s
                assertTrue(checks.tryAcquire(30, TimeUnit.SECONDS), "no check after " + name + " was written");
                assertTrue(w.threadsAlive());
            }
        }
    }
}
