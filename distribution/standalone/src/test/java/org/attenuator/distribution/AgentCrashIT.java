package org.attenuator.distribution;

import static org.attenuator.distribution.LoopCounters.ALLOWED;
import static org.attenuator.distribution.LoopCounters.CALLS;
import static org.attenuator.distribution.LoopCounters.DONE;
import static org.attenuator.distribution.LoopCounters.ENOSYS;
import static org.attenuator.distribution.LoopCounters.EPERM;
import static org.attenuator.distribution.LoopCounters.OTHER_ERRNO;
import static org.attenuator.distribution.LoopCounters.SUPERVISOR;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.attenuator.distribution.Distribution.Daemon;
import org.attenuator.testsupport.TempHome;
import org.attenuator.testsupport.Waits;
import org.junit.jupiter.api.Test;

/**
 * The keeper fallback through the distribution as a user runs it: a real agent JVM ({@code bin/attenuator agent
 * --fallback allow}), targets started by {@code bin/attenuator run --agent SOCKET --profile P}
 * calling a notified getppid in a loop (the fallback tests' loop.c, counting every result), and the
 * agent kill -9'd mid-load. Every target goes on (its calls keep being answered), sees neither ENOSYS
 * nor another errno, and ends when asked: none hangs.
 */
class AgentCrashIT extends DistributionTest {

    @Test
    void agentKilledUnderLoadNeitherEnosysNorHang() throws Exception {
        Path loop = LoopCounters.compile(dir);
        Path profile = Files.writeString(dir.resolve("notify-getppid.json"), LoopCounters.NOTIFY_GETPPID);
        Path home = TempHome.in(dir); // its own keeper: $ATTENUATOR_HOME/run/keeper.sock
        Path socket = dir.resolve("agent.sock");

        Daemon agent = Distribution.start(dir, home, () -> Files.exists(socket), "agent", "--socket", socket.toString(),
                "--fallback", "allow");
        started.add(agent.process());
        List<LoopCounters> counters = new ArrayList<>();
        List<Daemon> targets = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            LoopCounters c = new LoopCounters(dir.resolve("t" + i + ".counters"));
            Daemon t = Distribution.start(dir, home, () -> c.get(CALLS) > 1000, "run", "--agent", socket.toString(),
                    "--profile", profile.toString(), "--", loop.toString(), c.file().toString(), dir.resolve("t" + i + ".stop").toString());
            started.add(t.process());
            counters.add(c);
            targets.add(t);
        }
        for (LoopCounters c : counters) {
            c.awaitGrowth(2000, "answered under the agent", agent);
            // the agent decides: no handler, so the undecided action (EPERM); the keeper's fallback is allow
            assertEquals(0, c.get(ALLOWED), "allowed while the agent lives: " + c);
            assertTrue(c.get(EPERM) > 0, c.toString());
        }
        // the agent is a daemon: by default it logs the trees that come (and go) for its administrator,
        // from its observer thread, which may trail the answers
        for (String tree : List.of("t1", "t2")) {
            Waits.until(() -> agent.stderrSoFar().contains("tree " + tree + " started: pid "), Duration.ofSeconds(30),
                    agent::stderrSoFar);
        }

        agent.process().destroyForcibly(); // kill -9 mid-load
        assertTrue(agent.process().waitFor(30, TimeUnit.SECONDS), "the agent died");
        for (LoopCounters c : counters) {
            long allowedBefore = c.get(ALLOWED);
            c.awaitGrowth(2000, "answered after the agent's kill -9", agent);
            // the keeper answers now, with the agent's fallback (a `run` JVM must not take the trees back)
            assertTrue(c.get(ALLOWED) >= allowedBefore + 1000, "the keeper's allow after the kill: " + c);
        }

        for (int i = 0; i < 2; i++) {
            Files.createFile(dir.resolve("t" + i + ".stop"));
        }
        for (int i = 0; i < 2; i++) {
            Daemon t = targets.get(i);
            LoopCounters c = counters.get(i);
            assertTrue(t.process().waitFor(30, TimeUnit.SECONDS), "t" + i + " hangs: " + c + "\n" + t.stderrSoFar());
            assertEquals(0, t.process().exitValue(), "t" + i + ": " + t.stderrSoFar());
            assertEquals(1, c.get(DONE), c.toString());
            assertEquals(0, c.get(ENOSYS), "ENOSYS: " + c);
            assertEquals(0, c.get(OTHER_ERRNO), "another errno: " + c);
            assertEquals(c.get(CALLS), c.get(SUPERVISOR) + c.get(EPERM) + c.get(ALLOWED), c.toString());
        }
    }

    /**
     * The target itself kills its supervisor (a root target keeps CAP_KILL, and any target shares
     * the supervisor's uid) while it runs: the `run` JVM dies, the keeper answers from the tree's
     * fallback, and the target never sees ENOSYS. (A kill in the target's very first instructions:
     * AdoptionWindowIT.)
     */
    @Test
    void targetThatKillsItsSupervisorNeverSeesEnosys() throws Exception {
        Path loop = LoopCounters.compile(dir);
        Path profile = Files.writeString(dir.resolve("notify-getppid.json"), LoopCounters.NOTIFY_GETPPID);
        Path home = TempHome.in(dir);
        LoopCounters c = new LoopCounters(dir.resolve("t.counters"));
        Path stop = dir.resolve("t.stop");
        Path go = dir.resolve("go");
        // sh's parent is the fork server, whose parent is the supervisor JVM ($PPID would come from
        // the notified getppid); the loop runs under the supervisor until this test saw it answered
        // (the file go), then under the keeper
        String attack = "\"$0\" \"$1\" \"$2\" & server=$(awk '/^PPid:/ {print $2}' /proc/$$/status);"
                + " jvm=$(awk '/^PPid:/ {print $2}' /proc/$server/status);"
                + " while [ ! -e \"$3\" ]; do sleep 0.05; done; kill -9 \"$jvm\"; wait";
        Path stderr = dir.resolve("run.stderr");
        ProcessBuilder pb = new ProcessBuilder(Distribution.bin().toString(), "run", "--fallback", "allow", "--profile",
                profile.toString(), "--", "/bin/sh", "-c", attack, loop.toString(), c.file().toString(), stop.toString(),
                go.toString()).redirectError(stderr.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("ATTENUATOR_HOME", home.toString());
        Daemon run = new Daemon(pb.start(), stderr);
        started.add(run.process());
        Waits.until(() -> c.get(EPERM) >= 1000, Duration.ofSeconds(60),
                () -> "the supervisor answered first (undecided EPERM): " + c + run.stderrSoFar());
        Files.createFile(go);
        assertTrue(run.process().waitFor(60, TimeUnit.SECONDS), "the target killed its supervisor: " + run.stderrSoFar());
        assertEquals(137, run.process().exitValue(), "run's JVM died of SIGKILL: " + run.stderrSoFar());
        long allowedBefore = c.get(ALLOWED);
        c.awaitGrowth(2000, "answered by the keeper after the target killed its supervisor", run);
        assertTrue(c.get(ALLOWED) >= allowedBefore + 1000, "the keeper's allow: " + c);
        Files.createFile(stop);
        Waits.until(() -> c.get(DONE) == 1, Duration.ofSeconds(30), () -> "the target stopped: " + c);
        assertEquals(0, c.get(ENOSYS), c::toString);
        assertEquals(c.get(CALLS), c.get(EPERM) + c.get(ALLOWED), c::toString);
    }
}
