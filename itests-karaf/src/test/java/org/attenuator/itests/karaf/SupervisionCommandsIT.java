package org.attenuator.itests.karaf;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Dictionary;
import java.util.List;
import java.util.NoSuchElementException;
import javax.inject.Inject;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.attenuator.core.Launch;
import org.attenuator.core.LaunchProfile;
import org.attenuator.core.LaunchedProcess;
import org.attenuator.core.Launcher;
import org.attenuator.core.Supervisor;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerSuite;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.cm.ConfigurationAdmin;

/** The seccomp commands on real supervised processes, launched in the forked Karaf. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerSuite.class)
public class SupervisionCommandsIT extends KarafTestSupport {

    private static final String SUPERVISOR_PID = "org.attenuator.core.supervisor";

    /** mkdir goes to the supervisor (the "attenuator" notify list); undecided, it fails with EPERM (the default). */
    private static final String DENY_MKDIR = "{\"defaultAction\": \"SCMP_ACT_ALLOW\","
            + " \"attenuator\": {\"notify\": [\"mkdir\", \"mkdirat\"], \"undecided\": \"errno:EPERM\"}}";

    /** The same notified calls, allowed: what the swap hands the running tree. */
    private static final String ALLOW_MKDIR = "{\"defaultAction\": \"SCMP_ACT_ALLOW\","
            + " \"attenuator\": {\"notify\": [\"mkdir\", \"mkdirat\"], \"undecided\": \"allow\"}}";

    /** Reports each mkdir's outcome on a line of its own, every 50 ms, until killed. */
    private static final String MKDIR_LOOP = "d=/tmp/attenuator-swap-$$; while :; do"
            + " if mkdir $d 2>/dev/null; then rmdir $d; echo allowed; else echo denied; fi; sleep 0.05; done";

    @Inject
    private SessionFactory sessionFactory;

    @Inject
    private Launcher launcher;

    @Inject
    private ConfigurationAdmin configurationAdmin;

    @Inject
    private BundleContext bundleContext;

    // Waits for the supervisor (and so for the commands, registered with it) before the tests run.
    @Inject
    private Supervisor supervisor;

    @Configuration
    public Option[] configuration() {
        return new Option[] {attenuatorKaraf()};
    }

    @Test
    public void launchRunsTheProgramAndShowsItsOutput() throws Exception {
        // A program that exits at once, with an option of its own after "--".
        String output = execute(sessionFactory, "seccomp:launch -- /bin/echo -n hello from the tree");
        assertTrue(output, output.lines().anyMatch(line -> line.startsWith("hello from the tree")));
    }

    @Test
    public void aRunningTreeIsListedPausedAndResumed() throws Exception {
        try (LaunchedProcess sleeper = launcher.launch(Launch.command("/bin/sleep", "60").stdio(Launch.Stdio.PIPE).build())) {
            String tree = sleeper.treeId().orElseThrow();
            assertTrue(execute(sessionFactory, "seccomp:trees --no-format").lines()
                    .anyMatch(line -> line.split("\t")[0].strip().equals(tree)));

            // Karaf reads options only before the first argument.
            execute(sessionFactory, "seccomp:pause --answer errno:EPERM " + tree);
            assertTrue(execute(sessionFactory, "seccomp:tree " + tree).contains("paused, answering deny(1)"));

            execute(sessionFactory, "seccomp:resume " + tree);
            assertTrue(execute(sessionFactory, "seccomp:tree " + tree).contains("supervised"));
            assertTrue("the tree kept running", sleeper.isAlive());
        }
    }

    @Test
    public void swapGivesARunningTreeTheDecisionsOfAnotherProfile() throws Exception {
        // Under target/ (beside the store home), as absolute paths: what the launch policy source resolves.
        Path profiles = Files.createDirectories(Path.of(storeHome()).resolveSibling("swap-profiles"));
        Path deny = Files.writeString(profiles.resolve("swap-deny-mkdir.json"), DENY_MKDIR);
        Path allow = Files.writeString(profiles.resolve("swap-allow-mkdir.json"), ALLOW_MKDIR);
        Launch launch = Launch.command("/bin/sh", "-c", MKDIR_LOOP).profile(LaunchProfile.read(deny))
                .stdio(Launch.Stdio.PIPE).build();
        try (LaunchedProcess target = launcher.launch(launch)) {
            String tree = target.treeId().orElseThrow();
            BufferedReader outcomes = new BufferedReader(
                    new InputStreamReader(target.process().getInputStream(), StandardCharsets.UTF_8));
            awaitOutcome(outcomes, "denied");
            assertTrue(execute(sessionFactory, "seccomp:tree " + tree).lines().anyMatch("policy: swap-deny-mkdir"::equals));

            execute(sessionFactory, "seccomp:swap " + tree + " " + allow.toAbsolutePath());
            String shown = execute(sessionFactory, "seccomp:tree " + tree);
            assertTrue(shown, shown.lines().anyMatch("policy: swap-allow-mkdir"::equals));
            awaitOutcome(outcomes, "allowed");
            assertTrue("the tree kept running through the swap", target.isAlive());

            // a file named relative to Karaf's working directory, as the file completer offers it
            Path relative = Files.writeString(Path.of("swap-relative-deny.json"), DENY_MKDIR);
            try {
                execute(sessionFactory, "seccomp:swap " + tree + " swap-relative-deny.json");
                awaitOutcome(outcomes, "denied");
            } finally {
                Files.delete(relative);
            }
        }
    }

    /**
     * A changed supervisor configuration reaches the running supervisor through @Modified: the same
     * service goes on answering the same tree (a restart would let go of it: its calls would fail
     * with ENOSYS, and the tree would be gone from the list).
     */
    @Test
    public void aSupervisorConfigurationChangeKeepsTheRunningTree() throws Exception {
        Path profiles = Files.createDirectories(Path.of(storeHome()).resolveSibling("reconfigure-profiles"));
        Path deny = Files.writeString(profiles.resolve("reconfigure-deny-mkdir.json"), DENY_MKDIR);
        Launch launch = Launch.command("/bin/sh", "-c", MKDIR_LOOP).profile(LaunchProfile.read(deny))
                .stdio(Launch.Stdio.PIPE).build();
        org.osgi.service.cm.Configuration config = configurationAdmin.getConfiguration(SUPERVISOR_PID, null);
        Dictionary<String, Object> before = config.getProperties();
        try (LaunchedProcess target = launcher.launch(launch)) {
            String tree = target.treeId().orElseThrow();
            BufferedReader outcomes = new BufferedReader(
                    new InputStreamReader(target.process().getInputStream(), StandardCharsets.UTF_8));
            awaitOutcome(outcomes, "denied");
            Object serviceId = bundleContext.getServiceReference(Supervisor.class).getProperty(Constants.SERVICE_ID);
            int workers = supervisor.stats().workers();

            config.update(with(before, "workers", workers + 2));
            await().atMost(Duration.ofSeconds(30)).until(() -> supervisor.stats().workers() == workers + 2);
            assertEquals("the same supervisor service", serviceId,
                    bundleContext.getServiceReference(Supervisor.class).getProperty(Constants.SERVICE_ID));
            long answered = supervisor.tree(tree).orElseThrow().counters().notifications();
            awaitOutcome(outcomes, "denied");
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> supervisor.tree(tree).orElseThrow().counters().notifications() > answered);
        } finally {
            config.update(before);
        }
    }

    /**
     * What a script reads: {@code seccomp:trees --json} and {@code seccomp:tree --json} name the
     * launched process and count the mkdirs it was denied; {@code --no-format} cells are the bare
     * values; the text of {@code seccomp:tree} has no Java record or map rendering.
     */
    @Test
    public void treesForScriptsAreJsonOrUnpaddedTabsAndSayWhatHappened() throws Exception {
        Path profiles = Files.createDirectories(Path.of(storeHome()).resolveSibling("json-profiles"));
        Path deny = Files.writeString(profiles.resolve("json-deny-mkdir.json"), DENY_MKDIR);
        Launch launch = Launch.command("/bin/sh", "-c", MKDIR_LOOP).profile(LaunchProfile.read(deny))
                .stdio(Launch.Stdio.PIPE).build();
        try (LaunchedProcess target = launcher.launch(launch)) {
            String tree = target.treeId().orElseThrow();
            BufferedReader outcomes = new BufferedReader(
                    new InputStreamReader(target.process().getInputStream(), StandardCharsets.UTF_8));
            awaitOutcome(outcomes, "denied");
            ObjectMapper json = new ObjectMapper();
            // a denial is counted just after its answer, which the target may print first
            await().atMost(Duration.ofSeconds(30)).until(() -> json.readTree(execute(sessionFactory,
                    "seccomp:tree --json " + tree)).at("/counters/denied").asLong() >= 1);

            JsonNode listed = null;
            for (JsonNode node : json.readTree(execute(sessionFactory, "seccomp:trees --json"))) {
                listed = node.get("id").asText().equals(tree) ? node : listed;
            }
            assertNotNull("tree " + tree + " in seccomp:trees --json", listed);
            JsonNode one = json.readTree(execute(sessionFactory, "seccomp:tree --json " + tree));
            for (JsonNode shown : List.of(listed, one)) {
                assertEquals(tree, shown.get("id").asText());
                assertEquals(target.pid(), shown.get("pid").asLong());
                assertEquals("json-deny-mkdir", shown.get("policy").asText());
                assertFalse(shown.get("paused").asBoolean());
                long denied = shown.at("/counters/denied").asLong();
                assertTrue(shown.toString(), denied >= 1 && shown.at("/counters/notifications").asLong() >= denied);
            }

            List<String> cells = execute(sessionFactory, "seccomp:trees --no-format").lines()
                    .map(line -> List.of(line.split("\t", -1))).filter(row -> row.get(0).equals(tree))
                    .findFirst().orElseThrow(() -> new AssertionError("no --no-format line starts with " + tree + "\t"));
            assertEquals(List.of(tree, Long.toString(target.pid()), "json-deny-mkdir", "supervised"), cells.subList(0, 4));

            String text = execute(sessionFactory, "seccomp:tree " + tree);
            String beforeProperties = text.substring(0, text.indexOf("properties:"));
            assertFalse(text, beforeProperties.contains("Counters[") || beforeProperties.contains("{"));
            assertTrue(text, text.lines().anyMatch(line -> line.startsWith("counters: notifications ")));
            assertTrue(text, text.lines().anyMatch(line -> line.equals("  undecided: deny(1)")));
        }
    }

    @Test
    public void anUnknownTreeIsOneLineWithTheCause() throws Exception {
        try {
            execute(sessionFactory, "seccomp:tree t-none");
            fail("no such tree");
        } catch (NoSuchElementException e) {
            assertEquals("no supervised tree t-none", e.getMessage());
        }
    }
}
