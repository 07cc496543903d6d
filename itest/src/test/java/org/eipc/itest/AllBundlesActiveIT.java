package org.eipc.itest;

import static org.junit.Assert.assertEquals;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.util.ArrayList;
import java.util.List;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;

/**
 * The bundles of the {@code eipc-default} feature in Felix with SCR: every bundle ACTIVE, every DS component
 * of our bundles satisfied or active (a component that only waits for a required configuration is allowed,
 * as in {@code eipc host}).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class AllBundlesActiveIT {
    private static final long SETTLE_MS = 10_000;

    @Inject
    BundleContext context;

    @Inject
    ServiceComponentRuntime scr;

    @Configuration
    public Option[] config() {
        return options(EipcOptions.base(), EipcOptions.feature("eipc-default"));
    }

    @Test
    public void shouldHaveEveryBundleActive() throws InterruptedException {
        assertEquals("bundles not active", List.of(), poll(this::inactiveBundles));
    }

    @Test
    public void shouldSatisfyEveryComponentOfOurBundles() throws InterruptedException {
        assertEquals("components not satisfied", List.of(), poll(this::unsatisfiedComponents));
    }

    private List<String> poll(java.util.function.Supplier<List<String>> problems) throws InterruptedException {
        long deadline = System.currentTimeMillis() + SETTLE_MS;
        List<String> p = problems.get();
        while (!p.isEmpty() && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
            p = problems.get();
        }
        return p;
    }

    private List<String> inactiveBundles() {
        List<String> result = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            boolean fragment = b.getHeaders().get(Constants.FRAGMENT_HOST) != null;
            int expected = fragment ? Bundle.RESOLVED : Bundle.ACTIVE;
            if (b.getState() != expected) {
                result.add(b.getSymbolicName() + " " + b.getVersion() + " state " + b.getState());
            }
        }
        return result;
    }

    private List<String> unsatisfiedComponents() {
        List<String> result = new ArrayList<>();
        for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs()) {
            if (!d.bundle.symbolicName.startsWith("org.eipc.")) {
                continue;
            }
            for (ComponentConfigurationDTO c : scr.getComponentConfigurationDTOs(d)) {
                if (c.state == ComponentConfigurationDTO.SATISFIED || c.state == ComponentConfigurationDTO.ACTIVE
                        || c.state == ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION) {
                    continue;
                }
                StringBuilder s = new StringBuilder(d.name).append(" state ").append(c.state);
                for (UnsatisfiedReferenceDTO r : c.unsatisfiedReferences) {
                    s.append(" unsatisfied ").append(r.name).append(r.target != null ? " " + r.target : "");
                }
                if (c.failure != null) {
                    s.append(" failure ").append(c.failure);
                }
                result.add(s.toString());
            }
        }
        return result;
    }
}
