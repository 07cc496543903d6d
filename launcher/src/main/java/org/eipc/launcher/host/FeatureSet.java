package org.eipc.launcher.host;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.felix.feature.impl.FeatureServiceImpl;
import org.osgi.service.feature.Feature;
import org.osgi.service.feature.FeatureArtifact;
import org.osgi.service.feature.FeatureBundle;
import org.osgi.service.feature.FeatureConfiguration;
import org.osgi.service.feature.FeatureExtension;
import org.osgi.service.feature.FeatureService;
import org.osgi.service.feature.ID;

/**
 * The bundles and configurations of one or more OSGi R8 features, mapped onto the jars of a distribution's
 * {@code bundles/} directory (no network access).
 *
 * <p>A feature may build on others through the extension {@value #INCLUDES}, of type {@code artifacts}: each
 * artifact is a feature id whose artifactId names {@code <features dir>/<artifactId>.json}. Included features
 * come first (their bundles install first); a bundle id or configuration pid that appears twice is taken once,
 * and a later configuration replaces an earlier one.
 *
 * <p>Bundle id {@code g:a:v} (or {@code g:a:jar:classifier:v}) maps to {@code bundles/a-v.jar}
 * ({@code a-v-classifier.jar}), the names {@code maven-dependency-plugin:copy-dependencies} writes.
 */
public final class FeatureSet {
    /** Name of the extension listing the features a feature builds on. */
    public static final String INCLUDES = "eipc-includes";

    /** One bundle of a feature. {@code jar} may not exist; see {@link #missingJars()}. */
    public record BundleSpec(String id, String feature, Path jar) {
    }

    /** One configuration of a feature: a singleton ({@code factoryPid == null}) or a named factory one. */
    public record ConfigSpec(String pid, String factoryPid, String name, Map<String, Object> values,
            String feature) {
    }

    private final List<String> featureIds = new ArrayList<>();
    private final Map<String, BundleSpec> bundles = new LinkedHashMap<>();
    private final Map<String, ConfigSpec> configurations = new LinkedHashMap<>();
    private final Path featuresDir;
    private final Path bundlesDir;
    private final FeatureService service = new FeatureServiceImpl();

    private FeatureSet(Path featuresDir, Path bundlesDir) {
        this.featuresDir = featuresDir;
        this.bundlesDir = bundlesDir;
    }

    /**
     * Loads features.
     *
     * @param names feature names ({@code eipc-core} → {@code featuresDir/eipc-core.json}) or paths of JSON files
     * @throws FeatureNotFoundException when a name is neither a feature of the distribution nor a file
     * @throws IOException when a feature file cannot be read or parsed
     */
    public static FeatureSet load(Path featuresDir, Path bundlesDir, List<String> names) throws IOException {
        FeatureSet set = new FeatureSet(featuresDir, bundlesDir);
        for (String name : names) {
            set.add(set.locate(name), new LinkedHashSet<>());
        }
        return set;
    }

    /** The path a feature name or path refers to. */
    public Path locate(String nameOrPath) {
        Path named = featuresDir.resolve(nameOrPath + ".json");
        if (!nameOrPath.contains("/") && !nameOrPath.endsWith(".json") && Files.isRegularFile(named)) {
            return named;
        }
        Path path = Path.of(nameOrPath);
        if (Files.isRegularFile(path)) {
            return path.toAbsolutePath();
        }
        throw new FeatureNotFoundException("no feature '" + nameOrPath + "': neither " + named
                + " nor a file " + path.toAbsolutePath() + " exists");
    }

    private void add(Path file, Set<Path> visiting) throws IOException {
        Path key = file.toAbsolutePath().normalize();
        if (!visiting.add(key)) {
            throw new IOException("feature " + file + " includes itself");
        }
        try {
            addOnce(file, visiting);
        } finally {
            // a feature reached again through another path (a diamond) is not a cycle
            visiting.remove(key);
        }
    }

    private void addOnce(Path file, Set<Path> visiting) throws IOException {
        Feature feature;
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            feature = service.readFeature(r);
        } catch (RuntimeException e) {
            throw new IOException("cannot read feature " + file + ": " + e.getMessage(), e);
        }
        String fid = feature.getID().toString();
        if (featureIds.contains(fid)) {
            return;
        }
        FeatureExtension includes = feature.getExtensions().get(INCLUDES);
        if (includes != null) {
            if (includes.getType() != FeatureExtension.Type.ARTIFACTS) {
                throw new IOException("feature " + fid + ": extension " + INCLUDES + " must be of type artifacts");
            }
            for (FeatureArtifact a : includes.getArtifacts()) {
                add(locate(a.getID().getArtifactId()), visiting);
            }
        }
        featureIds.add(fid);
        for (FeatureBundle b : feature.getBundles()) {
            String id = b.getID().toString();
            bundles.putIfAbsent(id, new BundleSpec(id, fid, bundlesDir.resolve(jarName(b.getID()))));
        }
        for (FeatureConfiguration c : feature.getConfigurations().values()) {
            String pid = c.getPid();
            String factory = c.getFactoryPid().orElse(null);
            String name = factory == null ? null : pid.substring(pid.indexOf('~') + 1);
            configurations.put(pid, new ConfigSpec(pid, factory, name, c.getValues(), fid));
        }
    }

    private static String jarName(ID id) {
        return id.getArtifactId() + "-" + id.getVersion() + id.getClassifier().map(c -> "-" + c).orElse("")
                + ".jar";
    }

    /** Ids of the features loaded, included ones first. */
    public List<String> featureIds() {
        return Collections.unmodifiableList(featureIds);
    }

    /** Every bundle, in install order. */
    public List<BundleSpec> bundles() {
        return List.copyOf(bundles.values());
    }

    /** Bundles whose jar is not in the distribution. */
    public List<BundleSpec> missingJars() {
        return bundles.values().stream().filter(b -> !Files.isRegularFile(b.jar())).toList();
    }

    /** Every configuration. */
    public List<ConfigSpec> configurations() {
        return List.copyOf(configurations.values());
    }

    /** A feature name or path that does not exist. */
    public static final class FeatureNotFoundException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        FeatureNotFoundException(String message) {
            super(message);
        }
    }
}
