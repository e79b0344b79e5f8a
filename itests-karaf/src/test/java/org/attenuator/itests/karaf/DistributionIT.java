package org.attenuator.itests.karaf;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import javax.inject.Inject;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.attenuator.core.Doctor;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerSuite;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;

/** Boots our Karaf distribution once: Attenuator is installed at boot and its console commands answer. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerSuite.class)
public class DistributionIT extends KarafTestSupport {

    @Inject
    private BundleContext context;

    @Inject
    private SessionFactory sessionFactory;

    // Injecting it makes Pax Exam wait until core has registered it (and with it, seccomp:doctor).
    @Inject
    private Doctor doctor;

    @Configuration
    public Option[] configuration() {
        return new Option[] {attenuatorKaraf()};
    }

    @Test
    public void everyAttenuatorBundleIsActive() {
        List<String> attenuator = Arrays.stream(context.getBundles())
                .filter(b -> b.getSymbolicName().startsWith("org.attenuator.") || b.getSymbolicName().equals("com.github.jnr.jffi"))
                .filter(b -> b.getHeaders().get(Constants.FRAGMENT_HOST) == null)
                .map(b -> b.getSymbolicName() + (b.getState() == Bundle.ACTIVE ? "" : " (state " + b.getState() + ")"))
                .sorted()
                .collect(Collectors.toList());
        assertEquals(List.of("com.github.jnr.jffi", "org.attenuator.api", "org.attenuator.bpf", "org.attenuator.core",
                "org.attenuator.linux", "org.attenuator.plugin.denylog", "org.attenuator.plugin.fallback",
                "org.attenuator.plugin.learning", "org.attenuator.profile", "org.attenuator.shell", "org.attenuator.shell.learning"),
                attenuator);
    }

    @Test
    public void doctorCommandReportsUserNotificationsAvailable() throws Exception {
        String output = execute(sessionFactory, "seccomp:doctor --no-format");
        // The row's name may carry a qualifier ("USER_NOTIF (listener)"); what matters is its availability.
        assertTrue(output, cells(output).stream().anyMatch(row -> row.size() == 2
                && row.get(0).startsWith("USER_NOTIF") && row.get(1).equals("yes")));
    }

    @Test
    public void doctorJsonStatesTheKernelAsProcDoes() throws Exception {
        JsonNode report = new ObjectMapper().readTree(execute(sessionFactory, "seccomp:doctor --json"));
        assertEquals(Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip(), report.get("kernelRelease").asText());
        assertTrue(report.toString(), report.get("supervisionPossible").asBoolean());
    }

    @Test
    public void compileAndExplainTakeABuiltinProfileByName() throws Exception {
        // Docker 20.10's default allows io_uring_setup; today's moby default does not
        String allowed = execute(sessionFactory, "seccomp:explain builtin:docker-20.10 io_uring_setup");
        assertTrue(allowed, allowed.startsWith("action: ALLOW"));
        String denied = execute(sessionFactory, "seccomp:explain builtin:docker-default io_uring_setup");
        assertTrue(denied, denied.startsWith("action: ERRNO"));
        String stats = execute(sessionFactory, "seccomp:compile --format stats builtin:docker-default");
        assertTrue(stats, stats.startsWith("instructions: ") && !stats.contains("{"));
    }

    /** The first two cells of each --no-format line (tab separated, as they are: no padding). */
    private static List<List<String>> cells(String output) {
        return output.lines()
                .map(line -> Arrays.stream(line.split("\t")).limit(2).collect(Collectors.toList()))
                .collect(Collectors.toList());
    }
}
