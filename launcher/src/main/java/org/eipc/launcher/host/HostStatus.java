package org.eipc.launcher.host;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;

/** A snapshot of the bundles and DS components of a framework, and how to print it. Immutable. */
public record HostStatus(List<BundleLine> bundles, List<ComponentInspector.Component> components,
        List<String> configurations) {

    /** One bundle. */
    public record BundleLine(long id, String symbolicName, String version, String state, boolean fragment) {
    }

    public HostStatus {
        bundles = List.copyOf(bundles);
        components = List.copyOf(components);
        configurations = List.copyOf(configurations);
    }

    static HostStatus of(BundleContext ctx, List<ComponentInspector.Component> components,
            List<String> configurations) {
        List<BundleLine> lines = new ArrayList<>();
        for (Bundle b : ctx.getBundles()) {
            lines.add(new BundleLine(b.getBundleId(), b.getSymbolicName(), b.getVersion().toString(),
                    stateName(b.getState()), b.getHeaders().get(Constants.FRAGMENT_HOST) != null));
        }
        return new HostStatus(lines, components, configurations);
    }

    /** Bundles (not counting the system bundle) that are ACTIVE. */
    public long activeBundles() {
        return bundles.stream().filter(b -> b.id() != 0 && "ACTIVE".equals(b.state())).count();
    }

    /** Bundles that should be active but are not (fragments count when not RESOLVED). */
    public List<BundleLine> inactiveBundles() {
        return bundles.stream().filter(b -> b.id() != 0)
                .filter(b -> b.fragment() ? !"RESOLVED".equals(b.state()) : !"ACTIVE".equals(b.state()))
                .toList();
    }

    public long satisfiedComponents() {
        return components.stream().filter(ComponentInspector.Component::satisfied).count();
    }

    /** Components that are neither satisfied, disabled nor waiting for a configuration. */
    public List<ComponentInspector.Component> brokenComponents() {
        return components.stream().filter(c -> !c.satisfied() && !c.waitingForConfiguration()
                && !"DISABLED".equals(c.state())).toList();
    }

    /** Prints the readable status: bundles, components, then configuration pids. */
    public void print(PrintStream out) {
        out.println("bundles:");
        for (BundleLine b : bundles) {
            out.printf("  [%3d] %-11s %s %s%s%n", b.id(), b.state(), b.symbolicName(), b.version(),
                    b.fragment() ? " (fragment)" : "");
        }
        out.println("components:");
        if (components.isEmpty()) {
            out.println("  (none)");
        }
        for (ComponentInspector.Component c : components) {
            StringBuilder line = new StringBuilder(String.format("  %-25s %s [%s]", c.state(), c.name(),
                    c.bundle()));
            if (!c.unsatisfied().isEmpty()) {
                line.append(" unsatisfied references: ").append(String.join(", ", c.unsatisfied()));
            }
            if (c.failure() != null) {
                line.append(" failure: ").append(c.failure().lines().findFirst().orElse(""));
            }
            out.println(line);
        }
        out.println("configurations:");
        if (configurations.isEmpty()) {
            out.println("  (none)");
        }
        configurations.forEach(pid -> out.println("  " + pid));
    }

    /** The one-line summary, e.g. {@code eipc host ready: 23 bundles active, 9 components satisfied}. */
    public String readyLine() {
        StringBuilder s = new StringBuilder("eipc host ready: ").append(activeBundles()).append(" bundles active, ")
                .append(satisfiedComponents()).append(" components satisfied");
        long waiting = components.stream().filter(ComponentInspector.Component::waitingForConfiguration).count();
        if (waiting > 0) {
            s.append(", ").append(waiting).append(" waiting for configuration");
        }
        if (!inactiveBundles().isEmpty()) {
            s.append(", ").append(inactiveBundles().size()).append(" bundles NOT active");
        }
        if (!brokenComponents().isEmpty()) {
            s.append(", ").append(brokenComponents().size()).append(" components NOT satisfied");
        }
        return s.toString();
    }

    static String stateName(int state) {
        switch (state) {
            case Bundle.UNINSTALLED:
                return "UNINSTALLED";
            case Bundle.INSTALLED:
                return "INSTALLED";
            case Bundle.RESOLVED:
                return "RESOLVED";
            case Bundle.STARTING:
                return "STARTING";
            case Bundle.STOPPING:
                return "STOPPING";
            case Bundle.ACTIVE:
                return "ACTIVE";
            default:
                return "STATE_" + state;
        }
    }
}
