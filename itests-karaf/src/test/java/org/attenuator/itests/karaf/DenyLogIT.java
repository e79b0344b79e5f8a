package org.attenuator.itests.karaf;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertNotEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import javax.inject.Inject;
import org.attenuator.core.Launch;
import org.attenuator.core.LaunchedProcess;
import org.attenuator.core.Launcher;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerSuite;

/**
 * The deny-log in Karaf: the distribution's etc/org.ops4j.pax.logging.cfg routes the logger
 * attenuator.denylog to data/log/denylog.jsonl, one JSON object per line.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerSuite.class)
public class DenyLogIT extends KarafTestSupport {

    @Inject
    private Launcher launcher;

    @Configuration
    public Option[] configuration() {
        return new Option[] {attenuatorKaraf()};
    }

    @Test
    public void aDeniedSyscallIsAJsonLineInDenylogJson() throws Exception {
        String tree;
        try (LaunchedProcess target = launcher.launch(Launch.command("/bin/mkdir", "/tmp/attenuator-denylog-itest")
                .profile(notifyMkdir()).stdio(Launch.Stdio.PIPE).build())) {
            tree = target.treeId().orElseThrow();
            assertNotEquals("mkdir was denied", 0, target.waitFor());
        }
        Path log = Path.of(System.getProperty("karaf.log", System.getProperty("karaf.data") + "/log"), "denylog.jsonl");
        // The observer runs after the answer, on its own thread. (The path argument may read as an
        // address only: mkdir has exited by then, and its memory with it.)
        String thisTree = "\"tree\":\"" + tree + "\"";
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> Files.readAllLines(log).stream()
                .anyMatch(line -> line.startsWith("{") && line.endsWith("}") && line.contains(thisTree)
                        && line.contains("\"syscall\":\"mkdir\"") && line.contains("\"event\":\"deny\"")));
    }
}
