package org.eipc.launcher.host;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;

/**
 * An embedded Felix with FileInstall watching a deploy directory. Bundles of a {@link FeatureSet} are all
 * installed first, then started one by one (a bundle that does not resolve does not stop the others), then the
 * feature configurations are written to ConfigurationAdmin.
 *
 * <p>Not thread-safe: one thread starts and stops it.
 */
public final class FrameworkHost {
    /** A bundle of the features that could not be installed or started, with the framework's reason. */
    public record Failure(FeatureSet.BundleSpec bundle, String reason) {
    }

    private final HostSettings settings;
    private final PrintStream err;
    private Framework framework;

    public FrameworkHost(HostSettings settings, PrintStream err) {
        this.settings = settings;
        this.err = err;
    }

    /** Creates, initialises and starts the framework (with no bundles yet). */
    public void startFramework() throws BundleException, IOException {
        Files.createDirectories(settings.deploy());
        Files.createDirectories(settings.storage());
        Map<String, Object> c = new HashMap<>();
        c.put(Constants.FRAMEWORK_STORAGE, settings.storage().toString());
        c.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        c.put("felix.log.logger", new StderrFelixLogger(err, 1));
        // FileInstall reads these through BundleContext.getProperty
        c.put("felix.fileinstall.dir", settings.deploy().toString());
        c.put("felix.fileinstall.poll", "250");
        c.put("felix.fileinstall.noInitialDelay", "true");
        c.put("felix.fileinstall.filter", ".*\\.(jar|cfg|config)");
        c.put("felix.fileinstall.log.level", "2");
        c.put("felix.fileinstall.log.default", "jul"); // its default logger writes to stdout
        c.put("felix.fileinstall.enableConfigSave", "false"); // never rewrite an operator's files
        @SuppressWarnings({"unchecked", "rawtypes"})
        Map<String, String> props = (Map) c; // Felix accepts objects (the logger) in its configuration map
        FrameworkFactory factory = ServiceLoader.load(FrameworkFactory.class, FrameworkHost.class.getClassLoader())
                .findFirst().orElseThrow(() -> new IllegalStateException("no OSGi framework on the class path"));
        framework = factory.newFramework(props);
        framework.init();
        framework.start();
    }

    /** The framework; {@code null} before {@link #startFramework()}. */
    public Framework framework() {
        return framework;
    }

    public BundleContext context() {
        return framework.getBundleContext();
    }

    /**
     * Installs every bundle of {@code features} whose jar exists, then starts every non-fragment.
     *
     * @return the bundles that failed, with the reason (for a resolution failure: the missing requirement)
     */
    public List<Failure> install(FeatureSet features) {
        List<Failure> failures = new ArrayList<>();
        Map<FeatureSet.BundleSpec, Bundle> installed = new LinkedHashMap<>();
        BundleContext ctx = context();
        for (FeatureSet.BundleSpec spec : features.bundles()) {
            if (!Files.isRegularFile(spec.jar())) {
                failures.add(new Failure(spec, "no jar " + spec.jar()));
                continue;
            }
            String notBundle = checkBundle(spec.jar());
            if (notBundle != null) {
                failures.add(new Failure(spec, notBundle));
                continue;
            }
            try {
                installed.put(spec, ctx.installBundle(spec.jar().toUri().toString()));
            } catch (BundleException | RuntimeException e) {
                failures.add(new Failure(spec, "cannot install: " + e.getMessage()));
            }
        }
        for (Map.Entry<FeatureSet.BundleSpec, Bundle> e : installed.entrySet()) {
            Bundle b = e.getValue();
            if (b.getHeaders().get(Constants.FRAGMENT_HOST) != null) {
                continue;
            }
            try {
                b.start();
            } catch (BundleException | RuntimeException ex) {
                failures.add(new Failure(e.getKey(), ex.getMessage()));
            }
        }
        for (Map.Entry<FeatureSet.BundleSpec, Bundle> e : installed.entrySet()) {
            Bundle b = e.getValue();
            if (b.getHeaders().get(Constants.FRAGMENT_HOST) != null && b.getState() == Bundle.INSTALLED) {
                failures.add(new Failure(e.getKey(), "fragment did not attach to its host"));
            }
        }
        return failures;
    }

