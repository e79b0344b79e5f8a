package org.attenuator.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.attenuator.distribution.Distribution.Daemon;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 7 through the distribution as a user runs it: a real agent JVM ({@code bin/attenuator agent
 * --fallback allow}), targets started by {@code bin/attenuator run --agent SOCKET --profile P}
 * calling a notified getppid in a loop (the fallback tests' loop.c, counting every result), and the
 * agent kill -9'd mid-load. Every target goes on (its calls keep being answered), sees neither ENOSYS
 * nor another errno, and ends when asked: none hangs.
 */
class AgentCrashIT {

    /** The fallback plugin's target program (built by this test with gcc). */
    private static final Path LOOP_C = Path.of("../../bundles/plugins/fallback/src/test/resources/org/attenuator/plugin/fallback/internal/loop.c");
    private static final int CALLS = 0, SUPERVISOR = 1, EPERM = 2, ENOSYS = 3, OTHER_ERRNO = 4, ALLOWED = 5, DONE = 6;

    @TempDir
    Path dir;
    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        started.forEach(Process::destroyForcibly);
        Distribution.killEverythingUnder(dir); // the targets outlive their killed `run` JVMs, by design
    }

    @Test
    void agentKilledUnderLoadNeitherEnosysNorHang() throws Exception {
        Path loop = Distribution.compile(LOOP_C, dir.resolve("loop"));
        Path profile = Files.writeString(dir.resolve("notify-getppid.json"),
                "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"getppid\"],\"action\":\"SCMP_ACT_NOTIFY\"}]}");
        Path home = Files.createDirectories(dir.resolve("home")); // its own keeper: $ATTENUATOR_HOME/run/keeper.sock
        Path socket = dir.resolve("agent.sock");

        Daemon agent = Distribution.start(dir, home, () -> Files.exists(socket), "agent", "--socket", socket.toString(),
                "--fallback", "allow");
        started.add(agent.process());
        List<Path> counters = new ArrayList<>();
        List<Daemon> targets = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Path c = dir.resolve("t" + i + ".counters");
            Daemon t = Distribution.start(dir, home, () -> get(c, CALLS) > 1000, "run", "--agent", socket.toString(),
                    "--profile", profile.toString(), "--", loop.toString(), c.toString(), dir.resolve("t" + i + ".stop").toString());
            started.add(t.process());
            counters.add(c);
            targets.add(t);
        }
        for (Path c : counters) {
            awaitGrowth(c, 2000, "answered under the agent", agent);
            // the agent decides: no handler, so the undecided action (EPERM); the keeper's fallback is allow
            assertEquals(0, get(c, ALLOWED), "allowed while the agent lives: " + summary(c));
            assertTrue(get(c, EPERM) > 0, summary(c));
        }
        // the agent is a daemon: by default it logs the trees that come (and go) for its administrator
        for (String tree : List.of("t1", "t2")) {
            assertTrue(agent.stderrSoFar().contains("tree " + tree + " started: pid "), agent.stderrSoFar());
        }

        agent.process().destroyForcibly(); // kill -9 mid-load
        assertTrue(agent.process().waitFor(10, TimeUnit.SECONDS), "the agent died");
        for (Path c : counters) {
            long allowedBefore = get(c, ALLOWED);
            awaitGrowth(c, 2000, "answered after the agent's kill -9", agent);
            // the keeper answers now, with the agent's fallback (a `run` JVM must not take the trees back)
            assertTrue(get(c, ALLOWED) >= allowedBefore + 1000, "the keeper's allow after the kill: " + summary(c));
        }

        for (int i = 0; i < 2; i++) {
            Files.createFile(dir.resolve("t" + i + ".stop"));
        }
        for (int i = 0; i < 2; i++) {
            Daemon t = targets.get(i);
            Path c = counters.get(i);
            assertTrue(t.process().waitFor(15, TimeUnit.SECONDS), "t" + i + " hangs: " + summary(c) + "\n" + t.stderrSoFar());
            assertEquals(0, t.process().exitValue(), "t" + i + ": " + t.stderrSoFar());
            assertEquals(1, get(c, DONE), summary(c));
            assertEquals(0, get(c, ENOSYS), "ENOSYS: " + summary(c));
            assertEquals(0, get(c, OTHER_ERRNO), "another errno: " + summary(c));
            assertEquals(get(c, CALLS), get(c, SUPERVISOR) + get(c, EPERM) + get(c, ALLOWED), summary(c));
        }
    }

    /**
     * The target itself kills its supervisor (a root target keeps CAP_KILL, and any target shares
     * the supervisor's uid) while it runs: the `run` JVM dies, the keeper answers from the tree's
     * fallback, and the target never sees ENOSYS. (Killed in the first milliseconds of the target,
     * before the keeper holds the listener, the tree still gets ENOSYS: the adoption window,
     * docs/keeper.md.)
     */
    @Test
    void targetThatKillsItsSupervisorNeverSeesEnosys() throws Exception {
        Path loop = Distribution.compile(LOOP_C, dir.resolve("loop"));
        Path profile = Files.writeString(dir.resolve("notify-getppid.json"),
                "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"getppid\"],\"action\":\"SCMP_ACT_NOTIFY\"}]}");
        Path home = Files.createDirectories(dir.resolve("home"));
        Path c = dir.resolve("t.counters");
        Path stop = dir.resolve("t.stop");
        // sh's parent is the fork server, whose parent is the supervisor JVM ($PPID would come from
        // the notified getppid); the loop runs under the supervisor first, then under the keeper
        String attack = "\"$0\" \"$1\" \"$2\" & server=$(awk '/^PPid:/ {print $2}' /proc/$$/status);"
                + " jvm=$(awk '/^PPid:/ {print $2}' /proc/$server/status); sleep 2; kill -9 \"$jvm\"; wait";
        Path stderr = dir.resolve("run.stderr");
        ProcessBuilder pb = new ProcessBuilder(Distribution.bin().toString(), "run", "--fallback", "allow", "--profile",
                profile.toString(), "--", "/bin/sh", "-c", attack, loop.toString(), c.toString(), stop.toString())
                .redirectError(stderr.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("ATTENUATOR_HOME", home.toString());
        Daemon run = new Daemon(pb.start(), stderr);
        started.add(run.process());
        assertTrue(run.process().waitFor(30, TimeUnit.SECONDS), "the target killed its supervisor: " + run.stderrSoFar());
        assertEquals(137, run.process().exitValue(), "run's JVM died of SIGKILL: " + run.stderrSoFar());
        assertTrue(get(c, EPERM) > 0, "the supervisor answered first (undecided EPERM): " + summary(c));
        long allowedBefore = get(c, ALLOWED);
        awaitGrowth(c, 2000, "answered by the keeper after the target killed its supervisor", run);
        assertTrue(get(c, ALLOWED) >= allowedBefore + 1000, "the keeper's allow: " + summary(c));
        Files.createFile(stop);
        Distribution.await(() -> get(c, DONE) == 1, Duration.ofSeconds(15), () -> "the target stopped: " + summary(c));
        assertEquals(0, get(c, ENOSYS), summary(c));
        assertEquals(get(c, CALLS), get(c, EPERM) + get(c, ALLOWED), summary(c));
    }

    private static void awaitGrowth(Path c, long by, String what, Daemon agent) throws InterruptedException {
        long start = get(c, CALLS);
        Distribution.await(() -> get(c, CALLS) >= start + by, Duration.ofSeconds(15),
                () -> c.getFileName() + " " + what + ": " + summary(c) + "\nagent: " + agent.stderrSoFar());
        assertEquals(0, get(c, ENOSYS), "ENOSYS: " + summary(c));
        assertEquals(0, get(c, OTHER_ERRNO), "another errno: " + summary(c));
    }

    /** Counter {@code i} of loop.c's 8 x u64 file (0 before it exists). */
    private static long get(Path c, int i) {
        try {
            byte[] b = Files.readAllBytes(c);
            return b.length < 64 ? 0 : ByteBuffer.wrap(b).order(ByteOrder.nativeOrder()).getLong(i * 8);
        } catch (IOException e) {
            return 0;
        }
    }

    private static String summary(Path c) {
        return "calls " + get(c, CALLS) + " = supervisor " + get(c, SUPERVISOR) + " + EPERM " + get(c, EPERM)
                + " + allowed " + get(c, ALLOWED) + ", ENOSYS " + get(c, ENOSYS) + ", other errno " + get(c, OTHER_ERRNO);
    }
}
