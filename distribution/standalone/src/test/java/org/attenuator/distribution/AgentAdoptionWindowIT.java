package org.attenuator.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.attenuator.distribution.Distribution.Daemon;
import org.attenuator.testsupport.Waits;
import org.junit.jupiter.api.Test;

/**
 * The agent's adoption window: listeners handed to the agent's socket that the agent has not read
 * yet (here: handed in while the agent is stopped with SIGSTOP, so it reads not one) are held by
 * the keeper, which accepts on the agent's socket. Killed with SIGKILL then, the agent leaves them
 * to the keeper, which answers them with the agent's fallback ({@code --fallback allow}): every
 * target completes its calls, none sees ENOSYS.
 */
class AgentAdoptionWindowIT extends DistributionTest {

    private static final Path SOAK_TARGET_C = Path.of("../../bench/soak/soak_target.c");
    private static final int TREES = 4;

    @Test
    void treesHandedToAStoppedAgentThenKilledAreAnsweredByTheKeeper() throws Exception {
        Path target = Distribution.compile(SOAK_TARGET_C, dir.resolve("soak_target"));
        Path helper = Distribution.bin().resolveSibling("attenuator-testhelper");
        Path home = Files.createDirectories(dir.resolve("home"));
        Path socket = dir.resolve("agent.sock");
        Path keeperLog = home.resolve("run").resolve("keeper.log");
        Daemon agent = Distribution.start(dir, home, () -> Files.exists(socket), "agent", "--socket", socket.toString(),
                "--fallback", "allow");
        started.add(agent.process());
        long jvm = agentJvm(agent);
        Waits.until(() -> Distribution.read(keeperLog).contains("agent socket held"), Duration.ofSeconds(30),
                () -> "the keeper holds the agent's socket: " + Distribution.read(keeperLog) + agent.stderrSoFar());

        signal("-STOP", jvm);
        Waits.until(() -> Distribution.read(Path.of("/proc/" + jvm + "/status")).contains("State:\tT"),
                Duration.ofSeconds(30), () -> "the agent's JVM " + jvm + " is stopped");
        List<Process> trees = new ArrayList<>();
        for (int i = 0; i < TREES; i++) {
            trees.add(handIn(helper, socket, target, 20));
        }
        // each helper handed its listener in and exec'd soak_target, which waits for its first answer:
        // the stopped agent cannot give it
        Waits.until(() -> trees.stream().allMatch(t -> t.info().command().orElse("").endsWith("soak_target")),
                Duration.ofSeconds(30), () -> "the trees were handed in: " + Distribution.read(keeperLog));
        for (Process t : trees) {
            assertTrue(t.isAlive(), "a tree waits for its first answer while the agent is stopped");
        }

        signal("-KILL", jvm);
        for (int i = 0; i < TREES; i++) {
            Process t = trees.get(i);
            assertTrue(t.waitFor(30, TimeUnit.SECONDS), "tree " + i + " hangs: " + Distribution.read(keeperLog));
            String out = new String(t.getInputStream().readAllBytes());
            // soak_target exits 3 if any of its calls got ENOSYS
            assertEquals(0, t.exitValue(), "tree " + i + " (3: ENOSYS): " + out + "\n" + Distribution.read(keeperLog));
        }
    }

    /** attenuator-testhelper hands the agent a listener notifying getppid, as runc would, then runs soak_target. */
    private Process handIn(Path helper, Path socket, Path target, int calls) throws Exception {
        Process p = new ProcessBuilder(helper.toString(), "--notify", "110", "--socket", socket.toString(), "--",
                target.toString(), "--calls", Integer.toString(calls)).redirectErrorStream(true).start();
        started.add(p);
        return p;
    }

    private static void signal(String signal, long pid) throws Exception {
        assertEquals(0, new ProcessBuilder("kill", signal, Long.toString(pid)).start().waitFor(), "kill " + signal);
    }

    /** The agent's JVM: the launcher script's java child, or the script itself if it exec'd java. */
    private static long agentJvm(Daemon agent) {
        ProcessHandle p = agent.process().toHandle();
        return p.descendants().filter(d -> d.info().command().map(c -> c.endsWith("/java")).orElse(false))
                .map(ProcessHandle::pid).findFirst().orElse(p.pid());
    }
}