    private static String checkBundle(Path jar) {
        try (JarFile jf = new JarFile(jar.toFile())) {
            if (jf.getManifest() == null
                    || jf.getManifest().getMainAttributes().getValue(Constants.BUNDLE_SYMBOLICNAME) == null) {
                return "not an OSGi bundle (no Bundle-SymbolicName): " + jar.getFileName();
            }
            return null;
        } catch (IOException e) {
            return "cannot read " + jar + ": " + e.getMessage();
        }
    }

    /** Writes the feature configurations to ConfigurationAdmin. */
    public void applyConfigurations(FeatureSet features) {
        if (features.configurations().isEmpty()) {
            return;
        }
        ConfigurationInstaller cm = new ConfigurationInstaller(context());
        for (FeatureSet.ConfigSpec c : features.configurations()) {
            if (c.factoryPid() == null) {
                cm.put(c.pid(), c.values());
            } else {
                cm.putFactory(c.factoryPid(), c.name(), c.values());
            }
        }
    }

    /**
     * Makes FileInstall watch each configuration directory too (one FileInstall factory configuration each),
     * and waits until the files present now have been applied.
     *
     * @return the files not applied within {@code timeout}
     */
    public List<Path> watchConfigDirs(Duration timeout) throws IOException, InterruptedException {
        if (settings.configDirs().isEmpty()) {
            return List.of();
        }
        ConfigurationInstaller cm = new ConfigurationInstaller(context());
        List<Path> expected = new ArrayList<>();
        for (Path dir : settings.configDirs()) {
            Map<String, Object> watcher = new HashMap<>();
            watcher.put("felix.fileinstall.dir", dir.toAbsolutePath().toString());
            watcher.put("felix.fileinstall.filter", ".*\\.(cfg|config)");
            watcher.put("felix.fileinstall.poll", "250");
            watcher.put("felix.fileinstall.noInitialDelay", "true");
            watcher.put("felix.fileinstall.log.default", "jul");
            watcher.put("felix.fileinstall.enableConfigSave", "false");
            cm.create("org.apache.felix.fileinstall", watcher);
            try (Stream<Path> files = Files.list(dir)) {
                files.filter(p -> p.toString().endsWith(".cfg") || p.toString().endsWith(".config"))
                        .forEach(expected::add);
            }
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Path> pending = new ArrayList<>(expected);
        while (!pending.isEmpty() && System.nanoTime() < deadline) {
            List<String> applied = cm.valuesOf("felix.fileinstall.filename");
            pending.removeIf(p -> applied.stream().anyMatch(a -> a.endsWith("/" + p.getFileName())));
            if (!pending.isEmpty()) {
                Thread.sleep(100);
            }
        }
        return pending;
    }

    /**
     * Waits until bundle and component states have not changed for a moment (DS and ConfigAdmin work
     * asynchronously), at most {@code max}.
     */
    public HostStatus awaitSettled(Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        HostStatus last = status();
        int stable = 0;
        while (stable < 4 && System.nanoTime() < deadline) {
            Thread.sleep(100);
            HostStatus now = status();
            stable = now.equals(last) ? stable + 1 : 0;
            last = now;
        }
        return last;
    }

    /** The bundles and components now. */
    public HostStatus status() {
        ConfigurationInstaller cm = new ConfigurationInstaller(context());
        return HostStatus.of(context(), new ComponentInspector(context()).components(),
                cm.available() ? cm.pids() : List.of());
    }

    /**
     * Stops the framework and waits for it.
     *
     * @return true when it stopped within {@code timeout}
     */
    public boolean stop(Duration timeout) throws InterruptedException {
        if (framework == null) {
            return true;
        }
        try {
            framework.stop();
        } catch (BundleException e) {
            err.println("eipc host: stopping the framework failed: " + e.getMessage());
            return false;
        }
        FrameworkEvent ev = framework.waitForStop(timeout.toMillis());
        return ev.getType() != FrameworkEvent.WAIT_TIMEDOUT;
    }
}
