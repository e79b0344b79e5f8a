package org.attenuator.core.internal.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.attenuator.api.Decision;
import org.attenuator.core.spi.TreePolicy;
import org.attenuator.core.test.Harness;
import org.attenuator.core.test.HarnessTest;
import org.attenuator.core.test.NativePrograms;
import org.junit.jupiter.api.Test;

/**
 * One tree, a shell and the tools it starts: each process gets the decisions of the program it runs
 * at the time of the call, as the kernel reports it (/proc/PID/exe).
 */
class PerExecutablePolicyTest extends HarnessTest {

    private static final int GETPPID = NativePrograms.nr("getppid");
    private static final int MKDIR = NativePrograms.nr("mkdir");
    private static final int EACCES = 13;
    private static final int EFAULT = 14;


    @Test
    void aShellMayDoMoreThanTheToolItStarts() throws Exception {
        Path shell = Path.of("/bin/sh").toRealPath(); // /usr/bin/dash on Debian: the kernel reports the real file
        Path probe = NativePrograms.probe();
        Path tool = Files.copy(probe, dir.resolve("tool")).toRealPath();
        TreePolicy policy = TreePolicy.builder().name("shell-and-tool")
                .decide("getppid", Decision.respond(100))
                .decide("mkdir", Decision.allow())
                .decideFor(shell.toString(), "getppid", Decision.respond(200))
                .decideFor(tool.toString(), "getppid", Decision.respond(300))
                .decideFor(tool.toString(), "mkdir", Decision.deny(EACCES))
                .build();
        harness.intakes.setPolicySource(p -> p.equals("st") ? Optional.of(policy) : Optional.empty());

        // The shell reads $PPID with getppid at start; the probe and the tool make raw calls
        // (mkdir(NULL): EFAULT from the kernel when allowed, EACCES when the policy denies it).
        String script = "echo sh=$PPID; " + probe + " once " + GETPPID + " " + MKDIR + "; "
                + tool + " once " + GETPPID + " " + MKDIR + "; "
                + shell + " -c 'echo inner=$PPID'; exec " + tool + " once " + GETPPID;
        String out = Harness.output(harness.target("profile=st", List.of("getppid", "mkdir"), shell.toString(), "-c",
                script), Duration.ofSeconds(20));

        assertEquals(String.join("\n",
                "sh=200",
                GETPPID + " v=100", MKDIR + " e=" + EFAULT,
                GETPPID + " v=300", MKDIR + " e=" + EACCES,
                "inner=200",
                GETPPID + " v=300"), out);
    }

    @Test
    void executablesAreAbsolutePaths() {
        assertThrows(IllegalArgumentException.class,
                () -> TreePolicy.builder().decideFor("dash", "mkdir", Decision.allow()));
        TreePolicy p = TreePolicy.builder().decideFor("/bin/x", "mkdir", Decision.deny(1)).build();
        assertEquals(p, p.toBuilder().build());
        assertEquals(Decision.deny(1), p.decisionFor("mkdir", org.attenuator.api.HandlerContext.Phase.RUN, "/bin/x"));
        assertEquals(p.undecided(), p.decisionFor("mkdir", org.attenuator.api.HandlerContext.Phase.RUN, "/bin/y"));
        assertEquals(true, p.dependsOnExecutable("mkdir"));
        assertEquals(false, p.dependsOnExecutable("getppid"));
    }
}
