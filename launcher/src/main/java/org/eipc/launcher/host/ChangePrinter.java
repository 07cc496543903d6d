package org.eipc.launcher.host;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/**
 * Prints DS component state changes and configuration changes as lines, so an operator sees a dropped bundle's
 * components come up and a dropped {@code .cfg} take effect: {@code component ACTIVE org.eipc.x.Y [org.eipc.x]},
 * {@code configuration UPDATED org.eipc.transport.tcp}. Neither the DS nor the cm API is shared with the
 * launcher, so it compares snapshots ({@link #poll()}) instead of listening.
 *
 * <p>Not thread-safe: one thread polls.
 */
public final class ChangePrinter {
    private final BundleContext context;
    private final PrintStream out;
    private Map<String, String> components;
    private Map<String, Long> configurations;

    public ChangePrinter(BundleContext context, PrintStream out) {
        this.context = context;
        this.out = out;
        this.components = components();
        this.configurations = configurations();
    }

    /** Prints what changed since the last call (or since construction). */
    public void poll() {
        Map<String, String> nowComponents = components();
        diff(components, nowComponents, (key, state) -> "component " + state + " " + key, "REMOVED");
        components = nowComponents;
        Map<String, Long> nowConfigurations = configurations();
        for (Map.Entry<String, Long> e : nowConfigurations.entrySet()) {
            Long before = configurations.get(e.getKey());
            if (before == null) {
                out.println("configuration CREATED " + e.getKey());
            } else if (!before.equals(e.getValue())) {
                out.println("configuration UPDATED " + e.getKey());
            }
        }
        configurations.keySet().stream().filter(pid -> !nowConfigurations.containsKey(pid))
                .forEach(pid -> out.println("configuration DELETED " + pid));
        configurations = nowConfigurations;
    }

    /**
     * Polls every {@code intervalMs} until the framework stops; run it on a daemon thread.
     */
    public void runUntilStopped(long intervalMs) {
        try {
            while (context.getBundle(0).getState() == Bundle.ACTIVE) {
                Thread.sleep(intervalMs);
                poll();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IllegalStateException e) {
            // the framework is stopping: the context or a service went away under us
        }
    }

    private void diff(Map<String, String> before, Map<String, String> now, Line line, String gone) {
        now.forEach((key, state) -> {
            if (!Objects.equals(before.get(key), state)) {
                out.println(line.of(key, state));
            }
        });
        before.keySet().stream().filter(k -> !now.containsKey(k)).forEach(k -> out.println(line.of(k, gone)));
    }

    private Map<String, String> components() {
        Map<String, String> states = new TreeMap<>();
        for (ComponentInspector.Component c : new ComponentInspector(context).components()) {
            states.merge(c.name() + " [" + c.bundle() + "]", c.state(), (a, b) -> a + "," + b);
        }
        return states;
    }

    private Map<String, Long> configurations() {
        ConfigurationInstaller cm = new ConfigurationInstaller(context);
        return cm.available() ? cm.changeCounts() : new HashMap<>();
    }

    @FunctionalInterface
    private interface Line {
        String of(String key, String state);
    }
}
