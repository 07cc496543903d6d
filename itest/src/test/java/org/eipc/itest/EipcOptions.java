package org.eipc.itest;

import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.eipc.launcher.host.FeatureSet;
import org.ops4j.pax.exam.CoreOptions;
import org.ops4j.pax.exam.Option;

/**
 * Composable Pax Exam options for EIPC integration tests. Bundles come from the launcher's assembled
 * distribution ({@code launcher/target/eipc}, system property {@code eipc.dist}) as {@code file:} URLs, chosen
 * by the same feature files {@code eipc host} uses.
 *
 * <pre>
 * &#64;Configuration
 * public Option[] config() {
 *     return options(EipcOptions.base(), EipcOptions.feature("eipc-default"), EipcOptions.distributionBundle("eipc-transport-tcp"));
 * }
 * </pre>
 */
public final class EipcOptions {
    /**
     * Feature bundles left out of the container. None today: Pax Exam's pax-logging-api exports the SLF4J 1.7
     * API, and the feature's SLF4J 2 (with its ServiceLoader mediator, SPI Fly + ASM) sits beside it, because
     * networknt's JSON Schema validator needs {@code org.slf4j [2,3)}; our bundles import {@code [1.7,3)} and
     * wire to either.
     */
    public static final Set<String> NOT_IN_CONTAINER = Set.of();

    private EipcOptions() {
    }

    /** The distribution directory. */
    public static Path distribution() {
        Path dist = Path.of(System.getProperty("eipc.dist", "../launcher/target/eipc"));
        if (!Files.isDirectory(dist.resolve("bundles"))) {
            throw new IllegalStateException("no distribution at " + dist.toAbsolutePath()
                    + ": build the launcher module first");
        }
        return dist;
    }

    /** JUnit in the container, quiet pax-logging, and a FileInstall directory under {@code target/}. */
    public static Option base() {
        Path deploy = Path.of("target", "itest-deploy").toAbsolutePath();
        try {
            Files.createDirectories(deploy);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return composite(
                junitBundles(),
                systemProperty("org.ops4j.pax.logging.DefaultServiceLog.level").value("WARN"),
                frameworkProperty("felix.fileinstall.dir").value(deploy.toString()),
                frameworkProperty("felix.fileinstall.log.default").value("jul"),
                frameworkProperty("felix.fileinstall.log.level").value("2"));
    }

    /** Every bundle of a feature of the distribution (and of the features it includes), in install order. */
    public static Option feature(String name) {
        Path dist = distribution();
        try {
            FeatureSet set = FeatureSet.load(dist.resolve("features"), dist.resolve("bundles"), List.of(name));
            if (!set.missingJars().isEmpty()) {
                throw new IllegalStateException("bundles missing from the distribution: " + set.missingJars());
            }
            return composite(set.bundles().stream()
                    .filter(b -> !NOT_IN_CONTAINER.contains(artifactId(b.id())))
                    .map(b -> CoreOptions.bundle(b.jar().toUri().toString()))
                    .toArray(Option[]::new));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * One bundle of the distribution's {@code bundles/} directory by artifactId (e.g. a provider that is not
     * in a feature), as a {@code file:} URL.
     */
    public static Option distributionBundle(String artifactId) {
        return CoreOptions.bundle(jar(artifactId).toUri().toString());
    }

    /** The jar of {@code artifactId} in the distribution's {@code bundles/} directory. */
    public static Path jar(String artifactId) {
        Path bundles = distribution().resolve("bundles");
        try (var files = Files.list(bundles)) {
            return files.filter(p -> p.getFileName().toString().matches(java.util.regex.Pattern.quote(artifactId)
                    + "-\\d.*\\.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no " + artifactId + " in " + bundles));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String artifactId(String id) {
        return id.split(":")[1];
    }
}
