package org.attenuator.itests.karaf;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Dictionary;
import java.util.stream.Stream;
import javax.inject.Inject;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.attenuator.core.Launcher;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerSuite;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * seccomp:learn, seccomp:profiles and seccomp:profile on a real learning run, and the store's
 * configuration (PID org.attenuator.plugin.learning.store) changed through ConfigurationAdmin
 * while Karaf runs: the commands use the new home at once, and back.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerSuite.class)
public class LearnedProfilesIT extends KarafTestSupport {

    private static final Duration RECONFIGURED = Duration.ofSeconds(30);

    @Inject
    private SessionFactory sessionFactory;

    @Inject
    private ConfigurationAdmin configurationAdmin;

    // Waits for the launcher (core is up) before the tests run.
    @Inject
    private Launcher launcher;

    @Configuration
    public Option[] configuration() {
        return new Option[] {attenuatorKaraf()};
    }

    @Test
    public void aLearningRunIsListedShownAndExported() throws Exception {
        String learned = execute(sessionFactory, "seccomp:learn --key itest-true -- /bin/true");
        assertTrue(learned, learned.lines().anyMatch(line -> line.startsWith("learned itest-true: ")));

        String list = execute(sessionFactory, "seccomp:profiles --no-format");
        assertTrue(list, list.lines().anyMatch(line -> line.split("\t")[0].strip().equals("itest-true")));

        // openat is notified (it is not in the learning base): the run learned it.
        String shown = execute(sessionFactory, "seccomp:profile show itest-true");
        assertTrue(shown, shown.contains("key:                 itest-true"));
        assertTrue(shown, shown.lines().anyMatch(line -> line.startsWith("openat")));

        String oci = execute(sessionFactory, "seccomp:profile export itest-true");
        assertTrue(oci, oci.contains("\"defaultAction\"") && oci.contains("openat"));
        // Karaf reads options only before the first argument.
        String spo = execute(sessionFactory, "seccomp:profile --format spo export itest-true");
        assertTrue(spo, spo.contains("SeccompProfile"));

        // diff and merge take A B in the standalone order: the key against itself differs in nothing,
        // and merged with itself into a file it reads back the same.
        String same = execute(sessionFactory, "seccomp:profile diff itest-true learned:itest-true");
        assertTrue(same, same.isBlank());
        Path merged = Files.createTempFile("merged", ".json");
        execute(sessionFactory, "seccomp:profile -o " + merged + " merge itest-true itest-true");
        String back = execute(sessionFactory, "seccomp:profile diff " + merged + " itest-true");
        assertTrue(back, back.isBlank());
        assertTrue(Files.readString(merged).contains("openat"));
    }

    @Test
    public void aNewStoreHomeTakesEffectWithoutARestart() throws Exception {
        Path home = Path.of(storeHome());
        Path other = Files.createTempDirectory(home.getParent(), "attenuator-home-other");
        org.osgi.service.cm.Configuration store = configurationAdmin.getConfiguration(STORE_PID, null);
        Dictionary<String, Object> properties = store.getProperties();
        try {
            store.update(with(properties, "home", other.toString()));
            // The store restarts with its new home; meanwhile the command may find no store at all.
            await().atMost(RECONFIGURED).ignoreExceptions().until(() -> execute(sessionFactory, "seccomp:profiles")
                    .contains("no learned profiles in " + other.resolve("learned")));

            execute(sessionFactory, "seccomp:learn --key itest-other-home -- /bin/true");
            try (Stream<Path> files = Files.list(other.resolve("learned"))) {
                assertTrue("learned into the new home",
                        files.anyMatch(f -> f.getFileName().toString().startsWith("itest-other-home")));
            }
        } finally {
            store.update(with(properties, "home", home.toString()));
        }
        // Until the store is back in the first home, the list shows the profile learned in the other one.
        await().atMost(RECONFIGURED).ignoreExceptions().until(() -> {
            String list = execute(sessionFactory, "seccomp:profiles");
            return !list.contains("itest-other-home") && !list.contains(other.toString());
        });
    }
}
