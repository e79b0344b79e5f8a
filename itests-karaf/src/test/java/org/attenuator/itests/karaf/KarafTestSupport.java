package org.attenuator.itests.karaf;

import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.logLevel;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.fail;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.Dictionary;
import java.util.Hashtable;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.attenuator.core.LaunchProfile;
import org.awaitility.core.ConditionTimeoutException;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.karaf.options.LogLevelOption.LogLevel;

/**
 * What every Karaf integration test shares: our distribution as Pax Exam boots it, and running a
 * console command as a user would. The tests run inside the forked Karaf JVM.
 */
public abstract class KarafTestSupport {

    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);

    /** Enough lines for several seconds of a looping tree's outcomes: past them a decision that never came fails the test. */
    private static final int PATIENCE_LINES = 200;

    private static final String PLUGIN_PROPERTY = "attenuator.itests.plugin";

    private static final String MVN_CFG = "etc/org.ops4j.pax.url.mvn.cfg";

    private static final String HOME_PROPERTY = "attenuator.itests.home";

    /** The learned-profile store's configuration file in the distribution (PID org.attenuator.plugin.learning.store). */
    protected static final String STORE_PID = "org.attenuator.plugin.learning.store";

    /** Our tar.gz (copied to target/ by Maven), offline, with the build's local repository for Pax Exam's own bundles. */
    protected static Option attenuatorKaraf() {
        String localRepository = new File(System.getProperty("attenuator.maven.repository")).toURI().toString();
        return composite(
                karafDistributionConfiguration()
                        .frameworkUrl(new File(System.getProperty("attenuator.karaf.tgz")).toURI().toString())
                        .name("Attenuator Karaf")
                        .karafVersion(System.getProperty("attenuator.karaf.version"))
                        .unpackDirectory(new File("target/exam"))
                        .useDeployFolder(false),
                configureConsole().ignoreLocalConsole(),
                logLevel(LogLevel.WARN),
                // system/ must stay first: the boot features resolve from it.
                editConfigurationFilePut(MVN_CFG, "org.ops4j.pax.url.mvn.defaultRepositories",
                        "${karaf.home.uri}system@id=system.repository@snapshots,"
                                + "${karaf.data.uri}kar@id=kar.repository@multi@snapshots,"
                                + localRepository + "@id=buildlocal@snapshots"),
                editConfigurationFilePut(MVN_CFG, "org.ops4j.pax.url.mvn.offline", "true"),
                // The tests run in Karaf's JVM, which sees no failsafe system property: hand this one over.
                editConfigurationFilePut("etc/system.properties", PLUGIN_PROPERTY,
                        new File(System.getProperty(PLUGIN_PROPERTY)).toURI().toString()),
                // Learned profiles under target/, never in the machine's /var/lib/attenuator.
                editConfigurationFilePut("etc/" + STORE_PID + ".cfg", "home",
                        new File(System.getProperty(HOME_PROPERTY)).getAbsolutePath()),
                editConfigurationFilePut("etc/system.properties", HOME_PROPERTY,
                        new File(System.getProperty(HOME_PROPERTY)).getAbsolutePath()),
                // How long an @Inject waits for its service in Karaf's JVM (10 s by default): the boot
                // features' components start slowly on a loaded machine.
                editConfigurationFilePut("etc/system.properties", "pax.exam.service.timeout", "60000"),
                // Awaitility (STYLE.md 17) for the tests' waits, with the hamcrest it is built against.
                mavenBundle("org.hamcrest", "hamcrest", System.getProperty("attenuator.hamcrest.version")),
                mavenBundle("org.awaitility", "awaitility", System.getProperty("attenuator.awaitility.version")));
    }

    /** The learned-profile store's home the distribution is configured with for the tests (a directory under target/). */
    protected static String storeHome() {
        return System.getProperty(HOME_PROPERTY);
    }

    /** The throwaway plugin bundle (see {@link org.attenuator.itests.karaf.plugin.AllowMkdirPlugin}), as a URL. */
    protected static String pluginLocation() {
        return System.getProperty(PLUGIN_PROPERTY);
    }

    /**
     * Runs one console line in a fresh session and returns what it printed. A failing command
     * throws its exception, as the console would show it.
     */
    protected static String execute(SessionFactory sessionFactory, String commandLine) throws Exception {
        awaitCommand(sessionFactory, commandLine.split(" ", 2)[0]);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Session session = sessionFactory.create(InputStream.nullInputStream(), out, out);
        try {
            session.execute(commandLine);
        } finally {
            session.close();
        }
        out.flush();
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /**
     * Reads a looping tree's outcome lines (one per attempt) until one equals {@code expected}; fails
     * when the tree ends first or after {@value #PATIENCE_LINES} lines.
     */
    /** A copy of {@code properties} (null: none) with {@code key} set: what a configuration update takes. */
    protected static Dictionary<String, Object> with(Dictionary<String, Object> properties, String key, Object value) {
        Hashtable<String, Object> copy = new Hashtable<>();
        if (properties != null) {
            for (String k : Collections.list(properties.keys())) {
                copy.put(k, properties.get(k));
            }
        }
        copy.put(key, value);
        return copy;
    }

    protected static void awaitOutcome(BufferedReader outcomes, String expected) throws IOException {
        for (int i = 0; i < PATIENCE_LINES; i++) {
            String line = outcomes.readLine();
            if (line == null) {
                fail("the tree ended while waiting for \"" + expected + "\"");
            }
            if (line.equals(expected)) {
                return;
            }
        }
        fail("no \"" + expected + "\" in " + PATIENCE_LINES + " outcomes");
    }

    /** mkdir goes to the supervisor; with no handler deciding, the policy's undecided answer (EPERM) holds. */
    private static final String NOTIFY_MKDIR = "{\"defaultAction\": \"SCMP_ACT_ALLOW\","
            + " \"syscalls\": [{\"names\": [\"mkdir\", \"mkdirat\"], \"action\": \"SCMP_ACT_NOTIFY\"}]}";

    /** A profile that allows everything and notifies mkdir, as a profile file of that text would read. */
    protected static LaunchProfile notifyMkdir() {
        return LaunchProfile.parse(NOTIFY_MKDIR, "notify-mkdir");
    }

    /**
     * Karaf registers a bundle's commands in its registry a moment after their services appear, on
     * its own thread, and tells no one: poll the registry, as Karaf's own KarafTestSupport does,
     * up to a deadline (then the command runs anyway and fails with Karaf's "Command not found").
     */
    private static void awaitCommand(SessionFactory sessionFactory, String scopedName) {
        String[] scopeAndName = scopedName.split(":", 2);
        try {
            await().atMost(COMMAND_TIMEOUT).pollInterval(Duration.ofMillis(50))
                    .until(() -> sessionFactory.getRegistry().getCommand(scopeAndName[0], scopeAndName[1]) != null);
        } catch (ConditionTimeoutException e) {
            // run it anyway: Karaf's own error names the missing command
        }
    }
}
