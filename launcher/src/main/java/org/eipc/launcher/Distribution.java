package org.eipc.launcher;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * The distribution directory: {@code lib/} (the launcher's class path), {@code bundles/} and
 * {@code features/}. Found from system property {@code eipc.home}, else env {@code EIPC_HOME}, else the
 * parent of the directory holding the launcher jar.
 */
final class Distribution {
    private final Path home;

    Distribution(Path home) {
        this.home = home;
    }

    static Distribution locate() {
        String home = System.getProperty("eipc.home");
        if (home == null || home.isEmpty()) {
            home = System.getenv("EIPC_HOME");
        }
        if (home != null && !home.isEmpty()) {
            return new Distribution(Paths.get(home).toAbsolutePath());
        }
        try {
            Path jar = Paths.get(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            // lib/eipc-launcher.jar -> the distribution; target/classes (IDE, tests) -> target/eipc
            Path parent = jar.getParent();
            if (Files.isDirectory(jar) && parent != null) {
                return new Distribution(parent.resolve("eipc"));
            }
            return new Distribution(parent.getParent());
        } catch (URISyntaxException | RuntimeException e) {
            throw new IllegalStateException("cannot locate the eipc distribution; set EIPC_HOME", e);
        }
    }

    Path home() {
        return home;
    }

    Path bundles() {
        return home.resolve("bundles");
    }

    Path features() {
        return home.resolve("features");
    }
}
