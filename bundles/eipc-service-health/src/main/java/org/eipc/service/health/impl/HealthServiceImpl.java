package org.eipc.service.health.impl;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;
import org.eipc.runtime.RuntimeMetrics;
import org.eipc.service.health.CheckResult;
import org.eipc.service.health.HealthCheck;
import org.eipc.service.health.HealthReport;
import org.eipc.service.health.HealthService;
import org.eipc.spi.keyring.KeyringProvider;
import org.eipc.spi.runtime.RuntimeEvent;
import org.eipc.spi.runtime.RuntimeEventListener;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.component.ComponentServiceObjects;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link HealthService}: runs the built-in checks ({@link Assessment}) over the runtime's metrics, the keyrings
 * and the failure events it hears as a {@link RuntimeEventListener}, then every contributed {@link HealthCheck}.
 *
 * <p>The {@code RuntimeMetrics} reference is optional and dynamic, and no signature of this class names that type:
 * its package is imported optionally, and only {@link RuntimeSnapshots} (loaded once a service is bound) uses it.
 */
@Component(service = {HealthService.class, RuntimeEventListener.class}, configurationPid = HealthServiceImpl.PID)
@Designate(ocd = HealthConfig.class)
public final class HealthServiceImpl implements HealthService, RuntimeEventListener {
    private static final Logger LOG = LoggerFactory.getLogger(HealthServiceImpl.class);

    /** Configuration PID. */
    public static final String PID = "org.eipc.service.health";

    /** Contributed checks: highest ranking first, then oldest service first. */
    private static final Comparator<Contributor> ORDER = Comparator.comparingInt((Contributor c) -> -c.ranking())
            .thenComparingLong(Contributor::serviceId);

    /** A contributed check with what its service properties said when it was bound. */
    private record Contributor(HealthCheck check, String name, int ranking, long serviceId) {
    }

    private final FailureWindow failures;
    private final long threshold;
    private final Clock clock;
    private final BooleanSupplier frameworkActive;
    private final Map<Long, Contributor> checks = new ConcurrentHashMap<>();
    private final Map<Long, KeyringProvider> keyrings = new ConcurrentHashMap<>();
    private final java.util.List<ComponentServiceObjects<?>> metricsObjects = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Activate
    public HealthServiceImpl(final HealthConfig config, final BundleContext context) {
        this(config.failureWindowSeconds(), config.failureThreshold(), Clock.systemUTC(),
                () -> context.getBundle(Constants.SYSTEM_BUNDLE_ID).getState() == Bundle.ACTIVE);
    }

    /**
     * @throws IpcException {@link ErrorCode#CONFIG_INVALID} for a window outside [1, 3600] s or a negative threshold
     */
    HealthServiceImpl(final int windowSeconds, final long threshold, final Clock clock,
            final BooleanSupplier frameworkActive) {
        if (windowSeconds < 1 || windowSeconds > 3600 || threshold < 0) {
            throw new IpcException(ErrorCode.CONFIG_INVALID, "failureWindowSeconds=" + windowSeconds
                    + " (1..3600), failureThreshold=" + threshold + " (>= 0)");
        }
        this.failures = new FailureWindow(windowSeconds, clock::millis);
        this.threshold = threshold;
        this.clock = clock;
        this.frameworkActive = frameworkActive;
        LOG.debug("health activated: failures over {} s, threshold {}", windowSeconds, threshold);
    }

