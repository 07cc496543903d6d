package org.eipc.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import org.eipc.launcher.host.FeatureSet;
import org.eipc.launcher.host.FrameworkHost;
import org.eipc.launcher.host.HostSettings;
import org.eipc.launcher.host.HostStatus;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every feature of the distribution, started in a real Felix through the code path of {@code eipc host}:
 * every bundle must be ACTIVE and every DS component satisfied (components that only wait for a required
 * configuration are allowed: the feature decides whether to supply one).
 */
class FeatureIT {
    @TempDir
    Path tmp;

    static Stream<String> features() throws IOException {
        try (Stream<Path> files = Files.list(Dist.home().resolve("features"))) {
            List<String> names = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".json")).map(n -> n.substring(0, n.length() - 5)).sorted().toList();
            assertTrue(names.contains("eipc-core") && names.contains("eipc-default"), names.toString());
            return names.stream();
        }
    }

    @ParameterizedTest
    @MethodSource("features")
    void shouldStartEveryBundleAndSatisfyEveryComponent(String feature) throws Exception {
        Path home = Dist.home();
        FeatureSet set = FeatureSet.load(home.resolve("features"), home.resolve("bundles"), List.of(feature));
        assertEquals(List.of(), set.missingJars(), "bundles missing from the distribution");
        FrameworkHost host = new FrameworkHost(new HostSettings(tmp.resolve("storage"), tmp.resolve("deploy"),
                List.of()), System.err);
        try {
            host.startFramework();
            assertEquals(List.of(), host.install(set), "bundles that did not start");
            host.applyConfigurations(set);
            HostStatus status = host.awaitSettled(Duration.ofSeconds(10));
            status.print(System.out);
            assertEquals(List.of(), status.inactiveBundles(), status.readyLine());
            assertEquals(List.of(), status.brokenComponents(), status.readyLine());
            set.configurations().forEach(c -> assertTrue(status.configurations().contains(c.pid()), c.pid()));
        } finally {
            host.stop(Duration.ofSeconds(30));
        }
    }
}
