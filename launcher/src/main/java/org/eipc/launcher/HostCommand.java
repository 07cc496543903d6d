package org.eipc.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;

import org.eipc.launcher.host.ChangePrinter;
import org.eipc.launcher.host.EventPrinter;
import org.eipc.launcher.host.FeatureSet;
import org.eipc.launcher.host.FrameworkHost;
import org.eipc.launcher.host.HostSettings;
import org.eipc.launcher.host.HostStatus;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code eipc host}: runs an embedded Felix with the bundles and configurations of one or more features,
 * FileInstall on a deploy directory, and prints the status and then every bundle and EIPC service event,
 * component state change and configuration change on stdout until SIGTERM or Ctrl-C, which stop the framework
 * cleanly (exit 0).
 */
@Command(name = "host", mixinStandardHelpOptions = true,
        description = {"Run the EIPC OSGi host.",
            "Bundles and .cfg/.config files dropped into the deploy directory are installed (and removed) live."})
final class HostCommand implements Callable<Integer> {
    private static final Duration SETTLE = Duration.ofSeconds(10);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final long CHANGE_POLL_MS = 500;

    @Option(names = "--feature", paramLabel = "F",
            description = "Feature name (features/<F>.json of the distribution) or path of a feature JSON file; "
                    + "repeatable. Default: eipc-default.")
    List<String> features = new ArrayList<>();

    @Option(names = "--config", paramLabel = "DIR",
            description = "Directory of .cfg/.config files applied at start and watched; repeatable.")
    List<Path> configDirs = new ArrayList<>();

    @Option(names = "--deploy", paramLabel = "DIR", description = "Hot-deploy directory (default: var/deploy).")
    Path deploy;

    @Option(names = "--storage", paramLabel = "DIR",
            description = "Framework storage, cleaned at start (default: var/felix-cache).")
    Path storage;

    @Option(names = "--keep-going",
            description = "Keep running when bundles of the features fail to install or start (default: exit 1).")
    boolean keepGoing;

    private final PrintStream out = System.out;
    private final PrintStream err = System.err;

    @Override
    public Integer call() throws Exception {
        Distribution dist = Distribution.locate();
        for (Path dir : configDirs) {
            if (!Files.isDirectory(dir)) {
                throw new UsageException("--config " + dir + ": not a directory");
            }
        }
        FeatureSet featureSet = loadFeatures(dist);
        if (featureSet == null) {
            return ExitCodes.FAILURE;
        }
        if (!featureSet.missingJars().isEmpty()) {
            featureSet.missingJars().forEach(b -> err.println("eipc host: bundle " + b.id() + " of feature "
                    + b.feature() + " is not in the distribution: no " + b.jar()));
            if (!keepGoing) {
                err.println("eipc host: the distribution is incomplete; rebuild it, or use --keep-going");
                return ExitCodes.FAILURE;
            }
        }
        HostSettings settings = new HostSettings(storageDir(), deploy != null ? deploy : Path.of("var", "deploy"),
                configDirs);
        FrameworkHost host = new FrameworkHost(settings, err);
        AtomicBoolean done = new AtomicBoolean();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> onSignal(host, done), "eipc-host-shutdown"));
        err.println("eipc host: features " + String.join(", ", featureSet.featureIds()) + "; deploy "
                + settings.deploy().toAbsolutePath() + "; storage " + settings.storage().toAbsolutePath());
        int rc;
        try {
            rc = run(host, featureSet);
        } catch (Exception | Error e) {
            if (done.compareAndSet(false, true)) {
                host.stop(STOP_TIMEOUT);
            }
            throw e;
        }
        if (rc != ExitCodes.SUCCESS && done.compareAndSet(false, true)) {
            host.stop(STOP_TIMEOUT);
            return rc;
        }
        // the framework stopped: by a signal (the hook exits the JVM) or from inside (a bundle stopped it)
        if (done.compareAndSet(false, true)) {
            out.println("eipc host stopped");
        }
        return rc;
    }

    private FeatureSet loadFeatures(Distribution dist) {
        List<String> names = features.isEmpty() ? List.of("eipc-default") : features;
        try {
            return FeatureSet.load(dist.features(), dist.bundles(), names);
        } catch (FeatureSet.FeatureNotFoundException e) {
            throw new UsageException(e.getMessage());
        } catch (IOException e) {
            err.println("eipc host: " + e.getMessage());
            return null;
        }
    }

    private Path storageDir() throws IOException {
        if (storage != null) {
            return storage;
        }
        Path var = Path.of("var", "felix-cache");
        try {
            Files.createDirectories(var);
            return var;
        } catch (IOException e) {
            return Files.createTempDirectory("eipc-felix-cache");
        }
    }

    private int run(FrameworkHost host, FeatureSet featureSet) throws BundleException, IOException,
            InterruptedException {
        host.startFramework();
        List<FrameworkHost.Failure> failures = host.install(featureSet);
        for (FrameworkHost.Failure f : failures) {
            err.println("eipc host: bundle " + f.bundle().id() + " (feature " + f.bundle().feature()
                    + ") did not start: " + f.reason());
        }
        if (!failures.isEmpty() && !keepGoing) {
            err.println("eipc host: " + failures.size() + " bundle(s) of the requested features did not start;"
                    + " stopping (use --keep-going to run anyway)");
            return ExitCodes.FAILURE;
        }
        try {
            host.applyConfigurations(featureSet);
        } catch (IllegalStateException e) {
            err.println("eipc host: feature configurations not applied: " + e.getMessage());
            if (!keepGoing) {
                return ExitCodes.FAILURE;
            }
        }
        for (Path p : host.watchConfigDirs(SETTLE)) {
            err.println("eipc host: configuration " + p + " was not applied within " + SETTLE.toSeconds() + " s");
        }
        HostStatus status = host.awaitSettled(SETTLE);
        status.print(out);
        status.brokenComponents().forEach(c -> err.println("eipc host: component " + c.name() + " is "
                + c.state() + (c.unsatisfied().isEmpty() ? "" : ", missing " + String.join(", ", c.unsatisfied()))));
        BundleContext ctx = host.context();
        EventPrinter events = new EventPrinter(out);
        ctx.addBundleListener(events);
        ctx.addServiceListener(events);
        ChangePrinter changes = new ChangePrinter(ctx, out);
        out.println(status.readyLine());
        Thread poller = new Thread(() -> changes.runUntilStopped(CHANGE_POLL_MS), "eipc-host-changes");
        poller.setDaemon(true);
        poller.start();
        host.framework().waitForStop(0);
        return ExitCodes.SUCCESS;
    }

    private void onSignal(FrameworkHost host, AtomicBoolean done) {
        if (!done.compareAndSet(false, true)) {
            return; // the command is already finishing on its own
        }
        out.println("eipc host stopping");
        boolean clean;
        try {
            clean = host.stop(STOP_TIMEOUT);
        } catch (InterruptedException e) {
            clean = false;
        }
        out.println(clean ? "eipc host stopped" : "eipc host: framework did not stop within "
                + STOP_TIMEOUT.toSeconds() + " s");
        out.flush();
        err.flush();
        // a signal is the normal way to stop the host: report success, not the JVM's 128+signal
        Runtime.getRuntime().halt(clean ? ExitCodes.SUCCESS : ExitCodes.FAILURE);
    }
}