    @Override
    public HealthReport report() {
        RuntimeView view = null;
        String problem = null;
        final ComponentServiceObjects<?> cso = metricsObjects.isEmpty() ? null : metricsObjects.get(0);
        final Object m = cso == null ? null : cso.getService(); // a RuntimeMetrics, typed Object: see the class comment
        if (m != null) {
            try {
                view = RuntimeSnapshots.take(m);
            } catch (RuntimeException | LinkageError e) { // LinkageError: org.eipc.runtime not wired to us
                problem = "runtime metrics unavailable: " + e;
                LOG.debug("runtime metrics failed", e);
            } finally {
                ungetMetrics(cso, m);
            }
        }
        final Map<String, Long> recent = failures.counts();
        final HealthReport.Builder b = HealthReport.builder().timestamp(clock.instant())
                .check(Assessment.framework(frameworkActive.getAsBoolean()))
                .check(Assessment.runtime(view, problem))
                .check(Assessment.transports(view))
                .check(Assessment.endpoints(view))
                .check(Assessment.keyring(keyringStates()))
                .check(Assessment.sessions(view))
                .check(Assessment.failures(recent, failures.seconds(), threshold))
                .recentFailures(Duration.ofSeconds(failures.seconds()), recent);
        checks.values().stream().sorted(ORDER).forEach(c -> b.check(contributed(c)));
        if (view != null) {
            b.schemes(view.schemes()).counters(view.counters()).endpoints(view.endpoints());
        }
        return b.build();
    }

    private List<KeyringState> keyringStates() {
        final List<KeyringState> out = new ArrayList<>();
        for (KeyringProvider k : keyrings.values()) {
            String name = "?";
            try {
                name = k.name();
                out.add(new KeyringState(name, k.current().id(), null));
            } catch (RuntimeException e) {
                out.add(new KeyringState(name, null, e instanceof IpcException ipc ? ipc.getMessage() : e.toString()));
            }
        }
        return out;
    }

    private static CheckResult contributed(final Contributor c) {
        try {
            final CheckResult r = c.check().check();
            return r != null ? r : CheckResult.down(c.name(), "the check returned nothing");
        } catch (RuntimeException e) {
            LOG.debug("health check {} failed", c.name(), e);
            return CheckResult.down(c.name(), "the check failed: " + e);
        }
    }

    @Override
    public void onEvent(final RuntimeEvent event) {
        failures.record(event.kind());
    }

    // ---- references --------------------------------------------------------------------------------------------

    @Reference(name = "metrics", service = RuntimeMetrics.class, cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void bindMetrics(final ComponentServiceObjects<?> objects) {
        // kept, not dereferenced: getting the runtime's service here, while the runtime may be binding this component
        // as its event listener, would be a service activation cycle. report() gets it for the call and ungets it.
        metricsObjects.add(0, objects); // greedy: a replacement may arrive before the old one leaves; the newest wins
    }

    void unbindMetrics(final ComponentServiceObjects<?> objects) {
        metricsObjects.remove(objects);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void ungetMetrics(final ComponentServiceObjects<?> objects, final Object service) {
        try {
            ((ComponentServiceObjects) objects).ungetService(service);
        } catch (IllegalStateException | IllegalArgumentException gone) {
            // the runtime left meanwhile
        }
    }

    @Reference(name = "keyring", cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, target = "(eipc.keyring.name=*)")
    void bindKeyring(final KeyringProvider keyring, final Map<String, Object> props) {
        keyrings.put(serviceId(props), keyring);
    }

    void unbindKeyring(final KeyringProvider keyring, final Map<String, Object> props) {
        keyrings.remove(serviceId(props));
    }

    @Reference(name = "check", cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindCheck(final HealthCheck check, final Map<String, Object> props) {
        final Object n = props.get(HealthCheck.PROP_NAME);
        final long id = serviceId(props);
        checks.put(id, new Contributor(check, n != null ? n.toString() : check.getClass().getName(), ranking(props),
                id));
    }

    void unbindCheck(final HealthCheck check, final Map<String, Object> props) {
        checks.remove(serviceId(props));
    }

    private static int ranking(final Map<String, Object> props) {
        return props.get(Constants.SERVICE_RANKING) instanceof Integer i ? i : 0;
    }

    private static long serviceId(final Map<String, Object> props) {
        return props.get(Constants.SERVICE_ID) instanceof Long l ? l : 0L;
    }
}
