package org.attenuator.distribution;

import static org.attenuator.distribution.LoopCounters.ALLOWED;
import static org.attenuator.distribution.LoopCounters.CALLS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.attenuator.distribution.Distribution.Daemon;
import org.attenuator.testsupport.TempHome;
import org.junit.jupiter.api.Test;

/**
 * {@code run --agent} as a user runs it: an option either travels to the agent and takes effect
 * there, or is refused in one line before anything runs (the whole table: RunCommandTest and
 * docs/launch.md).
 */
class RunAgentOptionsIT extends DistributionTest {

    /**
     * The agent runs with its default fallback (errno:EPERM); {@code --fallback allow} of this run
     * reaches it as metadata, so after its kill -9 the keeper allows the target's notified calls.
     */
    @Test
    void fallbackTravelsToTheAgentAndHoldsAfterItsKill9() throws Exception {
        Path loop = LoopCounters.compile(dir);
        Path profile = Files.writeString(dir.resolve("notify-getppid.json"), LoopCounters.NOTIFY_GETPPID);
        Path home = TempHome.in(dir);
        Path socket = dir.resolve("agent.sock");
        Daemon agent = Distribution.start(dir, home, () -> Files.exists(socket), "agent", "--socket", socket.toString());
        started.add(agent.process());
        LoopCounters c = new LoopCounters(dir.resolve("t.counters"));
        Daemon target = Distribution.start(dir, home, () -> c.get(CALLS) > 100, "run", "--agent", socket.toString(),
                "--profile", profile.toString(), "--fallback", "allow", "--", loop.toString(), c.file().toString(),
                dir.resolve("t.stop").toString());
        started.add(target.process());
        c.awaitGrowth(500, "answered by the agent", agent);
        assertEquals(0, c.get(ALLOWED), "the agent decides while it lives (no handler: EPERM): " + c);

        agent.process().destroyForcibly(); // kill -9
        assertTrue(agent.process().waitFor(30, TimeUnit.SECONDS), "the agent died");
        long allowedBefore = c.get(ALLOWED);
        c.awaitGrowth(1000, "answered by the keeper after the agent's kill -9", agent);
        assertTrue(c.get(ALLOWED) >= allowedBefore + 1000, "the run's --fallback allow after the kill: " + c);

        Files.createFile(dir.resolve("t.stop"));
        assertTrue(target.process().waitFor(30, TimeUnit.SECONDS), "the target hangs: " + c);
        assertEquals(0, target.process().exitValue(), target.stderrSoFar());
    }

    /** Refused before the agent is reached (its socket here does not even exist), each naming the option. */
    @Test
    void optionsTheAgentCannotHonourAreRefusedInOneLine() throws Exception {
        Path home = TempHome.in(dir);
        String socket = dir.resolve("no-agent.sock").toString();
        Map<String, List<String>> refused = Map.of(
                "--cap-add", List.of("--agent", socket, "--cap-add", "SYS_ADMIN"),
                "--privileged", List.of("--agent", socket, "--privileged"),
                "--deny-log", List.of("--agent", socket, "--deny-log"),
                "--fallback", List.of("--kernel-only", "--fallback", "kill"));
        for (var e : refused.entrySet()) {
            List<String> args = new ArrayList<>(List.of("run"));
            args.addAll(e.getValue());
            args.addAll(List.of("--", "true"));
            Distribution.Result r = Distribution.run(home, args.toArray(String[]::new));
            assertEquals(2, r.status(), args + ": " + r);
            assertEquals(1, r.err().lines().count(), args + ": " + r);
            assertTrue(r.err().contains(e.getKey()), args + ": " + r);
        }
    }
}
