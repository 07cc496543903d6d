package org.eipc.launcher.host;

import java.lang.reflect.Array;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * Reads the DS component state from {@code ServiceComponentRuntime}. The launcher does not share the DS API
 * with the framework (the API lives in a bundle), so the service and its DTOs are read reflectively, through
 * the classes SCR itself is wired to. All members used are public API of DS 1.3+.
 */
public final class ComponentInspector {
    private static final String SCR = "org.osgi.service.component.runtime.ServiceComponentRuntime";
    private static final String DESCRIPTION_DTO = "org.osgi.service.component.runtime.dto.ComponentDescriptionDTO";

    /** One component configuration, or a description that has none (disabled, or waiting for configuration). */
    public record Component(String name, String bundle, long bundleId, String state, List<String> unsatisfied,
            String failure) {
        /** True when satisfied or active. */
        public boolean satisfied() {
            return "ACTIVE".equals(state) || "SATISFIED".equals(state);
        }

        /** True when the component only waits for a (required) configuration. */
        public boolean waitingForConfiguration() {
            return "UNSATISFIED_CONFIGURATION".equals(state);
        }
    }

    private final BundleContext context;

    public ComponentInspector(BundleContext context) {
        this.context = context;
    }

    /** Every component of every bundle; empty when no SCR runs. */
    public List<Component> components() {
        ServiceReference<?> ref = context.getServiceReference(SCR);
        if (ref == null) {
            return List.of();
        }
        Object scr = context.getService(ref);
        if (scr == null) {
            return List.of();
        }
        try {
            Bundle scrBundle = ref.getBundle();
            Class<?> scrType = scrBundle.loadClass(SCR);
            Class<?> descType = scrBundle.loadClass(DESCRIPTION_DTO);
            Method descriptions = scrType.getMethod("getComponentDescriptionDTOs", Bundle[].class);
            Method configurations = scrType.getMethod("getComponentConfigurationDTOs", descType);
            Method enabled = scrType.getMethod("isComponentEnabled", descType);
            List<Component> result = new ArrayList<>();
            for (Object desc : (Collection<?>) descriptions.invoke(scr, (Object) new Bundle[0])) {
                String name = (String) field(desc, "name");
                Object bundleDto = field(desc, "bundle");
                String bsn = (String) field(bundleDto, "symbolicName");
                long bid = (Long) field(bundleDto, "id");
                Collection<?> confs = (Collection<?>) configurations.invoke(scr, desc);
                if (confs.isEmpty()) {
                    boolean on = (Boolean) enabled.invoke(scr, desc);
                    String state = on ? "UNSATISFIED_CONFIGURATION" : "DISABLED";
                    result.add(new Component(name, bsn, bid, state, List.of(), null));
                }
                for (Object conf : confs) {
                    result.add(new Component(name, bsn, bid, stateName((Integer) field(conf, "state")),
                            unsatisfied(conf), failure(conf)));
                }
            }
            return result;
        } catch (ClassNotFoundException | NoSuchMethodException | IllegalAccessException e) {
            throw new IllegalStateException("unexpected ServiceComponentRuntime API: " + e, e);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("ServiceComponentRuntime failed: " + e.getCause(), e.getCause());
        } finally {
            context.ungetService(ref);
        }
    }

    private static List<String> unsatisfied(Object conf) throws IllegalAccessException {
        Object refs = field(conf, "unsatisfiedReferences");
        List<String> names = new ArrayList<>();
        for (int i = 0; refs != null && i < Array.getLength(refs); i++) {
            Object r = Array.get(refs, i);
            String target = (String) field(r, "target");
            names.add(field(r, "name") + (target != null ? " " + target : ""));
        }
        return names;
    }

    private static String failure(Object conf) {
        try {
            return (String) field(conf, "failure"); // DS 1.4+
        } catch (IllegalAccessException | IllegalStateException e) {
            return null;
        }
    }

    private static Object field(Object dto, String name) throws IllegalAccessException {
        try {
            return dto.getClass().getField(name).get(dto);
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException("DTO " + dto.getClass().getName() + " has no field " + name, e);
        }
    }

    private static String stateName(int state) {
        switch (state) {
            case 1:
                return "UNSATISFIED_CONFIGURATION";
            case 2:
                return "UNSATISFIED_REFERENCE";
            case 4:
                return "SATISFIED";
            case 8:
                return "ACTIVE";
            case 16:
                return "FAILED_ACTIVATION";
            default:
                return "STATE_" + state;
        }
    }
}
