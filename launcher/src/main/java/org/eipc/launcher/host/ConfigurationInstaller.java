package org.eipc.launcher.host;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * Writes configurations through the framework's {@code ConfigurationAdmin} service, with their typed values.
 * Like {@link ComponentInspector}, it calls the service reflectively through the API classes ConfigAdmin is
 * wired to (the launcher class path has no cm API), using only {@code ConfigurationAdmin.getConfiguration},
 * {@code getFactoryConfiguration}, {@code createFactoryConfiguration}, {@code listConfigurations} and
 * {@code Configuration.update/getProperties/getPid/getChangeCount}. Configurations are bound to location {@code "?"} (any bundle).
 */
public final class ConfigurationInstaller {
    private static final String CM = "org.osgi.service.cm.ConfigurationAdmin";
    private static final String CONFIGURATION = "org.osgi.service.cm.Configuration";

    private final BundleContext context;

    public ConfigurationInstaller(BundleContext context) {
        this.context = context;
    }

    /** True when a ConfigurationAdmin service is registered. */
    public boolean available() {
        return context.getServiceReference(CM) != null;
    }

    /** Creates or replaces the singleton configuration {@code pid}. */
    public void put(String pid, Map<String, Object> values) {
        call((cm, api) -> update(api, api.cm.getMethod("getConfiguration", String.class, String.class)
                .invoke(cm, pid, "?"), values));
    }

    /** Creates or replaces the named factory configuration {@code factoryPid~name}. */
    public void putFactory(String factoryPid, String name, Map<String, Object> values) {
        call((cm, api) -> update(api, api.cm.getMethod("getFactoryConfiguration", String.class, String.class,
                String.class).invoke(cm, factoryPid, name, "?"), values));
    }

    /** Creates a new factory configuration with a generated name. */
    public void create(String factoryPid, Map<String, Object> values) {
        call((cm, api) -> update(api, api.cm.getMethod("createFactoryConfiguration", String.class, String.class)
                .invoke(cm, factoryPid, "?"), values));
    }

    /** The pids of every configuration, sorted. */
    public List<String> pids() {
        return new ArrayList<>(changeCounts().keySet());
    }

    /** Every configuration's pid (sorted) with its change count, which grows with each update. */
    public Map<String, Long> changeCounts() {
        Map<String, Long> counts = new TreeMap<>();
        call((cm, api) -> {
            Object[] configs = (Object[]) api.cm.getMethod("listConfigurations", String.class).invoke(cm,
                    (Object) null);
            Method pid = api.configuration.getMethod("getPid");
            Method changeCount = api.configuration.getMethod("getChangeCount");
            for (int i = 0; configs != null && i < configs.length; i++) {
                counts.put((String) pid.invoke(configs[i]), (Long) changeCount.invoke(configs[i]));
            }
            return null;
        });
        return counts;
    }

    /** The values of {@code key} over all configurations that have it. */
    public List<String> valuesOf(String key) {
        List<String> values = new ArrayList<>();
        call((cm, api) -> {
            Object[] configs = (Object[]) api.cm.getMethod("listConfigurations", String.class)
                    .invoke(cm, "(" + key + "=*)");
            for (int i = 0; configs != null && i < configs.length; i++) {
                Dictionary<?, ?> props = (Dictionary<?, ?>) api.configuration.getMethod("getProperties")
                        .invoke(configs[i]);
                if (props != null && props.get(key) != null) {
                    values.add(String.valueOf(props.get(key)));
                }
            }
            return null;
        });
        return values;
    }

    private static Object update(Api api, Object configuration, Map<String, Object> values)
            throws ReflectiveOperationException {
        Hashtable<String, Object> props = new Hashtable<>(values);
        api.configuration.getMethod("update", Dictionary.class).invoke(configuration, props);
        return null;
    }

    private void call(CmCall call) {
        ServiceReference<?> ref = context.getServiceReference(CM);
        if (ref == null) {
            throw new IllegalStateException("no ConfigurationAdmin service: is org.apache.felix.configadmin installed?");
        }
        Object cm = context.getService(ref);
        try {
            Bundle b = ref.getBundle();
            call.apply(cm, new Api(b.loadClass(CM), b.loadClass(CONFIGURATION)));
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("ConfigurationAdmin failed: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("unexpected ConfigurationAdmin API: " + e, e);
        } finally {
            context.ungetService(ref);
        }
    }

    private record Api(Class<?> cm, Class<?> configuration) {
    }

    @FunctionalInterface
    private interface CmCall {
        Object apply(Object cm, Api api) throws ReflectiveOperationException;
    }
}
