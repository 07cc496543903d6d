package org.eipc.launcher.host;

import java.io.PrintStream;
import java.util.Arrays;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleListener;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;

/**
 * Prints bundle events, and service events for EIPC services, as one line each, so an operator sees hot
 * deploys happen: {@code bundle STARTED org.eipc.transport.tcp 0.1.0 [24]},
 * {@code service REGISTERED org.eipc.spi.transport.Transport [org.eipc.transport.tcp]}.
 */
public final class EventPrinter implements BundleListener, ServiceListener {
    private final PrintStream out;

    public EventPrinter(PrintStream out) {
        this.out = out;
    }

    @Override
    public void bundleChanged(BundleEvent event) {
        String type = bundleEventName(event.getType());
        if (type == null) {
            return;
        }
        Bundle b = event.getBundle();
        out.println("bundle " + type + " " + b.getSymbolicName() + " " + b.getVersion() + " [" + b.getBundleId()
                + "]");
    }

    @Override
    public void serviceChanged(ServiceEvent event) {
        String[] classes = (String[]) event.getServiceReference().getProperty(Constants.OBJECTCLASS);
        if (classes == null || Arrays.stream(classes).noneMatch(c -> c.startsWith("org.eipc."))) {
            return;
        }
        String type = event.getType() == ServiceEvent.REGISTERED ? "REGISTERED"
                : event.getType() == ServiceEvent.UNREGISTERING ? "UNREGISTERED" : "MODIFIED";
        Bundle b = event.getServiceReference().getBundle();
        out.println("service " + type + " " + String.join(",", classes) + " ["
                + (b != null ? b.getSymbolicName() : "?") + "]");
    }

    private static String bundleEventName(int type) {
        switch (type) {
            case BundleEvent.INSTALLED:
                return "INSTALLED";
            case BundleEvent.RESOLVED:
                return "RESOLVED";
            case BundleEvent.STARTED:
                return "STARTED";
            case BundleEvent.STOPPED:
                return "STOPPED";
            case BundleEvent.UPDATED:
                return "UPDATED";
            case BundleEvent.UNRESOLVED:
                return "UNRESOLVED";
            case BundleEvent.UNINSTALLED:
                return "UNINSTALLED";
            default:
                return null;
        }
    }
}
