package org.attenuator.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.attenuator.testsupport.TempHome;
import org.attenuator.testsupport.Waits;
import org.junit.jupiter.api.Test;

/**
 * The adoption window of `run`: the supervisor must not let the launcher's exec through before the
 * keeper confirmed it holds the tree's listener, so a target that kills its supervisor JVM in its
 * very first instructions is answered by the keeper, never left with ENOSYS. The target uses shell
 * builtins only up to the kill (an exec before it would be notified and give the keeper time).
 * With no keeper, the run does not start.
 */
class AdoptionWindowIT extends DistributionTest {

    /** sh -> attenuator-exec (the fork server) -> the run's JVM, found from /proc with builtins only. */
    private static final String KILL_THE_JVM_AT_ONCE = "ppid() { while read -r k v rest; do"
            + " if [ \"$k\" = PPid: ]; then echo \"$v\"; return; fi; done < /proc/$1/status; };"
            + " kill -9 \"$(ppid \"$(ppid $$)\")\"; /bin/true 2>\"$0.err\"; echo \"status $?\" > \"$0\"";

    @Test
    void aTargetThatKillsItsSupervisorAtOnceThenExecsNeverSeesEnosys() throws Exception {
        Path profile = Files.writeString(dir.resolve("notify-getppid.json"), LoopCounters.NOTIFY_GETPPID);
        Path home = TempHome.in(dir);
        for (int i = 0; i < 3; i++) {
            Path report = dir.resolve("report" + i);
            Path stderr = dir.resolve("run" + i + ".stderr");
            ProcessBuilder pb = new ProcessBuilder(Distribution.bin().toString(), "run", "--fallback", "allow",
                    "--profile", profile.toString(), "--", "/bin/sh", "-c", KILL_THE_JVM_AT_ONCE, report.toString())
                    .redirectError(stderr.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD);
            pb.environment().put("ATTENUATOR_HOME", home.toString());
            Process run = pb.start();
            started.add(run);
            assertTrue(run.waitFor(60, TimeUnit.SECONDS), "run " + i + ": " + Distribution.read(stderr));
            assertEquals(137, run.exitValue(), "run " + i + ": the JVM died of SIGKILL: " + Distribution.read(stderr));
            Waits.until(() -> Distribution.read(report).endsWith("\n"), Duration.ofSeconds(30),
                    () -> "the target reported: " + Distribution.read(stderr));
            String err = Distribution.read(Path.of(report + ".err"));
            assertFalse(err.contains("Function not implemented"), "run " + i + ": ENOSYS: " + err);
            // the exec after the kill: allowed by the keeper (--fallback allow)
            assertEquals("status 0\n", Distribution.read(report), "run " + i + ": " + err);
        }
    }

    /**
     * No keeper can hold the listener (its directory is writable by others, so the keeper's checks
     * refuse it): the launch is refused in one line naming the cause, and the target never runs.
     */
    @Test
    void aRunNoKeeperCanCoverIsRefusedBeforeItsTargetRuns() throws Exception {
        Path home = TempHome.in(dir);
        Path run = Files.createDirectories(home.resolve("run"));
        Files.setPosixFilePermissions(run, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwx---"));
        Path ran = dir.resolve("ran");
        Distribution.Result r = Distribution.run(home, "run", "--", "/bin/sh", "-c", "touch '" + ran + "'");
        assertEquals(125, r.status(), r.toString());
        assertFalse(Files.exists(ran), "the target ran: " + r);
        assertTrue(r.err().contains("attenuator run: preparing the launch: no keeper holds its listener (refusing " + run
                + ": writable by group or others (mode 0770))"), r.toString());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r);
    }
}
