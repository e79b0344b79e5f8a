package org.attenuator.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
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
import org.slf4j.LoggerFactory;

/** Boots every bundle of the distribution in Felix: all resolve, start, and register their services. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class FrameworkIT {

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] configuration() {
        return new Option[] {FelixOptions.framework()};
    }

    @Test
    public void everyBundleIsActive() {
        List<String> notActive = Arrays.stream(context.getBundles())
                .filter(b -> b.getHeaders().get(Constants.FRAGMENT_HOST) == null)
                .filter(b -> b.getState() != Bundle.ACTIVE)
                .map(b -> b.getSymbolicName() + " (state " + b.getState() + ")")
                .collect(Collectors.toList());
        assertEquals("bundles not active", List.of(), notActive);
        for (String bsn : List.of("org.attenuator.api", "org.attenuator.linux", "org.attenuator.bpf",
                "org.attenuator.profile", "org.attenuator.core")) {
            assertTrue(bsn + " is installed", Arrays.stream(context.getBundles()).anyMatch(b -> bsn.equals(b.getSymbolicName())));
        }
    }

    @Test
    public void jffiNativeFragmentIsAttached() {
        Bundle jffi = Arrays.stream(context.getBundles()).filter(b -> "com.github.jnr.jffi".equals(b.getSymbolicName()))
                .findFirst().orElseThrow();
        Bundle fragment = Arrays.stream(context.getBundles())
                .filter(b -> "com.github.jnr.jffi".equals(String.valueOf(b.getHeaders().get(Constants.FRAGMENT_HOST)).split(";")[0]))
                .findFirst().orElseThrow();
        assertEquals(Bundle.RESOLVED, fragment.getState());
        assertEquals(Bundle.ACTIVE, jffi.getState());
    }

    @Test
    public void loggingGoesToLogback() {
        assertEquals("ch.qos.logback.classic.LoggerContext", LoggerFactory.getILoggerFactory().getClass().getName());
    }

    @Test
    public void coreServicesAreRegistered() {
        for (String service : List.of("org.attenuator.core.Doctor")) {
            assertNotNull(service + " registered", context.getServiceReference(service));
        }
    }
}
